import Algorithms
import Foundation
import KvotaCore
import KvotaStore

/// `GET /api/v1/analytics/xyz` (METRICS.md "XYZ analysis"): how steady each product's or customer's monthly revenue
/// or quantity is over the window's calendar months (a month the window cuts counts its days in the window; a month
/// without sales counts 0). Items without any value in the window are left out.
struct XYZReport: Encodable, Sendable {
    struct Item: Encodable, Sendable {
        let id: Int64
        let name: String
        let mean: Double
        let stdDev: Double
        let cv: Double?
        let `class`: String

        enum CodingKeys: String, CodingKey { case id, name, mean, stdDev, cv, `class` }

        /// `cv` is null, not absent, when the mean is zero or less.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id); try c.encode(name, forKey: .name); try c.encode(mean, forKey: .mean)
            try c.encode(stdDev, forKey: .stdDev); try c.encode(cv, forKey: .cv); try c.encode(self.class, forKey: .class)
        }
    }

    struct ClassCount: Encodable, Sendable {
        let `class`: String
        let count: Int
    }

    struct Query: Sendable {
        var subject: AnalysisSubject
        var measure: SalesMeasure
        var only: XYZClass?
        var limit: Int
        var shared: AnalyticsParameters
    }

    let subject: String
    let measure: String
    let from: String
    let to: String
    let months: [String]
    let itemCount: Int
    let items: [Item]
    let classes: [ClassCount]

    static func classify(_ query: Query, for actor: Actor, in database: Database) async throws -> (months: [Period], rows: [XYZRow]) {
        let (months, ranges) = try monthsOf(query.shared.window)
        let plan = SalesBuckets.plan(ranges)
        let planned = try await database.plannedSales(for: actor, filter: query.shared.filter, key: query.subject.key, plan: plan)
        return (months, try classify(planned, query.measure, months: months, ranges: ranges))
    }

    /// The window's months and each one's part of the window; refused under three months.
    static func monthsOf(_ window: DateWindow) throws -> (months: [Period], ranges: [DateWindow]) {
        let months = Period.covering(from: window.from, through: window.through, grain: .month)
        try XYZAnalysis.checkWindow(months: months.count)
        return (months, months.compactMap(window.part(in:)))
    }

    /// The window's sums per key and its items' XYZ classes by `measure`, from one read of the window's whole months and
    /// the days of its cut ones (`Database.plannedSales`): for an analysis that needs both (ABC×XYZ, product profitability).
    static func totalsAndClasses(_ measure: SalesMeasure, key: SalesKey, _ shared: AnalyticsParameters, for actor: Actor,
                                 in database: Database) async throws -> (totals: [Int64: SalesTotals], xyz: [XYZRow]) {
        let (months, ranges) = try monthsOf(shared.window)
        let plan = SalesBuckets.plan(ranges)
        let planned = try await database.plannedSales(for: actor, filter: shared.filter, key: key, plan: plan)
        return (planned.totals(over: shared.window, plan: plan), try classify(planned, measure, months: months, ranges: ranges))
    }

    /// The items of `planned` (read for the plan of `ranges`) classed by their monthly values of `measure`; items without
    /// any are left out.
    static func classify(_ planned: PlannedSales, _ measure: SalesMeasure, months: [Period], ranges: [DateWindow]) throws -> [XYZRow] {
        let series = planned.monthlySeries(measure, over: ranges) ?? {
            let buckets = planned.buckets(measure, plan: SalesBuckets.plan(ranges))
            return buckets.keys.sorted().map { key in (id: key, monthly: buckets.series(key, over: ranges)) }
        }()
        return try XYZAnalysis.classify(series.filter { $0.monthly.contains { $0 != 0 } }, months: months.count)
    }

    static func build(_ query: Query, for actor: Actor, in database: Database) async throws -> XYZReport {
        let (months, rows) = try await classify(query, for: actor, in: database)
        // The steadiest first; only as many as shown are put in order (a director's customers at scale L are 60 000).
        let shown = rows.filter { query.only == nil || $0.category == query.only }
            .min(count: query.limit) { ($0.cv ?? .infinity, $0.id) < ($1.cv ?? .infinity, $1.id) }
        let names = try await database.analyticsNames(query.subject.dimension, ids: Set(shown.map(\.id)))
        return XYZReport(
            subject: query.subject.rawValue, measure: query.measure.rawValue, from: query.shared.window.from.iso,
            to: query.shared.window.through.iso, months: months.map(\.label), itemCount: rows.count,
            items: shown.map {
                Item(id: $0.id, name: names[$0.id] ?? String($0.id), mean: $0.mean, stdDev: $0.stdDev, cv: $0.cv, class: $0.category.rawValue)
            },
            classes: XYZClass.allCases.map { category in ClassCount(class: category.rawValue, count: rows.filter { $0.category == category }.count) })
    }

    var csv: (header: [String], rows: [[String?]]) {
        (["id", "name", "mean", "std_dev", "cv", "class"],
         items.map { [String($0.id), $0.name, String($0.mean), String($0.stdDev), $0.cv.map { String($0) }, $0.class] })
    }
}

