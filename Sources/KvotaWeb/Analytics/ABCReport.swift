import Foundation
import KvotaCore
import KvotaStore

/// What ABC and XYZ classify: products or customers (accounts).
enum AnalysisSubject: String, CaseIterable, Sendable {
    case product, customer

    var key: SalesKey { self == .product ? .product : .account }
    var dimension: SalesDimension { self == .product ? .product : .account }
}

/// `GET /api/v1/analytics/abc` (METRICS.md "ABC analysis"): products or customers ranked by revenue, margin or
/// quantity over the window, each with its share, cumulative share and class; per class the count, value and share.
/// `limit` and `class` cut the item list only: ranks, shares and the class summary always cover every item.
struct ABCReport: Encodable, Sendable {
    struct Item: Encodable, Sendable {
        let id: Int64
        let name: String
        let rank: Int
        let value: Int64
        let share: Double
        let cumulativeShare: Double
        let `class`: String
    }

    struct ClassSummary: Encodable, Sendable {
        let `class`: String
        let count: Int
        let value: Int64
        let share: Double
    }

    struct Query: Sendable {
        var subject: AnalysisSubject
        var measure: SalesMeasure
        var only: ABCClass?
        var limit: Int
        var shared: AnalyticsParameters
    }

    let subject: String
    let measure: String
    let currency: String
    let from: String
    let to: String
    let total: Int64
    /// Items classified, before `class` and `limit` cut the list.
    let itemCount: Int
    let items: [Item]
    let classes: [ClassSummary]

    static func classify(_ query: Query, for actor: Actor, in database: Database) async throws -> ABCResult {
        let totals = try await database.salesTotals(for: actor, filter: query.shared.filter, window: query.shared.window, key: query.subject.key)
        return ABCAnalysis.classify(totals.map { (id: $0.key, value: $0.value.value(query.measure)) })
    }

    static func build(_ query: Query, for actor: Actor, in database: Database, currency: Currency) async throws -> ABCReport {
        let result = try await classify(query, for: actor, in: database)
        let shown = Array(result.rows.filter { query.only == nil || $0.category == query.only }.prefix(query.limit))
        let names = try await database.analyticsNames(query.subject.dimension, ids: Set(shown.map(\.id)))
        return ABCReport(
            subject: query.subject.rawValue, measure: query.measure.rawValue, currency: currency.code, from: query.shared.window.from.iso,
            to: query.shared.window.through.iso, total: result.total, itemCount: result.rows.count,
            items: shown.map {
                Item(id: $0.id, name: names[$0.id] ?? String($0.id), rank: $0.rank, value: $0.value, share: $0.share,
                     cumulativeShare: $0.cumulativeShare, class: $0.category.rawValue)
            },
            classes: ABCClass.allCases.map { category in
                let summary = result.classes[category]!
                return ClassSummary(class: category.rawValue, count: summary.count, value: summary.value, share: summary.share)
            })
    }

    var csv: (header: [String], rows: [[String?]]) {
        (["rank", "id", "name", "value", "share", "cumulative_share", "class"],
         items.map { [String($0.rank), String($0.id), $0.name, String($0.value), String($0.share), String($0.cumulativeShare), $0.class] })
    }
}
