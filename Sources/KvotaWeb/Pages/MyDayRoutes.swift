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
            return page.response(MyDayPage(page: page, day: day, now: now, ownSources: try await database.leadSources(for: context.actor)).html())
        }
    }
}
