import Foundation
import KvotaCore
import SQLKit

extension Database {
    /// `owner`'s day as `actor` may see it (a rep their own; a head a team member's): every list goes through the
    /// access condition, so asking for someone else's day shows only what the actor may read.
    public func myDay(of owner: User.ID, for actor: Actor, day: LocalDate, timeZone: TimeZone, now: Date) async throws -> MyDay {
        let start = day.start(in: timeZone).epochMilliseconds
        let end = day.adding(days: 1).start(in: timeZone).epochMilliseconds
        let missedSince = now.addingTimeInterval(-MyDay.callbackWindow).epochMilliseconds
        let activities = RecordAccess.condition(actor, .list, .activity, row: "r")
        let openPlanned: SQLQueryString = """
            r.owner_id = \(bind: owner.rawValue) AND r.done_at IS NULL AND r.kind IN ('task', 'meeting') AND \(activities)
            """
        let callbacks: SQLQueryString = """
            r.owner_id = \(bind: owner.rawValue) AND r.kind = 'call' AND r.call_disposition = 'missed' AND r.call_direction = 'inbound'
            AND r.occurred_at >= \(bind: missedSince) AND r.external_number IS NOT NULL AND \(activities)
            AND NOT EXISTS (SELECT 1 FROM activities AS back WHERE back.external_number = r.external_number
                            AND back.occurred_at > r.occurred_at AND back.kind = 'call' AND back.call_direction = 'outbound')
            """
        let newLeads: SQLQueryString = """
            r.owner_id = \(bind: owner.rawValue) AND r.status = 'new' AND r.first_response_at IS NULL
            AND \(RecordAccess.condition(actor, .list, .lead, row: "r"))
            """
        let idleDeals: SQLQueryString = """
            r.owner_id = \(bind: owner.rawValue) AND r.status = 'open' AND \(RecordAccess.condition(actor, .list, .deal, row: "r"))
            AND NOT EXISTS (SELECT 1 FROM activities AS n WHERE n.deal_id = r.id AND n.done_at IS NULL AND n.kind IN ('task', 'meeting'))
            """
        return try await read { sql in
            func capped<Item>(_ table: String, _ condition: SQLQueryString, _ items: [Item]) async throws -> MyDay.Capped<Item> {
                guard items.count == MyDay.limit else { return .init(items: items, total: items.count) }
                let total = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table) AS r WHERE \(condition)").first()?
                    .decode(column: "n", as: Int.self) ?? items.count
                return .init(items: items, total: total)
            }
            func planned(_ due: SQLQueryString) async throws -> MyDay.Capped<MyDay.Planned> {
                let condition: SQLQueryString = "\(openPlanned) AND \(due)"
                let items = try await sql.raw("""
                    SELECT \(unsafeRaw: Self.activityColumns), COALESCE(d.title, a.name) AS about
                    FROM activities AS r LEFT JOIN deals AS d ON d.id = r.deal_id LEFT JOIN accounts AS a ON a.id = r.account_id
                    WHERE \(condition) ORDER BY r.due_at, r.id LIMIT \(unsafeRaw: String(MyDay.limit))
                    """).all().map { MyDay.Planned(activity: try Self.activity(from: $0), about: try $0.decode(column: "about", as: String?.self)) }
                return try await capped("activities", condition, items)
            }
            let today = try await planned("r.due_at >= \(bind: start) AND r.due_at < \(bind: end)")
            let overdue = try await planned("r.due_at < \(bind: start)")
            let calls = try await sql.raw("""
                SELECT \(unsafeRaw: Self.activityColumns), a.name AS about
                FROM activities AS r LEFT JOIN accounts AS a ON a.id = r.account_id
                WHERE \(callbacks) ORDER BY r.occurred_at, r.id LIMIT \(unsafeRaw: String(MyDay.limit))
                """).all().map { MyDay.Callback(call: try Self.activity(from: $0), about: try $0.decode(column: "about", as: String?.self)) }
            let leads = try await sql.raw("""
                SELECT \(unsafeRaw: Self.leadColumns) FROM leads AS r
                WHERE \(newLeads) ORDER BY r.received_at, r.id LIMIT \(unsafeRaw: String(MyDay.limit))
                """).all().map(Self.lead(from:))
            let idle = try await sql.raw("""
                SELECT \(unsafeRaw: Self.dealColumns), a.name AS account_name, s.name AS stage_name,
                       (SELECT MAX(x.occurred_at) FROM activities AS x WHERE x.deal_id = r.id) AS last_activity_at
                FROM deals AS r JOIN accounts AS a ON a.id = r.account_id JOIN stages AS s ON s.id = r.stage_id
                WHERE \(idleDeals) ORDER BY r.updated_at, r.id LIMIT \(unsafeRaw: String(MyDay.limit))
                """).all().map { row in
                    MyDay.IdleDeal(deal: try Self.deal(from: row), accountName: try row.decode(column: "account_name", as: String.self),
                                   stageName: try row.decode(column: "stage_name", as: String.self),
                                   lastActivityAt: try row.decode(column: "last_activity_at", as: Int64?.self).map(Date.init(epochMilliseconds:)))
                }
            return MyDay(dueToday: today, overdue: overdue, callbacks: try await capped("activities", callbacks, calls),
                         newLeads: try await capped("leads", newLeads, leads),
                         dealsWithoutNextStep: try await capped("deals", idleDeals, idle))
        }
    }
}
