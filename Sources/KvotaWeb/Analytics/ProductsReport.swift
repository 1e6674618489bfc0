import Foundation
import KvotaCore
import KvotaStore

/// `GET /api/v1/analytics/products` (METRICS.md "Product profitability matrix"): per product and per category the
/// revenue, margin, margin % and quantity; each product's ABC class by revenue and by margin and its XYZ class by
/// quantity (the steadiness of demand; null for a window under three months); and the matrix of revenue class ×
/// margin class, which shows the products that sell much and earn little.
struct ProductsReport: Encodable, Sendable {
    struct Item: Encodable, Sendable {
        let id: Int64
        let name: String
        let categoryId: Int64?
        let revenue: Int64
        let margin: Int64
        let marginPct: Double?
        let quantity: Int64
        let abcRevenue: String
        let abcMargin: String
        let xyz: String?

        enum CodingKeys: String, CodingKey { case id, name, categoryId, revenue, margin, marginPct, quantity, abcRevenue, abcMargin, xyz }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id); try c.encode(name, forKey: .name); try c.encode(categoryId, forKey: .categoryId)
            try c.encode(revenue, forKey: .revenue); try c.encode(margin, forKey: .margin); try c.encode(marginPct, forKey: .marginPct)
            try c.encode(quantity, forKey: .quantity); try c.encode(abcRevenue, forKey: .abcRevenue); try c.encode(abcMargin, forKey: .abcMargin)
            try c.encode(xyz, forKey: .xyz)
        }
    }

    struct Category: Encodable, Sendable {
        let id: Int64?
        let name: String
        let products: Int
        let revenue: Int64
        let margin: Int64
        let marginPct: Double?
        let quantity: Int64
    }

    struct Cell: Encodable, Sendable {
        let abcRevenue: String
        let abcMargin: String
        let products: Int
        let revenue: Int64
        let margin: Int64
    }

    let currency: String
    let from: String
    let to: String
    let itemCount: Int
    let items: [Item]
    let categories: [Category]
    let matrix: [Cell]

    static func build(_ shared: AnalyticsParameters, limit: Int, for actor: Actor, in database: Database, currency: Currency) async throws -> ProductsReport {
        let totals: [Int64: SalesTotals]
        var steadiness: [Int64: XYZClass] = [:]
        let monthCount = Period.covering(from: shared.window.from, through: shared.window.through, grain: .month).count
        if monthCount >= XYZAnalysis.minimumMonths {
            let read = try await XYZReport.totalsAndClasses(.quantity, key: .product, shared, for: actor, in: database)
            totals = read.totals
            for row in read.xyz { steadiness[row.id] = row.category }
        } else {
            totals = try await database.salesTotals(for: actor, filter: shared.filter, window: shared.window, key: .product)
        }
        let byRevenue = Dictionary(uniqueKeysWithValues: ABCAnalysis.classify(totals.map { ($0.key, $0.value.revenue) }).rows.map { ($0.id, $0.category) })
        let byMargin = Dictionary(uniqueKeysWithValues: ABCAnalysis.classify(totals.map { ($0.key, $0.value.margin) }).rows.map { ($0.id, $0.category) })
        let categoryOf = try await database.categoriesOfProducts()
        let ranked = totals.sorted { ($0.value.revenue, -$0.key) > ($1.value.revenue, -$1.key) }
        let shown = Array(ranked.prefix(limit))
        let names = try await database.analyticsNames(.product, ids: Set(shown.map(\.key)))
        var perCategory: [Int64: (products: Int, totals: SalesTotals)] = [:]
        for (product, sums) in totals {
            let category = categoryOf[product] ?? 0
            perCategory[category, default: (0, .zero)].products += 1
            perCategory[category, default: (0, .zero)].totals += sums
        }
        let categoryNames = try await database.analyticsNames(.category, ids: Set(perCategory.keys))
        var cells: [Cell] = []
        for r in ABCClass.allCases {
            for m in ABCClass.allCases {
                let members = totals.filter { byRevenue[$0.key] == r && byMargin[$0.key] == m }
                cells.append(Cell(abcRevenue: r.rawValue, abcMargin: m.rawValue, products: members.count,
                                  revenue: members.reduce(0) { $0 + $1.value.revenue }, margin: members.reduce(0) { $0 + $1.value.margin }))
            }
        }
        return ProductsReport(
            currency: currency.code, from: shared.window.from.iso, to: shared.window.through.iso, itemCount: totals.count,
            items: shown.map { product, sums in
                Item(id: product, name: names[product] ?? String(product), categoryId: categoryOf[product], revenue: sums.revenue, margin: sums.margin,
                     marginPct: sums.marginRate, quantity: sums.quantityMilli, abcRevenue: byRevenue[product]!.rawValue,
                     abcMargin: byMargin[product]!.rawValue, xyz: steadiness[product]?.rawValue ?? (monthCount >= XYZAnalysis.minimumMonths ? "Z" : nil))
            },
            categories: perCategory.sorted { ($0.value.totals.revenue, -$0.key) > ($1.value.totals.revenue, -$1.key) }.map { id, value in
                Category(id: id == 0 ? nil : id, name: categoryNames[id] ?? "none", products: value.products, revenue: value.totals.revenue,
                         margin: value.totals.margin, marginPct: value.totals.marginRate, quantity: value.totals.quantityMilli)
            },
            matrix: cells)
    }

    var csv: (header: [String], rows: [[String?]]) {
        (["id", "name", "category_id", "revenue", "margin", "margin_pct", "quantity", "abc_revenue", "abc_margin", "xyz"],
         items.map { [String($0.id), $0.name, $0.categoryId.map { String($0) }, String($0.revenue), String($0.margin), $0.marginPct.map { String($0) },
                      String($0.quantity), $0.abcRevenue, $0.abcMargin, $0.xyz] })
    }
}
