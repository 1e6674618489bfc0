import KvotaCore
import SQLKit

/// Revenue (METRICS.md: order line net amounts of orders dated in the period, cancelled orders excluded; drafts are not sales yet) per
/// calendar month, in base-currency minor units. The raw grouped query the first benchmark times; the analytics
/// issue builds on it. (PostgreSQL sums BIGINT into NUMERIC; the casts keep both engines' results 64-bit integers.)
public struct MonthlyRevenue: Sendable, Equatable {
    public let month: Period
    public let revenueMinor: Int64
    public let costMinor: Int64
}

extension Database {
    public func revenueByMonth(from: LocalDate, through: LocalDate) async throws -> [MonthlyRevenue] {
        try await read { sql in
            let rows = try await sql.raw("""
                SELECT o.ordered_on / 100 AS month, CAST(SUM(l.net_base_minor) AS BIGINT) AS revenue,
                    CAST(SUM(l.cost_base_minor) AS BIGINT) AS cost
                FROM orders o JOIN order_lines l ON l.order_id = o.id
                WHERE o.ordered_on >= \(bind: from.key) AND o.ordered_on <= \(bind: through.key) AND o.status NOT IN ('draft', 'cancelled')
                GROUP BY o.ordered_on / 100 ORDER BY month
                """).all()
            return try rows.map { row in
                let key = try row.decode(column: "month", as: Int.self)
                return MonthlyRevenue(month: try Period(monthKey: key),
                                      revenueMinor: try row.decode(column: "revenue", as: Int64.self),
                                      costMinor: try row.decode(column: "cost", as: Int64.self))
            }
        }
    }
}
