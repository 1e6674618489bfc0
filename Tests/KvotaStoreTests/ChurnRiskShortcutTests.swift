import KvotaCore
@testable import KvotaStore
import KvotaTestSupport
import Testing

/// Customers known to have bought within the last 60 days before a day (`churnRisks`' `boughtSince`) are not read for
/// churn risk, since none of them can be at risk: the answer must be what reading them gives, for the company and for
/// each owner, and customers of a stretch that reaches further back must still be read. On the demo company, both
/// engines.
@Suite struct ChurnRiskShortcutTests {
    @Test(arguments: TestDatabase.engines)
    func customersWhoBoughtLatelyAreLeftUnreadAndAtRiskOfNothing(engine: DatabaseEngine) async throws {
        try await TeamsReadTogetherTests.onTheDemo(engine, Self.compare)
    }

    static func compare(_ database: Database) async throws {
        let director = try await TeamsReadTogetherTests.director(database)
        let asOf = TeamsReadTogetherTests.asOf
        // A week's or a month's KPIs ask about the stretch before's customers (all bought in the last 60 days); longer
        // stretches about customers some of whom are quiet by now.
        for (days, lately) in [(7, true), (30, true), (45, false), (92, false)] {
            let window = try DateWindow(from: asOf.adding(days: -days + 1), through: asOf)
            let before = try DateWindow(from: window.from.adding(days: -days), through: window.from.adding(days: -1))
            let customers = try await database.salesTotals(for: director, filter: AnalyticsFilter(), window: before, key: .account).keys.sorted()
            #expect(!customers.isEmpty)
            let read = try await database.churnRisks(of: customers, for: director, filter: AnalyticsFilter(), window: window)
            let left = try await database.churnRisks(of: customers, boughtSince: before.from, for: director, filter: AnalyticsFilter(),
                                                     window: window)
            #expect(left == read, "\(days) days")
            #expect(read.isEmpty == lately, "\(days) days")

            var byOwner: [Int64: [Int64]] = [:]
            for row in try await database.sales(for: director, filter: AnalyticsFilter(), window: before, bucket: .total, key: .owner,
                                                perAccount: true) where row.key != 0 {
                byOwner[row.key, default: []].append(row.account)
            }
            #expect(byOwner.count > 1)
            let ownersRead = try await database.churnRisks(byOwner: byOwner, for: director, window: window)
            let ownersLeft = try await database.churnRisks(byOwner: byOwner, boughtSince: before.from, for: director, window: window)
            #expect(ownersLeft == ownersRead, "\(days) days")
            #expect(ownersRead.isEmpty == lately, "\(days) days")
        }
    }
}
