import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Testing

/// `GET /api/v1/forecast/accounts` against each customer's order days read straight from the orders: who is regular,
/// when they are expected, for how much, on both engines; a rep's list is their own customers.
@Suite struct RunRateAPITests {
    struct Answer: Decodable {
        struct Item: Decodable {
            let accountId: Int64; let lastOrder: String; let medianGapDays: Double; let expectedNext: String; let daysUntil: Int
            let expectedAmount: Int64; let ordersLast12Months: Int64; let status: String
        }
        struct Month: Decodable { let month: String; let expected: Int64 }
        let counts: [String: Int]
        let months: [Month]
        let items: [Item]
    }

    @Test(arguments: TestDatabase.engines)
    func expectedOrdersFollowEachCustomersRhythm(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let today = try LocalDate(iso: "2026-11-20")
            let yearAgo = today.adding(months: -12)
            for user in [fixture.director, fixture.rep] {
                let owners = try await fixture.owners(of: user)
                // Per account: every order day (the rhythm is the customer's, whoever sold), and the year's orders and revenue as the reader sees them.
                var days: [Int64: Set<LocalDate>] = [:], orders: [Int64: Set<Int64>] = [:], revenue: [Int64: Int64] = [:]
                for line in fixture.raw.lines {
                    days[line.account, default: []].insert(line.day)
                    guard line.day > yearAgo, line.day <= today, owners == nil || owners!.contains(line.owner) else { continue }
                    orders[line.account, default: []].insert(line.order)
                    revenue[line.account, default: 0] += line.revenue
                }
                var expected: [Int64: (next: LocalDate, amount: Int64)] = [:]
                for (account, set) in orders where set.count >= 2 {
                    guard let gap = Retention.medianGap(Array(days[account]!)) else { continue }
                    let last = min(days[account]!.max()!, today)
                    expected[account] = (last.adding(days: Int(gap.rounded())), Int64((Double(revenue[account]!) / Double(set.count)).rounded()))
                }
                #expect(!expected.isEmpty, "\(user.role) has regular customers")
                let token = try await client.token(for: user)
                let answer = try await client.get("/api/v1/forecast/accounts?horizon=3", token: token).json(Answer.self)
                #expect(answer.items.count == expected.count, "\(user.role): every regular customer")
                #expect(answer.counts.values.reduce(0, +) == expected.count)
                for item in answer.items {
                    let want = try #require(expected[item.accountId], "\(user.role): \(item.accountId) is regular")
                    #expect(item.expectedNext == want.next.iso && item.expectedAmount == want.amount, "\(user.role) \(item.accountId)")
                    #expect(item.daysUntil == today.days(until: want.next))
                }
                // Late first, then due, later, at risk.
                let rank = ["late": 0, "due": 1, "later": 2, "at_risk": 3]
                #expect(answer.items.map { rank[$0.status]! } == answer.items.map { rank[$0.status]! }.sorted())
                #expect(answer.months.map(\.month) == ["2026-11", "2026-12", "2027-01"])
            }
            let director = try await client.token(for: fixture.director)
            let late = try await client.get("/api/v1/forecast/accounts?status=late&limit=3", token: director).json(Answer.self)
            #expect(late.items.count <= 3 && late.items.allSatisfy { $0.status == "late" && $0.daysUntil < 0 })
            let bad = try await client.get("/api/v1/forecast/accounts?status=soon", token: director)
            let fields = try bad.problem().errors?.map(\.field)
            #expect(bad.status == .badRequest && fields == ["status"])
        }
    }
}
