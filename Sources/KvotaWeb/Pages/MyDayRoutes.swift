import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// "My day" at `/`, for the signed-in user, in the company's calendar.
struct MyDayRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.home.route)) { request, context in
            let page = try await pages.pageContext(request, context, section: .myDay)
            let now = config.now()
            let day = try await database.myDay(of: context.user.id, for: context.actor, day: LocalDate(now, in: page.t.timeZone),
                                               timeZone: page.t.timeZone, now: now)
            return page.response(MyDayPage(page: page, day: day, now: now, ownSources: try await database.leadSources(for: context.actor),
                                           thresholds: try await database.companySettings().thresholds,
                                           onShift: [.rep, .head].contains(context.actor.role)
                                               ? try await database.isOnShift(context.user.id, for: context.actor) : nil).html())
        }
        signedIn.post(RouterPath(SiteURL.myShift.route)) { request, context in
            let form = try await PlanRoutes.form(request)
            guard let value = form["on"], let on = Bool(value) else {
                throw HTTPError(.unprocessableContent, message: "on: expected true or false")
            }
            try await database.setOnShift(context.user.id, on, by: context.actor, at: config.now(), address: context.address)
            return Response.redirect(to: SiteURL.home.path, flash: .notice(on ? .shiftOnSaved : .shiftOffSaved), secure: config.secureCookies)
        }
    }
}
