import BitCollections
import Foundation
import KvotaCore
import KvotaStore

/// `GET /api/v1/analytics/territory` and `…/channels` (METRICS.md "Territory and channel analysis"): per region (each
/// with everything under it) or per channel, the revenue, margin, orders, active and new customers, average order,
/// share of the total, and growth against the period before and a year earlier.
struct SegmentReport: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        /// Null for orders without a region or channel.
        let id: Int64?
        let name: String
        let parentId: Int64?
        /// Depth in the region tree (0 at the top); 0 for channels.
        let level: Int
        let kind: String?
        let revenue: Int64
        let margin: Int64
        let marginPct: Double?
        let orders: Int64
        let activeCustomers: Int
        let newCustomers: Int
        let averageOrder: Int64?
        let share: Double
        let previousRevenue: Int64
        let growthPct: Double?
        let yoyRevenue: Int64
        let yoyPct: Double?

        enum CodingKeys: String, CodingKey {
            case id, name, parentId, level, kind, revenue, margin, marginPct, orders, activeCustomers, newCustomers, averageOrder, share
            case previousRevenue, growthPct, yoyRevenue, yoyPct
        }

        /// Every key present, null where there is no value.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id); try c.encode(name, forKey: .name); try c.encode(parentId, forKey: .parentId)
            try c.encode(level, forKey: .level); try c.encode(kind, forKey: .kind); try c.encode(revenue, forKey: .revenue)
            try c.encode(margin, forKey: .margin); try c.encode(marginPct, forKey: .marginPct); try c.encode(orders, forKey: .orders)
            try c.encode(activeCustomers, forKey: .activeCustomers); try c.encode(newCustomers, forKey: .newCustomers)
            try c.encode(averageOrder, forKey: .averageOrder); try c.encode(share, forKey: .share)
            try c.encode(previousRevenue, forKey: .previousRevenue); try c.encode(growthPct, forKey: .growthPct)
            try c.encode(yoyRevenue, forKey: .yoyRevenue); try c.encode(yoyPct, forKey: .yoyPct)
        }
    }

    enum Kind: String, Sendable {
        case territory, channels

        var key: SalesKey { self == .territory ? .region : .channel }
    }

    let analysis: String
    let currency: String
    let from: String
    let to: String
    let previousFrom: String
    let previousTo: String
    let total: Int64
    let items: [Row]

    static func build(_ kind: Kind, _ shared: AnalyticsParameters, for actor: Actor, in database: Database,
                      currency: Currency) async throws -> SegmentReport {
        let window = shared.window
        var figures: [Int64: SegmentFigures] = [:]
        // Account ids are the database's own sequence, so a bit per id up to the largest is small (25 KB per region for
        // 200 000 accounts); hashing the 700 000 region-customer pairs of a year at scale L into sets was a fifth of
        // the page.
        var customers: [Int64: BitSet] = [:]
        // Orders once each however many of their lines a category filter matches (the average order divides by them).
        for row in try await database.sales(for: actor, filter: shared.filter, window: window, bucket: .total, key: kind.key, perAccount: true,
                                            distinctOrders: true) {
            figures[row.key, default: SegmentFigures()].totals += row.totals
            customers[row.key, default: BitSet()].insert(Int(row.account))
        }
        for (key, totals) in try await database.salesTotals(for: actor, filter: shared.filter, window: window.previous, key: kind.key) {
            figures[key, default: SegmentFigures()].previous = totals
        }
        for (key, totals) in try await database.salesTotals(for: actor, filter: shared.filter, window: window.yearEarlier, key: kind.key) {
            figures[key, default: SegmentFigures()].yearEarlier = totals
        }
        let newCustomers = try await database.newCustomerCounts(for: actor, filter: shared.filter, window: window, key: kind.key)
        let total = figures.values.reduce(0) { $0 + $1.totals.revenue }
        var rows: [Row] = []
        switch kind {
        case .channels:
            let channels = Dictionary(uniqueKeysWithValues: try await database.channels().map { ($0.id.rawValue, $0) })
            for key in Set(figures.keys).union(newCustomers.keys) {
                var f = figures[key] ?? SegmentFigures()
                f.activeCustomers = customers[key]?.count ?? 0
                f.newCustomers = newCustomers[key] ?? 0
                let channel = channels[key]
                rows.append(row(id: key == 0 ? nil : key, name: channel?.name ?? "none", parent: nil, level: 0, kind: channel?.kind.rawValue,
                                f, total: total))
            }
            rows.sort { $0.revenue != $1.revenue ? $0.revenue > $1.revenue : ($0.id ?? 0) < ($1.id ?? 0) }
        case .territory:
            // Each region holds its own orders and those of every region under it; a customer counts once per region.
            let regions = try await database.regions()
            let parent = Dictionary(uniqueKeysWithValues: regions.compactMap { r in r.parentID.map { (r.id.rawValue, $0.rawValue) } })
            var rolled: [Int64: SegmentFigures] = [:]
            var rolledCustomers: [Int64: BitSet] = [:]
            for key in Set(figures.keys).union(newCustomers.keys) {
                var node: Int64? = key
                while let current = node {
                    var f = rolled[current] ?? SegmentFigures()
                    let own = figures[key] ?? SegmentFigures()
                    f.totals += own.totals; f.previous += own.previous; f.yearEarlier += own.yearEarlier
                    f.newCustomers += newCustomers[key] ?? 0
                    rolled[current] = f
                    rolledCustomers[current, default: BitSet()].formUnion(customers[key] ?? BitSet())
                    node = current == 0 ? nil : parent[current]
                }
            }
            func depth(_ id: Int64) -> Int { var d = 0, node = parent[id]; while let n = node { d += 1; node = parent[n] }; return d }
            // Tree order: each region followed by its children, siblings by revenue.
            func children(of id: Int64?) -> [Region] {
                regions.filter { $0.parentID?.rawValue == id && rolled[$0.id.rawValue] != nil }
                    .sorted { (rolled[$0.id.rawValue]!.totals.revenue, -$0.id.rawValue) > (rolled[$1.id.rawValue]!.totals.revenue, -$1.id.rawValue) }
            }
            func walk(_ region: Region) {
                var f = rolled[region.id.rawValue]!
                f.activeCustomers = rolledCustomers[region.id.rawValue]?.count ?? 0
                rows.append(row(id: region.id.rawValue, name: region.name, parent: region.parentID?.rawValue, level: depth(region.id.rawValue),
                                kind: nil, f, total: total))
                children(of: region.id.rawValue).forEach(walk)
            }
            children(of: nil).forEach(walk)
            if var none = rolled[0] {
                none.activeCustomers = rolledCustomers[0]?.count ?? 0
                rows.append(row(id: nil, name: "none", parent: nil, level: 0, kind: nil, none, total: total))
            }
        }
        return SegmentReport(analysis: kind.rawValue, currency: currency.code, from: window.from.iso, to: window.through.iso,
                             previousFrom: window.previous.from.iso, previousTo: window.previous.through.iso, total: total, items: rows)
    }

    private static func row(id: Int64?, name: String, parent: Int64?, level: Int, kind: String?, _ f: SegmentFigures, total: Int64) -> Row {
        Row(id: id, name: name, parentId: parent, level: level, kind: kind, revenue: f.totals.revenue, margin: f.totals.margin,
            marginPct: f.totals.marginRate, orders: f.totals.orders, activeCustomers: f.activeCustomers, newCustomers: f.newCustomers,
            averageOrder: f.averageOrder, share: f.share(of: total), previousRevenue: f.previous.revenue, growthPct: f.growthPct,
            yoyRevenue: f.yearEarlier.revenue, yoyPct: f.yoyPct)
    }

    var csv: (header: [String], rows: [[String?]]) {
        (["id", "name", "parent_id", "level", "kind", "revenue", "margin", "margin_pct", "orders", "active_customers", "new_customers",
          "average_order", "share", "previous_revenue", "growth_pct", "yoy_revenue", "yoy_pct"],
         items.map { r in
             [r.id.map { String($0) }, r.name, r.parentId.map { String($0) }, String(r.level), r.kind, String(r.revenue), String(r.margin),
              r.marginPct.map { String($0) }, String(r.orders), String(r.activeCustomers), String(r.newCustomers), r.averageOrder.map { String($0) },
              String(r.share), String(r.previousRevenue), r.growthPct.map { String($0) }, String(r.yoyRevenue), r.yoyPct.map { String($0) }]
         })
    }
}

