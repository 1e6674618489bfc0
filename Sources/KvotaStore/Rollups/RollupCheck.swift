import KvotaCore
import SQLKit

/// What `kvota verify` found for one roll-up table: rows the records (orders, closed deals) imply that the table lacks
/// or holds differently (`missing`), and rows the table holds that they do not imply (`extra`). Both zero means exact.
public struct RollupCheck: Sendable, Equatable {
    public let table: String
    public let rows: Int
    public let missing: Int
    public let extra: Int

    public var exact: Bool { missing == 0 && extra == 0 }
}

extension Database {
    /// Compares every sales roll-up with the same sums computed from the orders now (a full read of the order lines),
    /// the stage outcomes with the closed deals' stage history, the packed sales months with their rows, and on
    /// PostgreSQL the deals' stage trails with their history.
    public func checkRollups() async throws -> [RollupCheck] {
        try await read { sql in
            var checks: [RollupCheck] = []
            let sources: [(String, String, SQLQueryString)] = SalesRollups.Summed.allCases.map { ($0.table, $0.columns, $0.select("1 = 1")) }
                + [(StageOutcomes.table, StageOutcomes.columns, StageOutcomes.select("1 = 1"))]
            for (table, columns, select) in sources {
                let stored: SQLQueryString = "SELECT \(unsafeRaw: columns) FROM \(ident: table)"
                // One EXCEPT per direction: SQLite does not take a parenthesised compound inside another.
                let missing = try await Self.count(in: sql, "SELECT COUNT(*) AS n FROM (\(select) EXCEPT \(stored)) AS d")
                let extra = try await Self.count(in: sql, "SELECT COUNT(*) AS n FROM (\(stored) EXCEPT \(select)) AS d")
                let rows = try await Self.count(in: sql, "SELECT COUNT(*) AS n FROM \(ident: table)")
                checks.append(RollupCheck(table: table, rows: rows, missing: missing, extra: extra))
            }
            checks.append(try await Self.checkCustomers(in: sql))
            for kind in PackedSalesMonths.allCases { checks.append(try await Self.checkPackedSalesMonths(kind, in: sql)) }
            if engine == .postgres { checks.append(try await Self.checkStageTrails(in: sql)) }
            return checks
        }
    }

    /// Rebuilds every roll-up from the orders and the deals (and on PostgreSQL the stage trails), in one transaction.
    public func rebuildRollups() async throws {
        try await write { sql in
            try await SalesRollups.rebuild(in: sql)
            try await StageOutcomes.rebuild(in: sql)
            if engine == .postgres {
                try await sql.raw("""
                    UPDATE deals d SET stage_trail = t.trail FROM (\(Self.stageTrails)) t
                    WHERE d.id = t.deal_id AND d.stage_trail IS DISTINCT FROM t.trail
                    """).run()
                try await sql.raw("""
                    UPDATE deals SET stage_trail = NULL
                    WHERE stage_trail IS NOT NULL AND NOT EXISTS (SELECT 1 FROM deal_stage_history h WHERE h.deal_id = deals.id)
                    """).run()
            }
        }
    }

    /// Every deal's trail as its history gives it (migration 49), on PostgreSQL.
    private static let stageTrails: SQLQueryString = """
        SELECT deal_id, string_agg(int8send(stage_id) || int8send(entered_at), ''::bytea ORDER BY id) AS trail
        FROM deal_stage_history GROUP BY deal_id
        """

    /// The deals' stage trails against their history, on PostgreSQL: `missing`, deals with history whose trail is absent
    /// or differs; `extra`, trails on deals with no history.
    private static func checkStageTrails(in sql: any SQLDatabase) async throws -> RollupCheck {
        let row = try await sql.raw("""
            SELECT COUNT(d.stage_trail) AS n,
                   COUNT(CASE WHEN t.trail IS NOT NULL AND d.stage_trail IS DISTINCT FROM t.trail THEN 1 END) AS missing,
                   COUNT(CASE WHEN t.trail IS NULL AND d.stage_trail IS NOT NULL THEN 1 END) AS extra
            FROM deals d LEFT JOIN (\(stageTrails)) t ON t.deal_id = d.id
            """).first()
        return RollupCheck(table: "deals.stage_trail", rows: try row?.decode(column: "n", as: Int.self) ?? 0,
                           missing: try row?.decode(column: "missing", as: Int.self) ?? 0, extra: try row?.decode(column: "extra", as: Int.self) ?? 0)
    }

    /// `sales_customers` against each buyer's order days and the keys of its first day's orders (the rhythm is worked
    /// out in Swift, as the roll-up does), a range of accounts at a time.
    private static func checkCustomers(in sql: any SQLDatabase) async throws -> RollupCheck {
        let top = try await sql.raw("SELECT MAX(id) AS n FROM accounts").first()?.decode(column: "n", as: Int64?.self) ?? nil
        var rows = 0, missing = 0, extra = 0
        for start in stride(from: Int64(0), through: top ?? -1, by: 20_000) {
            var days: [Int64: [SalesRollups.OrderDay]] = [:]
            for row in try await sql.raw("""
                SELECT o.account_id, o.ordered_on, MIN(COALESCE(o.owner_id, 0)) AS owner_id, MIN(COALESCE(o.region_id, 0)) AS region_id,
                       MIN(COALESCE(o.channel_id, 0)) AS channel_id
                FROM orders o
                WHERE \(SalesRollups.counted()) AND o.account_id BETWEEN \(bind: start) AND \(bind: start + 19_999)
                GROUP BY o.account_id, o.ordered_on ORDER BY o.account_id, o.ordered_on
                """).all() {
                let day = SalesRollups.OrderDay(day: try LocalDate(key: try row.decode(column: "ordered_on", as: Int.self)),
                                                owner: try row.decode(column: "owner_id", as: Int64.self),
                                                region: try row.decode(column: "region_id", as: Int64.self),
                                                channel: try row.decode(column: "channel_id", as: Int64.self))
                days[try row.decode(column: "account_id", as: Int64.self), default: []].append(day)
            }
            let expected = Set(days.map { SalesRollups.customer($0.key, days: $0.value) })
            let stored = Set(try await sql.raw("""
                SELECT \(unsafeRaw: SalesRollups.customerColumns) FROM sales_customers WHERE account_id BETWEEN \(bind: start) AND \(bind: start + 19_999)
                """).all().map { row in
                SalesRollups.CustomerRow(account: try row.decode(column: "account_id", as: Int64.self), first: try row.decode(column: "first_day", as: Int.self),
                                         last: try row.decode(column: "last_day", as: Int.self),
                                         medianGap: try row.decode(column: "median_gap_days", as: Double?.self),
                                         firstOwner: try row.decode(column: "first_owner_id", as: Int64.self),
                                         firstRegion: try row.decode(column: "first_region_id", as: Int64.self),
                                         firstChannel: try row.decode(column: "first_channel_id", as: Int64.self))
            })
            rows += stored.count
            missing += expected.subtracting(stored).count
            extra += stored.subtracting(expected).count
        }
        return RollupCheck(table: "sales_customers", rows: rows, missing: missing, extra: extra)
    }

    private static func count(in sql: any SQLDatabase, _ query: SQLQueryString) async throws -> Int {
        try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
