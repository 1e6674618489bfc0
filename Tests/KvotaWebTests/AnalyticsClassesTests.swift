import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Testing

/// ABC, XYZ and the ABC×XYZ matrix through the API equal a plain re-computation from the order lines: sums, ranks,
/// shares and classes worked out here line by line and loop by loop, for three roles, both subjects and several
/// windows and filters, on both engines.
@Suite struct AnalyticsClassesTests {
    struct ABCAnswer: Decodable {
        struct Item: Decodable { let id: Int64; let name: String; let rank: Int; let value: Int64; let share: Double; let cumulativeShare: Double; let `class`: String }
        struct Summary: Decodable { let `class`: String; let count: Int; let value: Int64; let share: Double }
        let total: Int64
        let itemCount: Int
        let items: [Item]
        let classes: [Summary]
    }

    struct XYZAnswer: Decodable {
        struct Item: Decodable { let id: Int64; let mean: Double; let stdDev: Double; let cv: Double?; let `class`: String }
        struct Count: Decodable { let `class`: String; let count: Int }
        let months: [String]
        let itemCount: Int
        let items: [Item]
        let classes: [Count]
    }

    struct MatrixAnswer: Decodable {
        struct Cell: Decodable { let abc: String; let xyz: String; let count: Int; let valueShare: Double }
        let cells: [Cell]
    }

    /// ABC by hand: rank by value (ties by id), class by the positive share of the items before.
    static func naiveABC(_ values: [Int64: Int64]) -> [(id: Int64, rank: Int, value: Int64, share: Double, class: String)] {
        let ranked = values.sorted { $0.value == $1.value ? $0.key < $1.key : $0.value > $1.value }
        var positive: Int64 = 0
        for item in ranked where item.value > 0 { positive += item.value }
        var before: Int64 = 0
        var result: [(id: Int64, rank: Int, value: Int64, share: Double, class: String)] = []
        for (index, item) in ranked.enumerated() {
            let shareBefore = positive == 0 ? 1.0 : Double(before) / Double(positive)
            var label = "C"
            if item.value > 0 && shareBefore < 0.8 { label = "A" } else if item.value > 0 && shareBefore < 0.95 { label = "B" }
            result.append((item.key, index + 1, item.value, positive == 0 ? 0 : Double(item.value) / Double(positive), label))
            if item.value > 0 { before += item.value }
        }
        return result
    }

    /// XYZ by hand: each calendar month of the window (its days inside the window), CV of the monthly values.
    static func naiveXYZ(_ monthly: [Int64: [Int64]]) -> [Int64: (cv: Double?, class: String)] {
        var result: [Int64: (cv: Double?, class: String)] = [:]
        for (id, values) in monthly where values.contains(where: { $0 != 0 }) {
            var sum = 0.0
            for v in values { sum += Double(v) }
            let mean = sum / Double(values.count)
            var squares = 0.0
            for v in values { squares += (Double(v) - mean) * (Double(v) - mean) }
            let sd = (squares / Double(values.count)).squareRoot()
            if mean <= 0 { result[id] = (nil, "Z"); continue }
            let cv = sd / mean
            result[id] = (cv, cv <= 0.10 ? "X" : cv <= 0.25 ? "Y" : "Z")
        }
        return result
    }

