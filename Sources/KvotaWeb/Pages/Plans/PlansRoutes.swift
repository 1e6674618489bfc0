import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The plans page: every plan the user may see for a period, with its progress, and the period's pay.
struct PlansRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.plans(period: nil).route)) { request, context in
            let page = try await pages.pageContext(request, context, section: .plans)
            let settings = try await database.companySettings()
            let today = LocalDate(config.now(), in: settings.timeZone)
            let asked = request.uri.queryParameters["period"].map(String.init)
            let period = asked.flatMap { try? Period(label: $0) }.flatMap { $0.grain == .day ? nil : $0 } ?? Period(.month, containing: today)
            let plans = try await database.plans(for: context.actor, filter: PlanFilter(from: period.start, through: period.end.adding(days: -1),
                                                                                        grain: period.grain))
                .filter { $0.period == period }
            var standings: [PlanStanding] = []
            for plan in plans.prefix(50) { standings.append(try await database.standing(of: plan, for: context.actor, asOf: today)) }
            let payouts = period.grain == .month && AccessPolicy.scope(context.actor, .list, .payout) != .nothing
                ? try await database.payouts(for: context.actor, period: period, asOf: min(today, period.end.adding(days: -1))) : []
            let model = PlansPage(page: page, period: period, asked: asked, asOf: today, standings: standings, payouts: payouts,
                                  figures: try await figures(page, currency: settings.baseCurrency),
                                  rowNames: try await PlansAPI.rowNames(standings.flatMap(\.plan.rows), in: database),
                                  canCreate: AccessPolicy.scope(context.actor, .create, .plan) != .nothing)
            return page.response(model.html())
        }
    }

    /// The names every plan page writes subjects and people with.
    static func figures(_ page: PageContext, currency: Currency, database: Database) async throws -> PlanFigures {
        PlanFigures(t: page.t, currency: currency,
                    users: Dictionary(try await database.users().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }),
                    teams: Dictionary(try await database.teams().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }))
    }

    private func figures(_ page: PageContext, currency: Currency) async throws -> PlanFigures {
        try await Self.figures(page, currency: currency, database: database)
    }
}
