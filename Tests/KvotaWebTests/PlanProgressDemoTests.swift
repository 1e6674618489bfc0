import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

/// Plan progress on the demo company equals the same measures summed line by line (and deal by deal, call by call)
/// from the tables: the company's half-year with a row per region, channel, category and customer, a rep's as the rep
/// sees it, and a team's as its head sees it, on both engines. (The demo's own plans are months and quarters, so a
/// half-year is free to plan here.) And the demo's own plans and payouts hang together.
@Suite struct PlanProgressDemoTests {
    struct Progress: Decodable {
        struct Measure: Decodable { let measure: String; let target: Int64; let actual: Int64; let fulfilment: Double? }
        struct Row: Decodable { let dimension: String; let key: Int64; let name: String; let progress: Measure }
        let asOf: String
        let daysElapsed: Int
        let daysTotal: Int
        let measures: [Measure]
        let rows: [Row]
    }

    struct Target: Encodable, Sendable { let measure: String; let target: Int64 }
    struct Row: Encodable, Sendable { let dimension: String; let key: Int64; let measure: String; let target: Int64 }
    struct NewPlan: Encodable, Sendable {
        let period: String
        let scope: String
        let targets: [Target]
        var rows: [Row] = []
    }

    struct Created: Decodable { let id: Int64 }

    static let allMeasures = PlanMeasure.allCases.map { Target(measure: $0.rawValue, target: 1_000) }

    /// Leads first qualified in the window, counted from the leads table.
    static func qualified(_ database: Database, window: DateWindow, owners: Set<Int64>?) async throws -> Int64 {
        try await database.read { sql in
            var count: Int64 = 0
            for row in try await sql.raw("""
                SELECT owner_id FROM leads WHERE qualified_on BETWEEN \(bind: window.from.key) AND \(bind: window.through.key)
                """).all() where owners?.contains(try row.decode(column: "owner_id", as: Int64?.self) ?? 0) ?? true {
                count += 1
            }
            return count
        }
    }

    /// Outbound calls and meetings held, counted from the activities table.
    static func activities(_ database: Database, _ measure: PlanMeasure, window: DateWindow, owners: Set<Int64>?) async throws -> Int64 {
        try await database.read { sql in
            let condition: SQLQueryString = measure == .outboundCalls
                ? "kind = 'call' AND call_direction = 'outbound'" : "kind = 'meeting' AND done_at IS NOT NULL"
            var count: Int64 = 0
            for row in try await sql.raw("""
                SELECT owner_id FROM activities WHERE \(condition) AND occurred_on BETWEEN \(bind: window.from.key) AND \(bind: window.through.key)
                """).all() where owners?.contains(try row.decode(column: "owner_id", as: Int64.self)) ?? true {
                count += 1
            }
            return count
        }
    }

    static func expected(_ measure: PlanMeasure, raw: RawSales, database: Database, window: DateWindow, filter: AnalyticsFilter,
                         owners: Set<Int64>?) async throws -> Int64 {
        if let sales = measure.sales {
            return raw.values(sales, by: nil, over: window, filter: filter, owners: owners)[0] ?? 0
        }
        let people = owners ?? filter.managerID.map { [$0.rawValue] }
        if measure == .qualifiedLeads { return try await qualified(database, window: window, owners: people) }
        return try await activities(database, measure, window: window, owners: people)
    }

