import Foundation
import KvotaCore
import SQLKit

/// What a head goes through with the team each morning (issue 8, "The daily meeting"): per rep the last working day's
/// calls, meetings, deals moved and won and revenue, and today's tasks and meetings; for the team the overdue tasks,
/// stalled deals, leads waiting past the response time and the month's plan so far.
public struct DailyMeeting: Sendable {
    public struct Item: Sendable {
        public let id: Int64
        public let title: String
        public let ownerID: User.ID
        public let at: Date?
    }

    public struct Member: Sendable {
        public let userID: User.ID
        public let callsOutbound: Int64
        public let callsInbound: Int64
        public let effectiveConversations: Int64
        public let missedCalls: Int64
        public let meetingsHeld: Int64
        public let dealsMoved: Int64
        public let dealsWon: Int64
        public let revenue: Int64
        /// Open tasks due today and meetings set for today, soonest first.
        public let today: [Item]
    }

    public let team: Team.ID
    public let date: LocalDate
    /// The working day before `date` (Friday for a Monday).
    public let previousDay: LocalDate
    public let members: [Member]
    public let overdueTasks: [Item]
    public let stalledDeals: [Item]
    public let leadsOverSLA: [Item]
    /// The team's plan for the month of `date`, as of `date`.
    public let plan: PlanStanding?

    /// How many of each list the meeting shows (the most pressing first).
    public static let listLimit = 50

    /// Monday's meeting looks back at Friday, Sunday's at Friday too.
    public static func previousWorkingDay(before date: LocalDate) -> LocalDate {
        var day = date.adding(days: -1)
        while day.isoWeekday > 5 { day = day.adding(days: -1) }
        return day
    }
}