    @Test(arguments: TestDatabase.engines)
    func classesEqualAPlainRecomputationFromTheLines(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let raw = fixture.raw
            let region = try #require(Set(raw.regionParent.values).sorted().first)
            let category = try #require(Set(raw.categoryParent.values).sorted().first)
            let cases: [(subject: AnalysisSubject, measure: SalesMeasure, from: String, to: String, filter: AnalyticsFilter, query: String)] = [
                (.customer, .revenue, "2025-12-01", "2026-11-20", AnalyticsFilter(), ""),
                (.customer, .margin, "2026-01-01", "2026-06-30", AnalyticsFilter(regionID: Region.ID(region)), "&region=\(region)"),
                (.product, .revenue, "2025-11-15", "2026-11-20", AnalyticsFilter(), ""),
                (.product, .quantity, "2026-01-01", "2026-09-30", AnalyticsFilter(categoryID: ProductCategory.ID(category)), "&category=\(category)"),
            ]
            var classified = 0
            for user in [fixture.director, fixture.head, fixture.rep] {
                let token = try await client.token(for: user)
                let owners = try await fixture.owners(of: user)
                for c in cases {
                    let window = try DateWindow(from: try LocalDate(iso: c.from), through: try LocalDate(iso: c.to))
                    let dimension: SalesDimension = c.subject == .product ? .product : .account
                    let base = "subject=\(c.subject.rawValue)&from=\(c.from)&to=\(c.to)\(c.query)"
                    let context = "\(user.role) \(base) \(c.measure)"

                    // ABC
                    let values = raw.values(c.measure, by: dimension, over: window, filter: c.filter, owners: owners)
                    let want = Self.naiveABC(values)
                    let abc = try await client.get("/api/v1/analytics/abc?\(base)&measure=\(c.measure.rawValue)&limit=100000", token: token)
                        .json(ABCAnswer.self)
                    #expect(abc.itemCount == want.count && abc.items.count == want.count, "\(context)")
                    #expect(abc.items.map(\.id) == want.map(\.id) && abc.items.map(\.rank) == want.map(\.rank), "\(context) order")
                    #expect(abc.items.map(\.value) == want.map(\.value) && abc.items.map(\.class) == want.map(\.class), "\(context) classes")
                    #expect(zip(abc.items.map(\.share), want.map(\.share)).allSatisfy { abs($0 - $1) < 1e-12 }, "\(context) shares")
                    for label in ["A", "B", "C"] {
                        let members = want.filter { $0.class == label }
                        let summary = abc.classes.first { $0.class == label }
                        #expect(summary?.count == members.count && summary?.value == members.reduce(0) { $0 + $1.value }, "\(context) \(label)")
                    }
                    classified += want.count

                    // XYZ (revenue or quantity)
                    let measure: SalesMeasure = c.measure == .quantity ? .quantity : .revenue
                    let months = Period.covering(from: window.from, through: window.through, grain: .month)
                    var monthly: [Int64: [Int64]] = [:]
                    for (index, month) in months.enumerated() {
                        let part = try DateWindow(from: max(month.start, window.from), through: min(month.end.adding(days: -1), window.through))
                        for (key, value) in raw.values(measure, by: dimension, over: part, filter: c.filter, owners: owners) {
                            monthly[key, default: Array(repeating: 0, count: months.count)][index] += value
                        }
                    }
                    let steady = Self.naiveXYZ(monthly)
                    let xyz = try await client.get("/api/v1/analytics/xyz?\(base)&measure=\(measure.rawValue)&limit=100000", token: token)
                        .json(XYZAnswer.self)
                    #expect(xyz.months == months.map(\.label) && xyz.itemCount == steady.count, "\(context) xyz")
                    for item in xyz.items {
                        let expected = steady[item.id]
                        #expect(item.class == expected?.class, "\(context) xyz \(item.id)")
                        #expect(item.cv == nil ? expected?.cv == nil : abs(item.cv! - (expected?.cv ?? -1)) < 1e-9, "\(context) cv \(item.id)")
                    }

                    // The matrix, by the XYZ measure for both.
                    let abcByMeasure = Self.naiveABC(raw.values(measure, by: dimension, over: window, filter: c.filter, owners: owners))
                    let matrix = try await client.get("/api/v1/analytics/abc-xyz?\(base)&measure=\(measure.rawValue)", token: token)
                        .json(MatrixAnswer.self)
                    #expect(matrix.cells.count == 9)
                    for cell in matrix.cells {
                        let members = abcByMeasure.filter { $0.class == cell.abc && (steady[$0.id]?.class ?? "Z") == cell.xyz }
                        #expect(cell.count == members.count, "\(context) \(cell.abc)\(cell.xyz)")
                        #expect(abs(cell.valueShare - members.reduce(0) { $0 + $1.share }) < 1e-9, "\(context) \(cell.abc)\(cell.xyz) share")
                    }
                }
            }
            #expect(classified > 200, "real items were classified (\(classified))")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func listsAreCutNotTheAnalysisAndShortWindowsAreRefused(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let token = try await client.token(for: fixture.director)
            let all = try await client.get("/api/v1/analytics/abc?from=2026-01-01&to=2026-10-31", token: token).json(ABCAnswer.self)
            let onlyB = try await client.get("/api/v1/analytics/abc?from=2026-01-01&to=2026-10-31&class=B&limit=3", token: token).json(ABCAnswer.self)
            #expect(onlyB.items.count == min(3, all.items.filter { $0.class == "B" }.count) && onlyB.items.allSatisfy { $0.class == "B" })
            #expect(onlyB.itemCount == all.itemCount && onlyB.total == all.total, "the cut list keeps the whole analysis")
            #expect(onlyB.items.first?.rank == all.items.first { $0.class == "B" }?.rank)
            let csv = try await client.get("/api/v1/analytics/abc?from=2026-01-01&to=2026-10-31&format=csv&limit=2", token: token)
            #expect(csv.text.split(separator: "\r\n").count == 3 && csv.text.contains("rank,id,name,value,share,cumulative_share,class"))

            let short = try await client.get("/api/v1/analytics/xyz?from=2026-09-01&to=2026-10-31", token: token)
            #expect(short.status == .badRequest)
            #expect(try short.problem().errors?.first?.reason == "the window has 2 months; XYZ needs at least 3")
            let margin = try await client.get("/api/v1/analytics/xyz?measure=margin&subject=supplier", token: token)
            #expect(margin.status == .badRequest)
            #expect(Set(try margin.problem().errors?.map(\.field) ?? []) == ["measure", "subject"])
        }
    }

    struct ProductsAnswer: Decodable {
        struct Item: Decodable {
            let id: Int64; let categoryId: Int64?; let revenue: Int64; let margin: Int64; let quantity: Int64
            let abcRevenue: String; let abcMargin: String; let xyz: String?
        }
        struct Category: Decodable { let id: Int64?; let products: Int; let revenue: Int64; let margin: Int64 }
        struct Cell: Decodable { let abcRevenue: String; let abcMargin: String; let products: Int }
        let itemCount: Int
        let items: [Item]
        let categories: [Category]
        let matrix: [Cell]
    }

    @Test(arguments: TestDatabase.engines)
    func theProfitabilityMatrixEqualsTheLines(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let raw = fixture.raw
            for user in [fixture.director, fixture.rep] {
                let token = try await client.token(for: user)
                let owners = try await fixture.owners(of: user)
                let window = try DateWindow(from: try LocalDate(iso: "2026-01-01"), through: try LocalDate(iso: "2026-09-30"))
                let revenue = raw.values(.revenue, by: .product, over: window, filter: AnalyticsFilter(), owners: owners)
                let margin = raw.values(.margin, by: .product, over: window, filter: AnalyticsFilter(), owners: owners)
                let quantity = raw.values(.quantity, by: .product, over: window, filter: AnalyticsFilter(), owners: owners)
                let byRevenue = Dictionary(uniqueKeysWithValues: Self.naiveABC(revenue).map { ($0.id, $0.class) })
                let byMargin = Dictionary(uniqueKeysWithValues: Self.naiveABC(margin).map { ($0.id, $0.class) })
                var monthly: [Int64: [Int64]] = [:]
                for (index, month) in Period.covering(from: window.from, through: window.through, grain: .month).enumerated() {
                    let part = try DateWindow(from: month.start, through: month.end.adding(days: -1))
                    for (key, value) in raw.values(.quantity, by: .product, over: part, filter: AnalyticsFilter(), owners: owners) {
                        monthly[key, default: Array(repeating: 0, count: 9)][index] += value
                    }
                }
                let steadiness = Self.naiveXYZ(monthly)
                let answer = try await client.get("/api/v1/analytics/products?from=2026-01-01&to=2026-09-30&limit=100000", token: token)
                    .json(ProductsAnswer.self)
                #expect(answer.itemCount == revenue.count && answer.items.count == revenue.count, "\(user.role)")
                for item in answer.items {
                    #expect(item.revenue == revenue[item.id] && item.margin == margin[item.id] && item.quantity == quantity[item.id], "\(item.id)")
                    #expect(item.abcRevenue == byRevenue[item.id] && item.abcMargin == byMargin[item.id], "\(user.role) \(item.id) classes")
                    #expect(item.xyz == (steadiness[item.id]?.class ?? "Z"), "\(user.role) \(item.id) xyz")
                    #expect(item.categoryId == raw.categoryOfProduct[item.id])
                }
                for category in answer.categories {
                    let members = revenue.keys.filter { raw.categoryOfProduct[$0] == category.id }
                    #expect(category.products == members.count && category.revenue == members.reduce(0) { $0 + revenue[$1]! }, "category \(category.id ?? 0)")
                }
                #expect(answer.matrix.count == 9 && answer.matrix.reduce(0) { $0 + $1.products } == revenue.count)
                for cell in answer.matrix {
                    #expect(cell.products == revenue.keys.filter { byRevenue[$0] == cell.abcRevenue && byMargin[$0] == cell.abcMargin }.count)
                }
                let short = try await client.get("/api/v1/analytics/products?from=2026-09-01&to=2026-10-31", token: token).json(ProductsAnswer.self)
                #expect(short.items.allSatisfy { $0.xyz == nil }, "no XYZ under three months")
            }
        }
    }
}
