import Foundation
import KvotaCore

extension Database {
    /// METRICS.md "Retention": which of `customers` (the previous window's buyers) are at churn risk on `window`'s last
    /// day, quiet for longer than 1.5 × their median gap between orders (at least 60 days), read as the actor with
    /// `filter`. Shared by the retention analysis and the churn-risk KPI.
    public func churnRisks(of customers: [Int64], for actor: Actor, filter: AnalyticsFilter, window: DateWindow) async throws -> [Int64: Retention.Risk] {
        var risksByAccount: [Int64: Retention.Risk] = [:]
        var candidates = customers
        // Whoever bought in the last 60 days cannot be at risk, whatever their rhythm.
        let recent = try DateWindow(from: window.through.adding(days: -Int(Retention.minimumQuietDays) + 1), through: window.through)
        // Someone who sees every order, unfiltered, has each customer's whole history in brief in the roll-ups: only
        // customers who ordered after the window's last day need their days read (their rhythm then was another).
        // `sales_customers` holds every customer with an order (kvota verify), so one it leaves out bought lately.
        if filter == AnalyticsFilter(), case .all = AccessPolicy.scope(actor, .list, .order) {
            let rhythms = try await customerRhythms(candidates, exceptLastDayIn: recent.from...recent.through)
            candidates = []
            for (account, rhythm) in rhythms {
                if rhythm.lastDay <= window.through {
                    let risk = Retention.risk(lastOrder: rhythm.lastDay, medianGap: rhythm.medianGap, asOf: window.through)
                    if risk.atRisk { risksByAccount[account] = risk }
                } else {
                    candidates.append(account)
                }
            }
            if candidates.isEmpty { return risksByAccount }
        }
        // Only the others' histories are read.
        candidates = Set(candidates).subtracting(try await salesTotals(for: actor, filter: filter, window: recent, key: .account).keys).sorted()
        var days: [Int64: [LocalDate]] = [:]
        for start in stride(from: 0, to: candidates.count, by: 2_000) {
            var part = filter
            part.accountIDs = Array(candidates[start..<min(start + 2_000, candidates.count)])
            let history = try DateWindow(from: LocalDate(key: 10101), through: window.through)
            for row in try await sales(for: actor, filter: part, window: history, bucket: .day, key: .account) {
                days[row.key, default: []].append(try LocalDate(key: row.bucket))
            }
        }
        for (account, days) in days {
            if let risk = Retention.risk(orderDays: days, asOf: window.through), risk.atRisk { risksByAccount[account] = risk }
        }
        return risksByAccount
    }
}
