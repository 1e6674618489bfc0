import Foundation
import KvotaCore
import SQLKit

extension Database {
    /// `team`'s active members with their open work, counted only over the records `actor` may list (a head sees
    /// their own team's; a rep asking would see only their own figures).
    public func teamOverview(_ teamID: Team.ID, for actor: Actor, now: Date) async throws -> TeamOverview {
        _ = try AccessPolicy.require(actor, .read, .team)
        guard let team = try await self.team(id: teamID) else { throw AccessDenied.notFound(.team, id: teamID.rawValue) }
        let members = try await users().filter { $0.teamID == teamID && $0.active }.sorted { $0.name < $1.name }
        guard !members.isEmpty else { return TeamOverview(team: team, members: []) }
        let owners = SQLGroupExpression(SQLList(members.map { SQLBind($0.id.rawValue) }))
        return try await read { sql in
            var deals: [Int64: Int] = [:], amounts: [Int64: [Money]] = [:]
            for row in try await sql.raw("""
                SELECT r.owner_id, r.currency, COUNT(*) AS n, CAST(SUM(r.amount_minor) AS BIGINT) AS total FROM deals AS r
                WHERE r.status = 'open' AND r.owner_id IN \(owners) AND \(RecordAccess.condition(actor, .list, .deal, row: "r"))
                GROUP BY r.owner_id, r.currency
                """).all() {
                let owner = try row.decode(column: "owner_id", as: Int64.self)
                deals[owner, default: 0] += try row.decode(column: "n", as: Int.self)
                amounts[owner, default: []].append(Money(minorUnits: try row.decode(column: "total", as: Int64.self),
                                                         currency: try Currency(try row.decode(column: "currency", as: String.self))))
            }
            var open: [Int64: Int] = [:], overdue: [Int64: Int] = [:]
            for row in try await sql.raw("""
                SELECT r.owner_id, COUNT(*) AS n, SUM(CASE WHEN r.due_at < \(bind: now.epochMilliseconds) THEN 1 ELSE 0 END) AS late
                FROM activities AS r
                WHERE r.done_at IS NULL AND r.kind IN ('task', 'meeting') AND r.owner_id IN \(owners)
                  AND \(RecordAccess.condition(actor, .list, .activity, row: "r"))
                GROUP BY r.owner_id
                """).all() {
                let owner = try row.decode(column: "owner_id", as: Int64.self)
                open[owner] = try row.decode(column: "n", as: Int.self)
                overdue[owner] = try row.decode(column: "late", as: Int?.self) ?? 0
            }
            var leads: [Int64: Int] = [:]
            for row in try await sql.raw("""
                SELECT r.owner_id, COUNT(*) AS n FROM leads AS r
                WHERE r.status = 'new' AND r.first_response_at IS NULL AND r.owner_id IN \(owners)
                  AND \(RecordAccess.condition(actor, .list, .lead, row: "r"))
                GROUP BY r.owner_id
                """).all() {
                leads[try row.decode(column: "owner_id", as: Int64.self)] = try row.decode(column: "n", as: Int.self)
            }
            return TeamOverview(team: team, members: members.map { user in
                let id = user.id.rawValue
                return TeamOverview.Member(user: user, openDeals: deals[id] ?? 0,
                                           openAmounts: (amounts[id] ?? []).sorted { $0.minorUnits > $1.minorUnits },
                                           openTasks: open[id] ?? 0, overdueTasks: overdue[id] ?? 0, newLeads: leads[id] ?? 0)
            })
        }
    }
}
