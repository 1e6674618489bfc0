import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The team board: the teams offered are those whose plans the reader may read (a head's own, any for directors,
/// admins and analysts); anyone else is refused.
struct PlanBoardRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.planBoard(team: nil, date: nil).route)) { request, context in
            let actor = context.actor
            guard let choice = try await TeamChoice.read(database, request, for: actor) else { throw AccessDenied.forbidden(.list, .plan) }
            let team = choice.team
            let page = try await pages.pageContext(request, context, section: .plans)
            let settings = try await database.companySettings()
            let query = request.uri.queryParameters
            let today = LocalDate(config.now(), in: settings.timeZone)
            let date = query["date"].flatMap { try? LocalDate(iso: String($0)) } ?? today
            let period = Period(.month, containing: date)
            let yesterday = try DateWindow(from: date.adding(days: -1), through: date.adding(days: -1))

            let teamPlan = try await database.plan(about: .team(team), period: period, for: actor)
            var teamStanding: PlanStanding?
            if let teamPlan { teamStanding = try await database.standing(of: teamPlan, for: actor, asOf: date) }
            let measures = teamPlan?.targets.map(\.measure) ?? [.revenue]
            let memberDays = try await database.memberDays(of: team, in: try DateWindow(from: period.start, through: period.end.adding(days: -1)))
            var members: [PlanBoardPage.Member] = []
            for user in memberDays.keys.sorted() {
                var standing: PlanStanding?
                if let own = try await database.plan(about: .user(user), period: period, for: actor) {
                    standing = try await database.standing(of: own, for: actor, asOf: date)
                }
                let inTeam = teamStanding?.members.first { $0.userID == user }?.actuals ?? [:]
                members.append(.init(userID: user, standing: standing, monthToDate: inTeam,
                                     yesterday: try await database.actuals(of: .user(user), measures, over: yesterday, for: actor)))
            }
            let view = PlanBoardPage(page: page, teams: choice.options, team: team, date: date, period: period, measures: measures,
                                     teamStanding: teamStanding,
                                     teamYesterday: try await database.actuals(of: .team(team), measures, over: yesterday, for: actor),
                                     members: members,
                                     figures: try await PlansRoutes.figures(page, currency: settings.baseCurrency, database: database))
            return page.response(view.html())
        }
    }
}
