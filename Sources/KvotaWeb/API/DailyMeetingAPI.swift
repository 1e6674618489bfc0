import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `GET /api/v1/teams/{id}/daily?date=YYYY-MM-DD` (issue 8): the team's daily meeting on a day (default today).
struct DailyMeetingAPI {
    let database: Database
    let config: AppConfig

    struct Item: Encodable {
        let id: Int64
        let title: String
        let ownerId: Int64
        let at: Date?

        init(_ item: DailyMeeting.Item) { id = item.id; title = item.title; ownerId = item.ownerID.rawValue; at = item.at }
    }

    struct Yesterday: Encodable {
        let callsOutbound, callsInbound, effectiveConversations, missedCalls, meetingsHeld, dealsMoved, dealsWon, revenue: Int64
    }

    struct Member: Encodable {
        let userId: Int64
        let name: String
        let yesterday: Yesterday
        let today: [Item]
    }

    struct Plan: Encodable {
        let planId: Int64
        let period: String
        let measures: [PlansAPI.ProgressDTO.Measure]
    }

    struct Answer: Encodable {
        let teamId: Int64
        let date: String
        let previousDay: String
        let currency: String
        let members: [Member]
        let overdueTasks: [Item]
        let stalledDeals: [Item]
        let leadsOverSla: [Item]
        let plan: Plan?
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/teams/:id/daily") { request, context -> Response in
            let team = Team.ID(try context.parameters.require("id", as: Int64.self))
            let settings = try await database.companySettings()
            var errors = ValidationFailure.Collector()
            let date = ListParameters.date(request.uri.queryParameters, "date", into: &errors) ?? LocalDate(config.now(), in: settings.timeZone)
            try errors.finish()
            // The store refuses too; this says it in the meeting's own words.
            guard AccessPolicy.scope(context.actor, .read, .plan).allows(PlanSubject.team(team)) else {
                throw HTTPError(.forbidden, message: "you may not hold the daily meeting of team \(team)")
            }
            let meeting = try await database.dailyMeeting(of: team, on: date, now: config.now(), for: context.actor)
            return try JSONBody.response(Self.answer(meeting, names: try await database.userNames(), currency: settings.baseCurrency))
        }
    }

    static func answer(_ meeting: DailyMeeting, names: [User.ID: String], currency: Currency) -> Answer {
        Answer(
            teamId: meeting.team.rawValue, date: meeting.date.iso, previousDay: meeting.previousDay.iso, currency: currency.code,
            members: meeting.members.map { m in
                Member(userId: m.userID.rawValue, name: names[m.userID] ?? "#\(m.userID)",
                       yesterday: Yesterday(callsOutbound: m.callsOutbound, callsInbound: m.callsInbound, effectiveConversations: m.effectiveConversations,
                                            missedCalls: m.missedCalls, meetingsHeld: m.meetingsHeld, dealsMoved: m.dealsMoved, dealsWon: m.dealsWon,
                                            revenue: m.revenue),
                       today: m.today.map(Item.init))
            },
            overdueTasks: meeting.overdueTasks.map(Item.init), stalledDeals: meeting.stalledDeals.map(Item.init),
            leadsOverSla: meeting.leadsOverSLA.map(Item.init),
            plan: meeting.plan.map { standing in
                Plan(planId: standing.plan.id.rawValue, period: standing.plan.period.label,
                     measures: standing.targets.map { PlansAPI.ProgressDTO.Measure($0.measure, $0.progress) })
            })
    }
}
