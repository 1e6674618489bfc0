import Algorithms
import BitCollections
import Foundation
import KvotaCore
import KvotaStore

/// `GET /api/v1/analytics/retention` (METRICS.md "Retention"): active and repeat customers in the window, how many of
/// the previous window's customers bought again, and the churn-risk list: customers of the previous window quiet on the
/// window's last day for longer than 1.5 × their median gap between orders (at least 60 days), with owner and last
/// order day, biggest previous buyers first.
struct RetentionReport: Encodable, Sendable {
    struct AtRisk: Encodable, Sendable {
        let id: Int64
        let name: String
        let ownerId: Int64?
        let ownerName: String?
        let lastOrder: String
        let daysSince: Int
        let medianGapDays: Double?
        let thresholdDays: Double
        let previousRevenue: Int64

        enum CodingKeys: String, CodingKey { case id, name, ownerId, ownerName, lastOrder, daysSince, medianGapDays, thresholdDays, previousRevenue }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id); try c.encode(name, forKey: .name); try c.encode(ownerId, forKey: .ownerId)
            try c.encode(ownerName, forKey: .ownerName); try c.encode(lastOrder, forKey: .lastOrder); try c.encode(daysSince, forKey: .daysSince)
            try c.encode(medianGapDays, forKey: .medianGapDays); try c.encode(thresholdDays, forKey: .thresholdDays)
            try c.encode(previousRevenue, forKey: .previousRevenue)
        }
    }

    let currency: String
    let from: String
    let to: String
    let previousFrom: String
    let previousTo: String
    let activeCustomers: Int
    let repeatCustomers: Int
    let repeatRate: Double?
    let previousActive: Int
    let retained: Int
    let retentionRate: Double?
    let churnRiskCount: Int
    let churnRisk: [AtRisk]

    static func build(_ shared: AnalyticsParameters, limit: Int, for actor: Actor, in database: Database, currency: Currency) async throws -> RetentionReport {
        let window = shared.window, previous = window.previous
        // The active customers, and those among them with orders in a second month: each account has at most one row a
        // month, so a second row is a second month. Bits per account id instead of a dictionary of first months: a
        // director's year at scale L is half a million customer-months.
        // The window's months and the period before are read side by side; the risks need the period before.
        async let monthsRead = database.sales(for: actor, filter: shared.filter, window: window, bucket: .month, key: .account)
        // The period before in account order, walked rather than looked up: a dictionary of a director's 150 000
        // customers of a year was a tenth of the analysis.
        let before = try await database.salesTotalsInKeyOrder(for: actor, filter: shared.filter, window: previous, key: .account)
        async let risksRead = database.churnRisks(of: before.map(\.key), boughtSince: previous.from, for: actor, filter: shared.filter,
                                                    window: window)
        var active = BitSet(), again = BitSet()
        for row in try await monthsRead {
            if !active.insert(Int(row.key)).inserted { again.insert(Int(row.key)) }
        }
        let retained = before.count(where: { active.contains(Int($0.key)) })
        let risksByAccount = try await risksRead
        // The biggest first; only as many as shown are put in order (a director's risks at scale L are tens of thousands).
        let shown = before.compactMap { account, totals in risksByAccount[account].map { (revenue: totals.revenue, account: account, risk: $0) } }
            .min(count: limit) { ($0.revenue, -$0.account) > ($1.revenue, -$1.account) }.map { ($0.account, $0.risk, $0.revenue) }
        let names = try await database.analyticsNames(.account, ids: Set(shown.map(\.0)))
        let owners = try await database.accountOwners(Set(shown.map(\.0)))
        let ownerNames = try await database.analyticsNames(.manager, ids: Set(owners.values))
        let repeatCustomers = again.count
        return RetentionReport(
            currency: currency.code, from: window.from.iso, to: window.through.iso, previousFrom: previous.from.iso, previousTo: previous.through.iso,
            activeCustomers: active.count, repeatCustomers: repeatCustomers,
            repeatRate: active.isEmpty ? nil : Double(repeatCustomers) / Double(active.count), previousActive: before.count, retained: retained,
            retentionRate: before.isEmpty ? nil : Double(retained) / Double(before.count), churnRiskCount: risksByAccount.count,
            churnRisk: shown.map { account, risk, previousRevenue in
                let owner = owners[account].flatMap { $0 == 0 ? nil : $0 }
                return AtRisk(id: account, name: names[account] ?? String(account), ownerId: owner, ownerName: owner.flatMap { ownerNames[$0] },
                              lastOrder: risk.lastOrder.iso, daysSince: risk.daysSince, medianGapDays: risk.medianGap,
                              thresholdDays: risk.threshold, previousRevenue: previousRevenue)
            })
    }

    var csv: (header: [String], rows: [[String?]]) {
        (["id", "name", "owner_id", "owner", "last_order", "days_since", "median_gap_days", "threshold_days", "previous_revenue"],
         churnRisk.map { [String($0.id), $0.name, $0.ownerId.map { String($0) }, $0.ownerName, $0.lastOrder, String($0.daysSince),
                          $0.medianGapDays.map { String($0) }, String($0.thresholdDays), String($0.previousRevenue)] })
    }
}
