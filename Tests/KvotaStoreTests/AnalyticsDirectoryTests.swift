import Foundation
import KvotaCore
import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

/// Owners and rhythms of many customers (a director's migration and retention at scale L) are read in one pass over
/// every account instead of lists of ids: both ways give the same answer, with or without the recent buyers.
@Suite struct AnalyticsDirectoryTests {
    @Test(arguments: TestDatabase.engines)
    func manyCustomersReadAsFewDo(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            _ = try await DemoLoader.load(DemoOptions(scale: .tiny, seed: 3, asOf: try LocalDate(iso: "2026-11-20")), into: database)
            let buyers = try await database.read { sql in
                try await sql.raw("SELECT account_id FROM sales_customers ORDER BY account_id").all().map { try $0.decode(column: "account_id", as: Int64.self) }
            }
            // Ids no account has push the lists past the one-pass threshold without changing the answer.
            let many = buyers + (1_000_000..<1_006_000).map(Int64.init)
            let rhythms = try await database.customerRhythms(buyers)
            #expect(rhythms.count == buyers.count)
            #expect(rhythms.values.contains { $0.medianGap != nil } && rhythms.values.contains { $0.medianGap == nil || $0.medianGap! != $0.medianGap!.rounded() })
            #expect(try await database.customerRhythms(many) == rhythms)
            let owners = try await database.accountOwners(Set(buyers))
            #expect(owners.count == buyers.count && owners.values.contains { $0 != 0 })
            #expect(try await database.accountOwners(Set(many)) == owners)
            // In id order, the same owners both ways (unknown ids have none).
            let ordered = try await database.accountOwners(inIDOrder: buyers)
            #expect(ordered == buyers.map { owners[$0]! })
            #expect(try await database.accountOwners(inIDOrder: many) == ordered + Array(repeating: 0, count: 6_000))
            // Leaving out the customers who last bought in some days leaves exactly them out, both ways.
            let lastDays = rhythms.values.map(\.lastDay).sorted()
            let skipped = lastDays[lastDays.count / 3]...lastDays[lastDays.count * 2 / 3]
            let kept = rhythms.filter { !skipped.contains($0.value.lastDay) }
            #expect(!kept.isEmpty && kept.count < rhythms.count)
            #expect(try await database.customerRhythms(buyers, exceptLastDayIn: skipped) == kept)
            #expect(try await database.customerRhythms(many, exceptLastDayIn: skipped) == kept)
        }
    }
}
