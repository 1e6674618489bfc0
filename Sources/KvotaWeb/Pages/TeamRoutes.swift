import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The team page: a head's own team; directors and admins choose any team.
struct TeamRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.team(id: nil).route)) { request, context in
            guard NavSection.team.isVisible(to: context.actor) else {
                throw HTTPError(.forbidden, message: "the team page is for heads of sales, directors and admins")
            }
            let page = try await pages.pageContext(request, context, section: .team)
            let asked = request.uri.queryParameters["team"].flatMap { Int64(String($0)) }.map { Team.ID($0) }
            // A head looks at their own team; others choose.
            let teams = context.user.role == .head ? [] : try await database.teams().filter { $0.kind != .orderDesk }
            let teamID = context.user.role == .head ? context.user.teamID : asked ?? context.user.teamID ?? teams.first?.id
            let overview = try await teamID.asyncFlatMap { try await database.teamOverview($0, for: context.actor, now: config.now()) }
            return page.response(TeamPage(page: page, overview: overview, teams: teams).html())
        }
    }
}
