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
        signedIn.get(RouterPath(SiteURL.teamDaily(team: nil, date: nil).route)) { request, context in
            let actor = context.actor
            guard let choice = try await TeamChoice.read(database, request, for: actor) else {
                throw HTTPError(.forbidden, message: "the daily meeting is for heads of sales, directors, analysts and admins")
            }
            let team = choice.team
            let page = try await pages.pageContext(request, context, section: .team)
            let settings = try await database.companySettings()
            let query = request.uri.queryParameters
            let date = query["date"].flatMap { try? LocalDate(iso: String($0)) } ?? LocalDate(config.now(), in: settings.timeZone)
            let meeting = try await database.dailyMeeting(of: team, on: date, now: config.now(), for: actor)
            return page.response(DailyMeetingPage(page: page, meeting: meeting, teams: choice.options,
                                                  figures: try await PlansRoutes.figures(page, currency: settings.baseCurrency,
                                                                                         database: database)).html())
        }
        signedIn.get(RouterPath(SiteURL.teamWeekly(team: nil, week: nil).route)) { request, context in
            let actor = context.actor
            guard let choice = try await TeamChoice.read(database, request, for: actor) else {
                throw HTTPError(.forbidden, message: "the weekly summary is for heads of sales, directors, analysts and admins")
            }
            let page = try await pages.pageContext(request, context, section: .team)
            let settings = try await database.companySettings()
            let today = LocalDate(config.now(), in: settings.timeZone)
            var errors = ValidationFailure.Collector()
            let week = WeeklySummaryAPI.week(request.uri.queryParameters["week"].map(String.init), today: today, into: &errors)
            let summary = try await database.weeklySummary(of: choice.team, week: week, asOf: today, for: actor)
            return page.response(WeeklySummaryPage(page: page, summary: summary, teams: choice.options,
                                                   figures: try await PlansRoutes.figures(page, currency: settings.baseCurrency,
                                                                                          database: database)).html())
        }
        signedIn.get(RouterPath(SiteURL.teamLeaderboard(team: nil, key: nil).route)) { request, context in
            let actor = context.actor
            guard let choice = try await TeamChoice.read(database, request, for: actor) else {
                throw HTTPError(.forbidden, message: "the leaderboard is for heads of sales, directors, analysts and admins")
            }
            let team = choice.team
            let page = try await pages.pageContext(request, context, section: .team)
            let settings = try await database.companySettings()
            let today = LocalDate(config.now(), in: settings.timeZone)
            let query = request.uri.queryParameters
            let kpi = query["key"].flatMap { KPI(rawValue: String($0)) } ?? .revenue
            var errors = ValidationFailure.Collector()
            let window = AnalyticsParameters.window(query, "from", "to", default: (Period(.month, containing: today).start, today), into: &errors)
            let ranked = try await database.kpiLeaderboard(kpi, team: team, over: window, asOf: today, for: actor)
            let report = try await database.kpis([kpi], of: .team(team), over: window, asOf: today, for: actor)
            return page.response(LeaderboardPage(page: page, teams: choice.options, team: team, kpi: kpi, window: window,
                                                 ranked: ranked, report: report, names: try await database.userNames(),
                                                 currency: settings.baseCurrency).html())
        }
        signedIn.get(RouterPath(SiteURL.repCard(id: 0).route)) { request, context in
            let user = User.ID(try context.parameters.require("id", as: Int64.self))
            guard AccessPolicy.scope(context.actor, .read, .plan).allows(PlanSubject.user(user)) else {
                throw HTTPError(.forbidden, message: "you may not see the KPIs of \(PlanSubject.user(user))")
            }
            let page = try await pages.pageContext(request, context, section: .team)
            let settings = try await database.companySettings()
            let today = LocalDate(config.now(), in: settings.timeZone)
            var errors = ValidationFailure.Collector()
            let window = AnalyticsParameters.window(request.uri.queryParameters, "from", "to", default: (Period(.month, containing: today).start, today),
                                                    into: &errors)
            let card = try await database.repCard(user, over: window, asOf: today, for: context.actor)
            return page.response(RepCardPage(page: page, card: card,
                                             figures: try await PlansRoutes.figures(page, currency: settings.baseCurrency, database: database)).html())
        }
    }
}