extension Database {
    /// The daily meeting of `team` on `date`, read as the actor: whoever may read the team's plans (its head, directors,
    /// analysts and admins) may hold it. The members are those in the team on `date`.
    /// Leads count as waiting as of `now` (or the end of `date`, for a past day).
    public func dailyMeeting(of team: Team.ID, on date: LocalDate, now: Date, for actor: Actor) async throws -> DailyMeeting {
        guard AccessPolicy.scope(actor, .read, .plan).allows(PlanSubject.team(team)) else { throw AccessDenied.forbidden(.read, .plan) }
        guard try await teams().contains(where: { $0.id == team }) else { throw AccessDenied.notFound(.team, id: team.rawValue) }
        let context = try await kpiContext(asOf: date)
        let zone = context.zone
        let previous = DailyMeeting.previousWorkingDay(before: date)
        let yesterday = try DateWindow(from: previous, through: previous)
        let members = try await memberDays(of: team, in: try DateWindow(from: date, through: date)).keys.sorted()
        let dayStart = date.start(in: zone).epochMilliseconds, dayEnd = date.adding(days: 1).start(in: zone).epochMilliseconds
        let previousStart = previous.start(in: zone).epochMilliseconds, previousEnd = previous.adding(days: 1).start(in: zone).epochMilliseconds
        let owners = SQLQueryString.list(members.map(\.rawValue)[...])

        let yesterdays = try await kpiFacts(spans: Dictionary(uniqueKeysWithValues: members.map { ($0, [yesterday]) }), asOf: date,
                                            context: context, customerHistory: false, for: actor)
        // The day's moves of every member at once, from the history's index by time (migration 55): a member at a time
        // probed every deal they ever had (38 of a team's 105 ms at scale L on PostgreSQL). The unary plus keeps SQLite
        // from starting at the owners' deals instead.
        let moves: [User.ID: Int64] = members.isEmpty ? [:] : try await read { sql in
            var moves: [User.ID: Int64] = [:]
            for row in try await sql.raw("""
                SELECT d.owner_id, COUNT(DISTINCT h.deal_id) AS n FROM deal_stage_history h JOIN deals d ON d.id = h.deal_id
                WHERE \(RecordAccess.condition(actor, .list, .deal, row: "d")) AND +d.owner_id IN \(owners)
                    AND h.entered_at >= \(bind: previousStart) AND h.entered_at < \(bind: previousEnd)
                GROUP BY d.owner_id
                """).all() {
                moves[User.ID(try row.decode(column: "owner_id", as: Int64.self))] = try row.decode(column: "n", as: Int64.self)
            }
            return moves
        }
        var rows: [DailyMeeting.Member] = []
        for user in members {
            let facts = yesterdays[user] ?? KPIFacts()
            let moved = moves[user] ?? 0
            let today = try await read { sql -> [DailyMeeting.Item] in
                try await sql.raw("""
                    SELECT a.id, a.subject, a.owner_id, COALESCE(a.due_at, a.occurred_at) AS at FROM activities a
                    WHERE \(RecordAccess.condition(actor, .list, .activity, row: "a")) AND a.owner_id = \(bind: user.rawValue) AND a.done_at IS NULL
                        AND ((a.kind = 'task' AND a.due_at >= \(bind: dayStart) AND a.due_at < \(bind: dayEnd))
                             OR (a.kind = 'meeting' AND a.occurred_at >= \(bind: dayStart) AND a.occurred_at < \(bind: dayEnd)))
                    ORDER BY at, a.id LIMIT \(bind: DailyMeeting.listLimit)
                    """).all().map(Self.item)
            }
            rows.append(.init(userID: user, callsOutbound: facts.callsOutbound, callsInbound: facts.callsInbound,
                              effectiveConversations: facts.effectiveConversations, missedCalls: facts.missedCalls,
                              meetingsHeld: facts.meetingsHeld, dealsMoved: moved, dealsWon: facts.dealsWon, revenue: facts.revenue, today: today))
        }
        let stalledSince = dayStart - Int64(context.thresholds.stalledDays) * 86_400_000
        let leadSLA = Int64(context.thresholds.leadResponseSeconds) * 1000
        let now = min(dayEnd, now.epochMilliseconds)
        let limit = DailyMeeting.listLimit
        let (overdue, stalled, waiting) = try await read { sql -> ([DailyMeeting.Item], [DailyMeeting.Item], [DailyMeeting.Item]) in
            guard !members.isEmpty else { return ([], [], []) }
            let overdue = try await sql.raw("""
                SELECT a.id, a.subject, a.owner_id, a.due_at AS at FROM activities a
                WHERE \(RecordAccess.condition(actor, .list, .activity, row: "a")) AND a.owner_id IN \(owners) AND a.kind = 'task'
                    AND a.done_at IS NULL AND a.due_at < \(bind: dayStart)
                ORDER BY a.due_at, a.id LIMIT \(bind: limit)
                """).all().map(Self.item)
            let stalled = try await Self.stalledDeals(owners: members, before: stalledSince, for: actor, in: sql)
            let waiting = try await sql.raw("""
                SELECT l.id, l.name AS subject, l.owner_id, l.received_at AS at FROM leads l
                WHERE \(RecordAccess.condition(actor, .list, .lead, row: "l")) AND l.owner_id IN \(owners) AND l.first_response_at IS NULL
                    AND l.status IN ('new', 'in_work') AND l.received_at < \(bind: now - leadSLA)
                ORDER BY l.received_at, l.id LIMIT \(bind: limit)
                """).all().map(Self.item)
            return (overdue, stalled, waiting)
        }
        var plan: PlanStanding?
        if let monthPlan = try await self.plan(about: .team(team), period: Period(.month, containing: date), for: actor) {
            plan = try await standing(of: monthPlan, for: actor, asOf: date)
        }
        return DailyMeeting(team: team, date: date, previousDay: previous, members: rows, overdueTasks: overdue, stalledDeals: stalled,
                            leadsOverSLA: waiting, plan: plan)
    }

    /// Open deals of these owners created before `since` with no activity logged since, longest quiet first.
    static func stalledDeals(owners: [User.ID], before since: Int64, for actor: Actor, in sql: any SQLDatabase) async throws -> [DailyMeeting.Item] {
        guard !owners.isEmpty else { return [] }
        return try await sql.raw("""
            SELECT d.id, d.title AS subject, d.owner_id,
                   COALESCE((SELECT MAX(a.occurred_at) FROM activities a WHERE a.deal_id = d.id), d.created_at) AS at
            FROM deals d WHERE \(RecordAccess.condition(actor, .list, .deal, row: "d")) AND d.owner_id IN \(SQLQueryString.list(owners.map(\.rawValue)[...]))
                AND \(stalledCondition(deal: "d", before: since))
            ORDER BY at, d.id LIMIT \(bind: DailyMeeting.listLimit)
            """).all().map(item)
    }

    private static func item(_ row: any SQLRow) throws -> DailyMeeting.Item {
        DailyMeeting.Item(id: try row.decode(column: "id", as: Int64.self), title: try row.decode(column: "subject", as: String.self),
                          ownerID: User.ID(try row.decode(column: "owner_id", as: Int64.self)),
                          at: try row.decode(column: "at", as: Int64?.self).map { Date(epochMilliseconds: $0) })
    }
}
