import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `GET /api/v1/teams/{id}/weekly?week=2026-W47` (issue 8): the team's week (default this one, to today) beside the
/// week before, per member and for the team, the deals won and lost, and the team's plan.
struct WeeklySummaryAPI {
    let database: Database
    let config: AppConfig

    struct Figures: Encodable {
        let callsOutbound, callsInbound, effectiveConversations, missedCalls, meetingsHeld, qualifiedLeads: Int64
        let dealsNew, dealsWon, wonAmount, dealsLost, revenue, margin: Int64

        init(_ f: KPIFacts) {
            callsOutbound = f.callsOutbound; callsInbound = f.callsInbound; effectiveConversations = f.effectiveConversations
            missedCalls = f.missedCalls; meetingsHeld = f.meetingsHeld; qualifiedLeads = f.qualifiedLeads; dealsNew = f.dealsNew
            dealsWon = f.dealsWon; wonAmount = f.wonAmount; dealsLost = f.dealsLost; revenue = f.revenue; margin = f.revenue - f.cost
        }
    }

    struct Member: Encodable {
        let userId: Int64
        let name: String
        let week: Figures
        let previous: Figures
    }

    struct Deal: Encodable {
        let id: Int64
        let title: String
        let ownerId: Int64
        let amountMinor: Int64
        let currency: String
        let closedOn: String
        let lossReason: String?

        enum CodingKeys: String, CodingKey { case id, title, ownerId, amountMinor, currency, closedOn, lossReason }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id); try c.encode(title, forKey: .title); try c.encode(ownerId, forKey: .ownerId)
            try c.encode(amountMinor, forKey: .amountMinor); try c.encode(currency, forKey: .currency); try c.encode(closedOn, forKey: .closedOn)
            try c.encode(lossReason, forKey: .lossReason)
        }

        init(_ deal: WeeklySummary.Deal) {
            id = deal.id; title = deal.title; ownerId = deal.ownerID.rawValue; amountMinor = deal.amount.minorUnits
            currency = deal.amount.currency.code; closedOn = deal.closedOn.iso; lossReason = deal.lossReason
        }
    }

    struct Answer: Encodable {
        let teamId: Int64
        let week: String
        let from: String
        let to: String
        let previousFrom: String
        let previousTo: String
        let currency: String
        let members: [Member]
        let team: Member
        let won: [Deal]
        let lost: [Deal]
        let plan: DailyMeetingAPI.Plan?

        enum CodingKeys: String, CodingKey { case teamId, week, from, to, previousFrom, previousTo, currency, members, team, won, lost, plan }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(teamId, forKey: .teamId); try c.encode(week, forKey: .week); try c.encode(from, forKey: .from); try c.encode(to, forKey: .to)
            try c.encode(previousFrom, forKey: .previousFrom); try c.encode(previousTo, forKey: .previousTo); try c.encode(currency, forKey: .currency)
            try c.encode(members, forKey: .members); try c.encode(team, forKey: .team); try c.encode(won, forKey: .won)
            try c.encode(lost, forKey: .lost); try c.encode(plan, forKey: .plan)
        }
    }

    /// `week=2026-W47`, or this week; anything else is a field error.
    static func week(_ text: String?, today: LocalDate, into errors: inout ValidationFailure.Collector) -> Period {
        guard let text else { return Period(.week, containing: today) }
        guard let period = try? Period(label: text, field: "week"), period.grain == .week, period.isCalendar else {
            errors.check(false, "week", "expected an ISO week like 2026-W47, got '\(text)'")
            return Period(.week, containing: today)
        }
        return period
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/teams/:id/weekly") { request, context -> Response in
            let team = Team.ID(try context.parameters.require("id", as: Int64.self))
            let settings = try await database.companySettings()
            let today = LocalDate(config.now(), in: settings.timeZone)
            var errors = ValidationFailure.Collector()
            let week = Self.week(request.uri.queryParameters["week"].map(String.init), today: today, into: &errors)
            try errors.finish()
            guard AccessPolicy.scope(context.actor, .read, .plan).allows(PlanSubject.team(team)) else {
                throw HTTPError(.forbidden, message: "you may not see the weekly summary of team \(team)")
            }
            let summary = try await database.weeklySummary(of: team, week: week, asOf: today, for: context.actor)
            let teamName = try await database.teams().first { $0.id == team }?.name ?? "#\(team)"
            return try JSONBody.response(Self.answer(summary, teamName: teamName, names: try await database.userNames(), currency: settings.baseCurrency))
        }
    }

    static func answer(_ summary: WeeklySummary, teamName: String, names: [User.ID: String], currency: Currency) -> Answer {
        Answer(teamId: summary.team.rawValue, week: summary.week.label, from: summary.window.from.iso, to: summary.window.through.iso,
               previousFrom: summary.previousWindow.from.iso, previousTo: summary.previousWindow.through.iso, currency: currency.code,
               members: summary.members.map { Member(userId: $0.userID.rawValue, name: names[$0.userID] ?? "#\($0.userID)", week: Figures($0.week),
                                                     previous: Figures($0.previous)) },
               team: Member(userId: 0, name: teamName, week: Figures(summary.total), previous: Figures(summary.previousTotal)),
               won: summary.won.map(Deal.init), lost: summary.lost.map(Deal.init),
               plan: summary.plan.map { standing in
                   DailyMeetingAPI.Plan(planId: standing.plan.id.rawValue, period: standing.plan.period.label,
                                        measures: standing.targets.map { PlansAPI.ProgressDTO.Measure($0.measure, $0.progress) })
               })
    }
}