/// `GET /api/v1/analytics/concentration` (METRICS.md "Concentration risk"): the largest customer's share, the top
/// five's, the HHI, whether either crosses its alert threshold, and the largest customers.
struct ConcentrationReport: Encodable, Sendable {
    struct Customer: Encodable, Sendable {
        let id: Int64
        let name: String
        let revenue: Int64
        let share: Double
    }

    let currency: String
    let from: String
    let to: String
    let total: Int64
    let customers: Int
    let topShare: Double
    let top5Share: Double
    let hhi: Double
    let alert: Bool
    let alerts: [String]
    let thresholds: [String: Double]
    let topCustomers: [Customer]

    static func build(_ shared: AnalyticsParameters, top: Int, for actor: Actor, in database: Database, currency: Currency) async throws -> ConcentrationReport {
        let totals = try await database.salesTotals(for: actor, filter: shared.filter, window: shared.window, key: .account)
        // The company's own thresholds, as the concentration alert uses.
        let thresholds = try await database.companySettings().thresholds.concentration
        let result = Concentration(totals.map { (id: $0.key, value: $0.value.revenue) }, thresholds: thresholds)
        let shown = Array(result.ranked.prefix(top))
        let names = try await database.analyticsNames(.account, ids: Set(shown.map(\.id)))
        return ConcentrationReport(
            currency: currency.code, from: shared.window.from.iso, to: shared.window.through.iso, total: result.total,
            customers: result.ranked.filter { $0.value > 0 }.count, topShare: result.topShare, top5Share: result.top5Share, hhi: result.hhi,
            alert: result.alert, alerts: (result.topShareAlert ? ["top_share"] : []) + (result.hhiAlert ? ["hhi"] : []),
            thresholds: ["topShare": thresholds.topShare, "hhi": thresholds.hhi],
            topCustomers: shown.map { Customer(id: $0.id, name: names[$0.id] ?? String($0.id), revenue: $0.value, share: $0.share) })
    }

    var csv: (header: [String], rows: [[String?]]) {
        (["rank", "id", "name", "revenue", "share"], topCustomers.enumerated().map { [String($0.offset + 1), String($0.element.id), $0.element.name,
                                                                                  String($0.element.revenue), String($0.element.share)] })
    }
}
