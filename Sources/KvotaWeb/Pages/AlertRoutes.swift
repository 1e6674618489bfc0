import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The alerts page, resolving one, and marking all seen. Everyone signed in has alerts of their own.
struct AlertRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    static let pageSize = 50

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.alerts(show: nil, before: nil).route)) { request, context in
            let query = request.uri.queryParameters
            let show = query["show"].flatMap { AlertQuery.Show(rawValue: String($0)) } ?? .open
            let before = query["before"].flatMap { Int64(String($0)) }.map { Alert.ID($0) }
            let alerts = try await database.alerts(for: context.actor, AlertQuery(show: show, before: before, limit: Self.pageSize))
            // Shown is seen: the bell on this very page already counts without them.
            let new = alerts.filter { $0.state == .new }.map(\.id)
            if !new.isEmpty { _ = try await database.markAlertsSeen(new, by: context.actor, at: config.now()) }
            let page = try await pages.pageContext(request, context, section: nil)
            let figures = try await PlansRoutes.figures(page, currency: try await database.companySettings().baseCurrency, database: database)
            return page.response(AlertsPage(page: page, show: show, alerts: alerts, figures: figures,
                                            older: alerts.count == Self.pageSize ? alerts.last?.id.rawValue : nil).html())
        }
        signedIn.post(RouterPath(SiteURL.alertResolve(id: 0).route)) { request, context in
            let id = Alert.ID(try context.parameters.require("id", as: Int64.self))
            _ = try await database.resolveAlert(id, by: context.actor, at: config.now(), address: context.address)
            return Response.redirect(to: SiteURL.alerts(show: nil, before: nil).path, flash: .notice(.alertsResolvedNotice), secure: config.secureCookies)
        }
        signedIn.post(RouterPath(SiteURL.alertsSeen.route)) { _, context in
            _ = try await database.markAlertsSeen(nil, by: context.actor, at: config.now())
            return Response.redirect(to: SiteURL.alerts(show: nil, before: nil).path, flash: .notice(.alertsSeenNotice), secure: config.secureCookies)
        }
    }
}
