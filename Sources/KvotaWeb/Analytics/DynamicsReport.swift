import Foundation
import KvotaCore
import KvotaStore

/// `GET /api/v1/analytics/dynamics` and the dynamics page: a measure per period, with the previous period and the
/// same period a year earlier (METRICS.md "Sales dynamics"). With `by`, one series per key: the `top` largest over the
/// window, the rest summed into one "other" series so the lines still add up to the total.
struct DynamicsReport: Encodable, Sendable {
    struct Series: Encodable, Sendable {
        let key: String
        let name: String
        let points: [Point]
    }

    struct Point: Encodable, Sendable {
        let period: String
        let partial: Bool
        let value: Int64
        let previous: Int64
        let changePct: Double?
        let yoyValue: Int64
        let yoyPct: Double?

        enum CodingKeys: String, CodingKey { case period, partial, value, previous, changePct, yoyValue, yoyPct }

        /// Null, not absent, for a change against a zero base: the client shows "n/a".
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(period, forKey: .period); try c.encode(partial, forKey: .partial); try c.encode(value, forKey: .value)
            try c.encode(previous, forKey: .previous); try c.encode(changePct, forKey: .changePct)
            try c.encode(yoyValue, forKey: .yoyValue); try c.encode(yoyPct, forKey: .yoyPct)
        }
    }

    struct Query: Sendable {
        var measure: SalesMeasure
        var grain: PeriodGrain
        var by: SalesDimension?
        var top: Int
        var shared: AnalyticsParameters
    }

    let measure: String
    let grain: String
    let currency: String
    let from: String
    let to: String
    let series: [Series]

    /// The key of the series that sums every key outside the top list.
    static let otherKey: Int64 = -1

    static func build(_ query: Query, for actor: Actor, in database: Database, currency: Currency) async throws -> DynamicsReport {
        let window = query.shared.window
        let slots = SalesDynamics.slots(query.grain, window: window)
        let plan = SalesBuckets.plan(SalesDynamics.ranges(slots) + [window])
        // Orders per category are counted once per category from the lines; summed measures fold their products.
        let countsOrdersByCategory = query.measure == .orders && query.by == .category
        let key: SalesKey = countsOrdersByCategory ? .category : query.by?.salesKey ?? .none
        if let by = query.by, let top = try await readsTopOnly(query, by: by, key: key, plan: plan, for: actor, in: database) {
            return try await report(query, by: by, keys: top.keys, buckets: top.buckets, slots: slots, in: database, currency: currency)
        }
        var buckets = try await database.buckets(query.measure, for: actor, filter: query.shared.filter, key: key, plan: plan)
        switch query.by {
        case .team: buckets = buckets.folded(try await database.teamsOfUsers())
        case .category where !countsOrdersByCategory: buckets = buckets.folded(try await database.categoriesOfProducts())
        default: break
        }
        if let by = query.by {
            let keys = top(query.top, of: buckets.sums(over: window))
            buckets = buckets.folded(Dictionary(uniqueKeysWithValues: keys.map { ($0, $0) }), unmapped: otherKey)
            return try await report(query, by: by, keys: keys, buckets: buckets, slots: slots, in: database, currency: currency)
        }
        return DynamicsReport(query, currency: currency, series: [Series(key: "total", name: "total", points: points(slots, key: 0, buckets: buckets))])
    }

    /// The top keys' series, read on their own, and "other" as the total less them, when the measure's keys add up to
    /// the total (every order measure; orders only when an order has one value of the key): at scale L a year of weeks
    /// by rep read 364 000 owner-days to draw ten reps (docs/performance.md, "Analytics"). Nil when it does not apply.
    private static func readsTopOnly(_ query: Query, by: SalesDimension, key: SalesKey, plan: SalesBuckets.Plan, for actor: Actor,
                                     in database: Database) async throws -> (keys: [Int64], buckets: SalesBuckets)? {
        let additive: Bool = switch query.measure {
        case .revenue, .margin, .quantity: true
        case .orders: [.manager, .region, .channel, .account].contains(by)
        case .dealsWon, .newCustomers: false
        }
        // SQLite hands rows over through its C interface for less than its own grouping costs (weeks by rep at scale L:
        // 124 ms reading every owner-day, 207 ms this way), PostgreSQL for more (docs/performance.md, "PostgreSQL at L: top series…").
        guard database.engine == .postgres, additive, [.manager, .region, .channel, .account, .product].contains(by) else { return nil }
        let filter = query.shared.filter
        // The total needs no ranking: it is read while the keys are ranked.
        async let total = database.buckets(query.measure, for: actor, filter: filter, key: .none, plan: plan)
        let totals = try await database.salesTotals(for: actor, filter: filter, window: query.shared.window, key: key,
                                                    distinctOrders: query.measure == .orders)
        let keys = top(query.top, of: totals.mapValues { $0.value(query.measure) })
        let topBuckets = try await database.buckets(query.measure, for: actor, filter: filter, key: key, plan: plan, only: keys)
        return (keys, topBuckets.withRest(of: try await total, as: otherKey))
    }

    /// The `count` keys of the largest values, largest first (ties by key); keys whose value is zero are not in it.
    private static func top(_ count: Int, of values: [Int64: Int64]) -> [Int64] {
        Array(values.filter { $0.value != 0 }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(count).map(\.key))
    }

    /// The report of the `keys` series and "other" (`otherKey`) in `buckets`.
    private static func report(_ query: Query, by: SalesDimension, keys: [Int64], buckets: SalesBuckets, slots: [SalesDynamics.Slot],
                               in database: Database, currency: Currency) async throws -> DynamicsReport {
        let names = try await database.analyticsNames(by, ids: Set(keys))
        var series = keys.map { key in
            Series(key: key == 0 ? "none" : String(key), name: key == 0 ? "none" : names[key] ?? String(key),
                   points: points(slots, key: key, buckets: buckets))
        }
        // Everything else, including keys that sold only in the comparison periods, so the series add up to the total.
        let other = points(slots, key: otherKey, buckets: buckets)
        if other.contains(where: { $0.value != 0 || $0.previous != 0 || $0.yoyValue != 0 }) {
            series.append(Series(key: "other", name: "other", points: other))
        }
        return DynamicsReport(query, currency: currency, series: series)
    }

    private init(_ query: Query, currency: Currency, series: [Series]) {
        measure = query.measure.rawValue
        grain = GrainParameter.allCases.first { $0.grain == query.grain }!.rawValue
        self.currency = currency.code
        from = query.shared.window.from.iso
        to = query.shared.window.through.iso
        self.series = series
    }

    private static func points(_ slots: [SalesDynamics.Slot], key: Int64, buckets: SalesBuckets) -> [Point] {
        SalesDynamics.points(slots, key: key, from: buckets).map {
            Point(period: $0.period.label, partial: $0.partial, value: $0.value, previous: $0.previous, changePct: $0.changePct,
                  yoyValue: $0.yoyValue, yoyPct: $0.yoyPct)
        }
    }

    /// The table a user puts in a spreadsheet: a row per series and period.
    var csv: (header: [String], rows: [[String?]]) {
        (["series_key", "series", "period", "partial", "value", "previous", "change_pct", "yoy_value", "yoy_pct"],
         series.flatMap { s in
             s.points.map { p in
                 [s.key, s.name, p.period, p.partial ? "true" : "false", String(p.value), String(p.previous), p.changePct.map { String($0) },
                  String(p.yoyValue), p.yoyPct.map { String($0) }]
             }
         })
    }
}
