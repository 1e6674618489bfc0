import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Testing

/// Retention and the churn-risk list through the API equal the same customers found by walking the order lines,
/// for three roles, on both engines.
@Suite struct AnalyticsRetentionTests {
    struct Answer: Decodable {
        struct AtRisk: Decodable { let id: Int64; let lastOrder: String; let daysSince: Int; let thresholdDays: Double; let previousRevenue: Int64 }
        let activeCustomers: Int, repeatCustomers: Int, previousActive: Int, retained: Int, churnRiskCount: Int
        let churnRisk: [AtRisk]
    }

    @Test(arguments: TestDatabase.engines)
    func customersAtRiskAreTheOnesTheLinesShow(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let raw = fixture.raw
            var atRisk = 0
            for user in [fixture.director, fixture.head, fixture.rep] {
                let token = try await client.token(for: user)
                let owners = try await fixture.owners(of: user)
                for (from, to) in [("2026-04-01", "2026-09-30"), ("2026-01-01", "2026-11-20")] {
                    let window = try DateWindow(from: try LocalDate(iso: from), through: try LocalDate(iso: to))
                    let visible = raw.lines.filter { owners == nil || owners!.contains($0.owner) }
                    var months: [Int64: Set<Int>] = [:]
                    for line in visible where line.day >= window.from && line.day <= window.through { months[line.account, default: []].insert(line.day.monthKey) }
                    var before: [Int64: Int64] = [:]
                    for line in visible where line.day >= window.previous.from && line.day <= window.previous.through {
                        before[line.account, default: 0] += line.revenue
                    }
                    var expected: [Int64: (last: LocalDate, since: Int)] = [:]
                    for account in before.keys {
                        let days = Array(Set(visible.filter { $0.account == account && $0.day <= window.through }.map(\.day))).sorted()
                        let gaps = zip(days, days.dropFirst()).map { $0.days(until: $1) }.sorted()
                        var median: Double? = nil
                        if !gaps.isEmpty {
                            median = gaps.count % 2 == 1 ? Double(gaps[gaps.count / 2]) : Double(gaps[gaps.count / 2 - 1] + gaps[gaps.count / 2]) / 2
                        }
                        let since = days.last!.days(until: window.through)
                        if Double(since) > max(60, 1.5 * (median ?? 0)) { expected[account] = (days.last!, since) }
                    }
                    let answer = try await client.get("/api/v1/analytics/retention?from=\(from)&to=\(to)&limit=100000", token: token).json(Answer.self)
                    let context = "\(user.role) \(from)..\(to)"
                    #expect(answer.activeCustomers == months.count && answer.repeatCustomers == months.values.filter { $0.count >= 2 }.count, "\(context)")
                    #expect(answer.previousActive == before.count && answer.retained == before.keys.filter { months[$0] != nil }.count, "\(context)")
                    #expect(answer.churnRiskCount == expected.count && Set(answer.churnRisk.map(\.id)) == Set(expected.keys), "\(context) at risk")
                    for row in answer.churnRisk {
                        #expect(row.lastOrder == expected[row.id]?.last.iso && row.daysSince == expected[row.id]?.since, "\(context) \(row.id)")
                        #expect(row.previousRevenue == before[row.id])
                    }
                    #expect(answer.churnRisk.map(\.previousRevenue) == answer.churnRisk.map(\.previousRevenue).sorted(by: >), "biggest first")
                    atRisk += expected.count
                }
            }
            #expect(atRisk > 5, "some customers are at risk (\(atRisk))")
        }
    }
}
