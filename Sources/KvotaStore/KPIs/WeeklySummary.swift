import Foundation
import KvotaCore
import SQLKit

/// A team's week on one page (issue 8, "A weekly summary the same way"): each member's week beside the week before,
/// the team's, the deals won and lost with their reasons, and the team's plan for the week (else its month) as of
/// the week's end.
public struct WeeklySummary: Sendable {
    public struct Member: Sendable {
        public let userID: User.ID
        /// Over the member's days in the team, by the KPI definitions (`KPIFacts`).
        public let week: KPIFacts
        public let previous: KPIFacts
    }

    public struct Deal: Sendable {
        public let id: Int64
        public let title: String
        public let ownerID: User.ID
        public let amount: Money
        public let closedOn: LocalDate
        public let lossReason: String?
    }

    public let team: Team.ID
    public let week: Period
    /// The days counted: the whole week, or up to today for the current one.
    public let window: DateWindow
    public let previousWindow: DateWindow
    public let members: [Member]
    public let total: KPIFacts
    public let previousTotal: KPIFacts
    public let won: [Deal]
    public let lost: [Deal]
    public let plan: PlanStanding?
}

extension Database {
    /// `team`'s summary of `week` as of `asOf` (today), read as the actor: whoever may read the team's plans may read it.
    public func weeklySummary(of team: Team.ID, week: Period, asOf: LocalDate, for actor: Actor) async throws -> WeeklySummary {
        guard AccessPolicy.scope(actor, .read, .plan).allows(PlanSubject.team(team)) else { throw AccessDenied.forbidden(.read, .plan) }
        guard try await teams().contains(where: { $0.id == team }) else { throw AccessDenied.notFound(.team, id: team.rawValue) }
        let context = try await kpiContext(asOf: asOf)
        let window = try DateWindow(from: week.start, through: max(week.start, min(asOf, week.end.adding(days: -1))))
        let days = window.from.days(until: window.through)
        let previousWindow = try DateWindow(from: week.start.adding(days: -7), through: week.start.adding(days: days - 7))
        let now = try await memberFacts(of: team, over: window, asOf: asOf, context: context, for: actor)
        let before = Dictionary(try await memberFacts(of: team, over: previousWindow, asOf: asOf, context: context, for: actor)
            .map { ($0.user, $0.facts) }, uniquingKeysWith: +)
        let members = now.map { WeeklySummary.Member(userID: $0.user, week: $0.facts, previous: before[$0.user] ?? KPIFacts()) }
        let owners = Array(Set(now.map(\.user)))
        let (won, lost) = try await read { sql -> ([WeeklySummary.Deal], [WeeklySummary.Deal]) in
            guard !owners.isEmpty else { return ([], []) }
            let deals = try await sql.raw("""
                SELECT d.id, d.title, d.owner_id, d.amount_minor, d.currency, d.closed_on, d.status, d.loss_reason FROM deals d
                WHERE \(RecordAccess.condition(actor, .list, .deal, row: "d")) AND d.owner_id IN \(SQLQueryString.list(owners.map(\.rawValue).sorted()[...]))
                    AND d.status IN ('won', 'lost') AND d.closed_on BETWEEN \(bind: window.from.key) AND \(bind: window.through.key)
                ORDER BY d.closed_on, d.id
                """).all()
            var won: [WeeklySummary.Deal] = [], lost: [WeeklySummary.Deal] = []
            for row in deals {
                let deal = WeeklySummary.Deal(
                    id: try row.decode(column: "id", as: Int64.self), title: try row.decode(column: "title", as: String.self),
                    ownerID: User.ID(try row.decode(column: "owner_id", as: Int64.self)),
                    amount: Money(minorUnits: try row.decode(column: "amount_minor", as: Int64.self),
                                  currency: try Currency(try row.decode(column: "currency", as: String.self))),
                    closedOn: try LocalDate(key: try row.decode(column: "closed_on", as: Int.self)),
                    lossReason: try row.decode(column: "loss_reason", as: String?.self))
                if try row.decode(column: "status", as: String.self) == "won" { won.append(deal) } else { lost.append(deal) }
            }
            return (won, lost)
        }
        var plan: PlanStanding?
        let month = Period(.month, containing: week.start.adding(days: 3))
        for period in [week, month] {
            if let found = try await self.plan(about: .team(team), period: period, for: actor) {
                plan = try await standing(of: found, for: actor, asOf: min(window.through, period.end.adding(days: -1)))
                break
            }
        }
        return WeeklySummary(team: team, week: week, window: window, previousWindow: previousWindow, members: members,
                             total: now.map(\.facts).reduce(KPIFacts(), +), previousTotal: before.values.reduce(KPIFacts(), +),
                             won: won, lost: lost, plan: plan)
    }
}
