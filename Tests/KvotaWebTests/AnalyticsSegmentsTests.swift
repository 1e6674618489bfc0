import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Testing

/// Territory (with roll-up to parent regions), channels and concentration through the API equal the same figures
/// worked out from the order lines, for three roles and with filters, on both engines.
@Suite struct AnalyticsSegmentsTests {
    struct Segments: Decodable {
        struct Row: Decodable {
            let id: Int64?
            let parentId: Int64?
            let level: Int
            let revenue: Int64, margin: Int64, orders: Int64
            let activeCustomers: Int, newCustomers: Int
            let averageOrder: Int64?
            let share: Double
            let previousRevenue: Int64, yoyRevenue: Int64
        }
        let total: Int64
        let items: [Row]
    }

    struct ConcentrationAnswer: Decodable {
        struct Customer: Decodable { let id: Int64; let revenue: Int64; let share: Double }
        let total: Int64
        let customers: Int
        let topShare: Double, top5Share: Double, hhi: Double
        let alert: Bool
        let topCustomers: [Customer]
    }

    /// One region's or channel's figures from the lines: `member` says which lines (by their region or channel) it holds.
    static func figures(_ raw: RawSales, window: DateWindow, filter: AnalyticsFilter, owners: Set<Int64>?, dimension: SalesDimension,
                        member: (Int64) -> Bool) -> (revenue: Int64, margin: Int64, orders: Int, active: Int, new: Int64, previous: Int64, yoy: Int64) {
        func sums(_ range: DateWindow) -> (Int64, Int64, Set<Int64>, Set<Int64>) {
            var revenue: Int64 = 0, cost: Int64 = 0, orders = Set<Int64>(), accounts = Set<Int64>()
            for line in raw.lines where line.day >= range.from && line.day <= range.through
                && member(dimension == .region ? line.region : line.channel)
                && raw.passes(owner: line.owner, region: line.region, channel: line.channel, product: line.product, filter: filter, owners: owners) {
                revenue += line.revenue; cost += line.cost; orders.insert(line.order); accounts.insert(line.account)
            }
            return (revenue, cost, orders, accounts)
        }
        let now = sums(window)
        let new = raw.values(.newCustomers, by: dimension, over: window, filter: filter, owners: owners).filter { member($0.key) }.values.reduce(0, +)
        return (now.0, now.0 - now.1, now.2.count, now.3.count, new, sums(window.previous).0, sums(window.yearEarlier).0)
    }

    @Test(arguments: TestDatabase.engines)
    func regionsChannelsAndConcentrationEqualTheLines(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let raw = fixture.raw
            let channel = try #require(raw.lines.map(\.channel).filter { $0 != 0 }.max())
            let windows: [(String, String, AnalyticsFilter, String)] = [
                ("2026-01-01", "2026-06-30", AnalyticsFilter(), ""),
                ("2025-10-15", "2026-11-20", AnalyticsFilter(channelID: Channel.ID(channel)), "&channel=\(channel)"),
            ]
            var rows = 0
            for user in [fixture.director, fixture.head, fixture.rep] {
                let token = try await client.token(for: user)
                let owners = try await fixture.owners(of: user)
                for (from, to, filter, query) in windows {
                    let window = try DateWindow(from: try LocalDate(iso: from), through: try LocalDate(iso: to))
                    let context = "\(user.role) \(from)..\(to)\(query)"
                    for dimension in [SalesDimension.region, .channel] {
                        let path = dimension == .region ? "territory" : "channels"
                        let answer = try await client.get("/api/v1/analytics/\(path)?from=\(from)&to=\(to)\(query)", token: token).json(Segments.self)
                        #expect(answer.total == raw.lines.filter { $0.day >= window.from && $0.day <= window.through
                            && raw.passes(owner: $0.owner, region: $0.region, channel: $0.channel, product: $0.product, filter: filter, owners: owners)
                        }.reduce(0) { $0 + $1.revenue }, "\(context) \(path) total")
                        for row in answer.items {
                            let id = row.id ?? 0
                            let member: (Int64) -> Bool = dimension == .channel || id == 0
                                ? { $0 == id } : { RawSales.within($0, id, parents: raw.regionParent) }
                            let want = Self.figures(raw, window: window, filter: filter, owners: owners, dimension: dimension, member: member)
                            #expect(row.revenue == want.revenue && row.margin == want.margin && row.orders == Int64(want.orders),
                                    "\(context) \(path) \(id) sums")
                            #expect(row.activeCustomers == want.active && Int64(row.newCustomers) == want.new, "\(context) \(path) \(id) customers")
                            #expect(row.previousRevenue == want.previous && row.yoyRevenue == want.yoy, "\(context) \(path) \(id) comparisons")
                            rows += 1
                        }
                        if dimension == .region {
                            // Children come right after their parent, one level deeper.
                            for (index, row) in answer.items.enumerated() where row.parentId != nil {
                                #expect(answer.items[..<index].contains { $0.id == row.parentId && $0.level == row.level - 1 }, "\(context) tree")
                            }
                        }
                    }

                    let values = raw.values(.revenue, by: .account, over: window, filter: filter, owners: owners)
                    let positive = values.values.filter { $0 > 0 }.reduce(0, +)
                    let shares = values.values.filter { $0 > 0 }.map { Double($0) / Double(positive) }.sorted(by: >)
                    let answer = try await client.get("/api/v1/analytics/concentration?from=\(from)&to=\(to)\(query)&top=5", token: token)
                        .json(ConcentrationAnswer.self)
                    #expect(answer.total == positive && answer.customers == shares.count, "\(context) concentration")
                    #expect(abs(answer.topShare - (shares.first ?? 0)) < 1e-12 && abs(answer.top5Share - shares.prefix(5).reduce(0, +)) < 1e-12)
                    #expect(abs(answer.hhi - shares.reduce(0) { $0 + $1 * $1 } * 10_000) < 1e-6, "\(context) hhi")
                    #expect(answer.alert == ((shares.first ?? 0) > 0.25 || shares.reduce(0) { $0 + $1 * $1 } * 10_000 > 2_500))
                    #expect(answer.topCustomers.map(\.revenue) == Array(values.values.sorted(by: >).prefix(5)))
                }
            }
            #expect(rows > 40, "regions and channels with sales were compared (\(rows))")
        }
    }
}