/// `GET /api/v1/analytics/abc-xyz`: the nine cells of ABC (by the measure) × XYZ (by the same measure), each with
/// its item count and its share of the ABC total.
struct ABCXYZReport: Encodable, Sendable {
    struct Cell: Encodable, Sendable {
        let abc: String
        let xyz: String
        let count: Int
        let valueShare: Double
    }

    let subject: String
    let measure: String
    let from: String
    let to: String
    let cells: [Cell]

    /// Both classifications of the window's items, read once for the matrix and for the items of a cell.
    struct Classes: Sendable {
        let abc: ABCResult
        let xyz: [XYZRow]
    }

    /// ABC's totals and XYZ's months from one read.
    static func classify(_ query: XYZReport.Query, for actor: Actor, in database: Database) async throws -> Classes {
        let (totals, xyz) = try await XYZReport.totalsAndClasses(query.measure, key: query.subject.key, query.shared, for: actor, in: database)
        return Classes(abc: ABCAnalysis.classify(totals.map { (id: $0.key, value: $0.value.value(query.measure)) }), xyz: xyz)
    }

    static func build(_ query: XYZReport.Query, for actor: Actor, in database: Database) async throws -> ABCXYZReport {
        ABCXYZReport(query, try await classify(query, for: actor, in: database))
    }

    var csv: (header: [String], rows: [[String?]]) {
        (["abc", "xyz", "count", "value_share"], cells.map { [$0.abc, $0.xyz, String($0.count), String($0.valueShare)] })
    }
}

extension ABCXYZReport {
    /// The matrix of classified items (an extension, so the memberwise initialiser stays).
    init(_ query: XYZReport.Query, _ classes: Classes) {
        let matrix = ABCXYZMatrix(abc: classes.abc, xyz: classes.xyz)
        self.init(subject: query.subject.rawValue, measure: query.measure.rawValue, from: query.shared.window.from.iso,
                  to: query.shared.window.through.iso, cells: ABCClass.allCases.flatMap { a in
                      XYZClass.allCases.map { x in
                          Cell(abc: a.rawValue, xyz: x.rawValue, count: matrix.cells[a]![x]!.count, valueShare: matrix.cells[a]![x]!.share)
                      }
                  })
    }

    /// One item of a cell: its ABC value and rank and its XYZ steadiness.
    struct Member: Sendable {
        let id: Int64
        let name: String
        let rank: Int
        let value: Int64
        let cv: Double?
    }

    /// The items of one cell (the records behind it), the largest first.
    static func members(of classes: Classes, subject: AnalysisSubject, abc: ABCClass, xyz: XYZClass, limit: Int,
                        in database: Database) async throws -> [Member] {
        let steadiness = Dictionary(uniqueKeysWithValues: classes.xyz.map { ($0.id, $0) })
        // An item ABC ranks but XYZ leaves out (no value in any month) is Z, as the matrix counts it.
        let chosen = Array(classes.abc.rows.filter { $0.category == abc && (steadiness[$0.id]?.category ?? .z) == xyz }.prefix(limit))
        let names = try await database.analyticsNames(subject.dimension, ids: Set(chosen.map(\.id)))
        return chosen.map { Member(id: $0.id, name: names[$0.id] ?? String($0.id), rank: $0.rank, value: $0.value, cv: steadiness[$0.id]?.cv) }
    }
}
