import Foundation
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import SQLKit
import Testing

/// The server's packing round packs the months before the current one of the company's calendar, once each.
@Suite struct SalesPackingScheduleTests {
    @Test(arguments: TestDatabase.engines)
    func aRoundPacksTheEndedMonthsOnce(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { _, fixture in
            let database = fixture.database
            func packed(_ table: String) async throws -> [Int] {
                try await database.read { sql in
                    try await sql.raw("SELECT month FROM \(ident: table) ORDER BY month").all().map { try $0.decode(column: "month", as: Int.self) }
                }
            }
            let loaded = try await packed("sales_account_month_packed")
            #expect(loaded.last == 202_610 && loaded.count >= 24)
            try await database.write { sql in
                try await sql.raw("DELETE FROM sales_account_month_packed").run()
                try await sql.raw("DELETE FROM sales_segment_month_packed").run()
                try await sql.raw("DELETE FROM sales_product_month_packed").run()
                try await sql.raw("DELETE FROM sales_owner_month_packed").run()
            }
            #expect(try await SalesPackingSchedule.pack(database, at: AnalyticsFixture.now) == 4 * loaded.count)
            #expect(try await packed("sales_account_month_packed") == loaded)
            #expect(try await packed("sales_segment_month_packed") == loaded)
            #expect(try await packed("sales_product_month_packed") == loaded)
            #expect(try await packed("sales_owner_month_packed") == loaded)
            #expect(try await SalesPackingSchedule.pack(database, at: AnalyticsFixture.now) == 0)
            // Once November has ended, it is packed too.
            #expect(try await SalesPackingSchedule.pack(database, at: AnalyticsFixture.now.addingTimeInterval(11 * 86_400)) == 4)
            #expect(try await packed("sales_account_month_packed").last == 202_611)
        }
    }
}
