import Foundation
import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

/// Migration 17 indexes only the orders linked to a deal; the one question asked by deal (does this won deal have its
/// order yet) must still be answered from that index on both engines, not by reading every order.
@Suite struct LinkedOrdersIndexTests {
    @Test(arguments: TestDatabase.engines)
    func aDealsOrderIsFoundThroughThePartialIndex(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let plan = try await QueryPlan.of("SELECT COUNT(*) AS n FROM orders WHERE deal_id = 7", in: database)
            #expect(plan.contains("orders_deal"), "\(plan)")
            let definition = try await database.read { sql -> String in
                let query: SQLQueryString = sql.dialect.name == "postgresql"
                    ? "SELECT indexdef AS d FROM pg_indexes WHERE indexname = 'orders_deal'"
                    : "SELECT sql AS d FROM sqlite_master WHERE name = 'orders_deal'"
                return try await sql.raw(query).first()?.decode(column: "d", as: String.self) ?? ""
            }
            #expect(definition.lowercased().contains("where") && definition.lowercased().contains("deal_id is not null"), "\(definition)")
        }
    }
}