    @Test(arguments: TestDatabase.engines)
    func actualsToDateEqualTheRecords(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let raw = fixture.raw
            let quarter = try DateWindow(from: try LocalDate(iso: "2026-07-01"), through: try LocalDate(iso: "2026-11-20"))
            let inQuarter = raw.lines.filter { $0.day >= quarter.from && $0.day <= quarter.through }
            // Rows about what the quarter sold most of: a top-level region, a channel, a top-level category, a customer.
            func most(_ key: (RawSales.Line) -> Int64?) -> Int64 {
                var sums: [Int64: Int64] = [:]
                for line in inQuarter { if let k = key(line), k != 0 { sums[k, default: 0] += line.revenue } }
                return sums.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!.key
            }
            func root(_ id: Int64, _ parents: [Int64: Int64]) -> Int64 { parents[id].map { root($0, parents) } ?? id }
            let region = most { root($0.region, raw.regionParent) }
            let channel = most { $0.channel }
            let category = most { $0.product.flatMap { raw.categoryOfProduct[$0] }.map { root($0, raw.categoryParent) } }
            let account = most { $0.account }
            let rows = [Row(dimension: "region", key: region, measure: "revenue", target: 500), Row(dimension: "channel", key: channel, measure: "orders", target: 5),
                        Row(dimension: "category", key: category, measure: "margin", target: 50), Row(dimension: "account", key: account, measure: "revenue", target: 5),
                        Row(dimension: "region", key: region, measure: "deals_won", target: 2)]

            let director = try await client.token(for: fixture.director)
            let company = try await client.post("/api/v1/plans", json: NewPlan(period: "2026-H2", scope: "company", targets: Self.allMeasures, rows: rows),
                                                token: director)
            #expect(company.status == .created)
            let answer = try await client.get("/api/v1/plans/progress?scope=company&period=2026-H2", token: director).json(Progress.self)
            #expect(answer.asOf == "2026-11-20" && answer.daysElapsed == 143 && answer.daysTotal == 184)
            for measure in answer.measures {
                let plan = try #require(PlanMeasure(rawValue: measure.measure))
                let want = try await Self.expected(plan, raw: raw, database: fixture.database, window: quarter, filter: AnalyticsFilter(), owners: nil)
                #expect(measure.actual == want, "company \(measure.measure)")
                #expect(measure.fulfilment == Double(want) / 1_000)
            }
            #expect(answer.measures.map(\.measure) == PlanMeasure.allCases.map(\.rawValue))
            #expect(answer.measures.allSatisfy { $0.actual > 0 }, "the demo quarter has some of every measure")
            let filters: [String: AnalyticsFilter] = [
                "region": AnalyticsFilter(regionID: Region.ID(region)), "channel": AnalyticsFilter(channelID: Channel.ID(channel)),
                "category": AnalyticsFilter(categoryID: ProductCategory.ID(category)),
            ]
            #expect(answer.rows.count == rows.count)
            for row in answer.rows {
                let measure = try #require(PlanMeasure(rawValue: row.progress.measure))
                let want = row.dimension == "account"
                    ? raw.values(measure.sales!, by: .account, over: quarter, filter: AnalyticsFilter(), owners: nil)[account] ?? 0
                    : try await Self.expected(measure, raw: raw, database: fixture.database, window: quarter, filter: filters[row.dimension]!, owners: nil)
                #expect(row.progress.actual == want, "row \(row.dimension) \(row.key) \(row.progress.measure)")
                #expect(row.progress.actual > 0 && !row.name.hasPrefix("#"), "row \(row.dimension) has a name and sales")
            }

            // A rep's half-year, as the rep sees it; the head's team's, as the head sees it.
            let november = quarter
            let teamID = try #require(fixture.head.teamID)
            let head = try await client.token(for: fixture.head)
            for (scope, viewer, filter) in [("user:\(fixture.rep.id)", fixture.rep, AnalyticsFilter(managerID: fixture.rep.id)),
                                            ("team:\(teamID)", fixture.head, AnalyticsFilter(teamID: teamID))] {
                #expect(try await client.post("/api/v1/plans", json: NewPlan(period: "2026-H2", scope: scope, targets: Self.allMeasures),
                                              token: director).status == .created)
                let token = viewer.id == fixture.head.id ? head : try await client.token(for: viewer)
                let progress = try await client.get("/api/v1/plans/progress?scope=\(scope)&period=2026-H2", token: token).json(Progress.self)
                let owners = Set(raw.teamOfUser.filter { $0.value == teamID.rawValue }.map(\.key))
                for measure in progress.measures {
                    let plan = try #require(PlanMeasure(rawValue: measure.measure))
                    let want = try await Self.expected(plan, raw: raw, database: fixture.database, window: november, filter: filter,
                                                       owners: scope.hasPrefix("team") && plan.sales == nil ? owners : nil)
                    #expect(measure.actual == want, "\(scope) \(measure.measure)")
                }
            }
        }
    }

    struct Plan: Decodable {
        struct Target: Decodable { let measure: String; let target: Int64 }
        let id: Int64
        let period: String
        let scope: String
        let status: String
        let parentId: Int64?
        let targets: [Target]
    }

    struct Plans: Decodable { let items: [Plan] }

    struct Payouts: Decodable {
        struct Line: Decodable { let kind: String; let amount: Int64 }
        struct Item: Decodable { let userId: Int64; let status: String; let total: Int64; let lines: [Line] }
        let items: [Item]
    }

    /// The demo's approved plans add up from reps to teams to the company, for every month of the past year and the
    /// current one and every quarter, and the last three months' payouts are approved for every rep.
    @Test(arguments: TestDatabase.engines)
    func theDemosPlansAddUpAndItsPayoutsAreApproved(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let director = try await client.token(for: fixture.director)
            let plans = try await client.get("/api/v1/plans?from=2025-01-01&to=2026-12-31", token: director).json(Plans.self).items
            let reps = Set(fixture.raw.teamOfUser.keys)  // users with a team: the reps and the heads
            let periods = Set(plans.map(\.period))
            #expect(periods.count == 18, "13 months and 5 quarters")
            #expect(periods.contains("2026-11") && periods.contains("2025-11") && periods.contains("2026-Q4") && periods.contains("2025-Q4"))
            #expect(plans.allSatisfy { $0.status == "approved" && $0.targets.map(\.measure) == ["revenue"] })
            let byID = Dictionary(uniqueKeysWithValues: plans.map { ($0.id, $0) })
            var children: [Int64: Int64] = [:]
            for plan in plans { if let parent = plan.parentId { children[parent, default: 0] += plan.targets[0].target } }
            for plan in plans where !plan.scope.hasPrefix("user") {
                #expect(children[plan.id] == plan.targets[0].target, "\(plan.scope) \(plan.period) is the sum of its parts")
            }
            #expect(plans.filter { $0.scope.hasPrefix("user") }.allSatisfy { byID[$0.parentId ?? 0]?.scope.hasPrefix("team") == true })
            #expect(plans.filter { $0.scope == "company" }.allSatisfy { $0.targets[0].target > 0 })

            for month in ["2026-08", "2026-09", "2026-10"] {
                let payouts = try await client.get("/api/v1/payouts?period=\(month)", token: director).json(Payouts.self).items
                let repIDs = Set(payouts.filter { $0.lines.contains { $0.kind == "plan_bonus" } }.map(\.userId))
                #expect(!repIDs.isEmpty && repIDs.isSubset(of: reps), "\(month)")
                #expect(payouts.allSatisfy { $0.status == "approved" && $0.total > 0 }, "\(month)")
            }
            let live = try await client.get("/api/v1/payouts?period=2026-11", token: director).json(Payouts.self).items
            #expect(!live.isEmpty && live.allSatisfy { $0.status == "draft" })
        }
    }
}
