import SQLKit

/// What `kvota verify` found for one roll-up table: rows the orders imply that the table lacks or holds differently
/// (`missing`), and rows the table holds that the orders do not imply (`extra`). Both zero means exact.
public struct RollupCheck: Sendable, Equatable {
    public let table: String
    public let rows: Int
    public let missing: Int
    public let extra: Int

    public var exact: Bool { missing == 0 && extra == 0 }
}

extension Database {
    /// Compares every sales roll-up with the same sums computed from the orders now (a full read of the order lines).
    public func checkSalesRollups() async throws -> [RollupCheck] {
        try await read { sql in
            var checks: [RollupCheck] = []
            let sources: [(String, String, SQLQueryString)] = [
                ("sales_day", SalesRollups.dayColumns, SalesRollups.daySelect("1 = 1")),
                ("sales_month", SalesRollups.monthColumns, SalesRollups.monthSelect("1 = 1")),
                ("sales_customers", SalesRollups.customerColumns, SalesRollups.customerSelect),
            ]
            for (table, columns, select) in sources {
                let stored: SQLQueryString = "SELECT \(unsafeRaw: columns) FROM \(ident: table)"
                // One EXCEPT per direction: SQLite does not take a parenthesised compound inside another.
                let missing = try await Self.count(in: sql, "SELECT COUNT(*) AS n FROM (\(select) EXCEPT \(stored)) AS d")
                let extra = try await Self.count(in: sql, "SELECT COUNT(*) AS n FROM (\(stored) EXCEPT \(select)) AS d")
                let rows = try await Self.count(in: sql, "SELECT COUNT(*) AS n FROM \(ident: table)")
                checks.append(RollupCheck(table: table, rows: rows, missing: missing, extra: extra))
            }
            return checks
        }
    }

    /// Rebuilds every sales roll-up from the orders, in one transaction.
    public func rebuildSalesRollups() async throws {
        try await write { sql in try await SalesRollups.rebuild(in: sql) }
    }

    private static func count(in sql: any SQLDatabase, _ query: SQLQueryString) async throws -> Int {
        try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
