import Foundation
import KvotaCore

extension Database {
    /// METRICS.md "Retention": which of `customers` (the previous window's buyers) are at churn risk on `window`'s last
    /// day, quiet for longer than 1.5 × their median gap between orders (at least 60 days), read as the actor with
    /// `filter`. Shared by the retention analysis and the churn-risk KPI. `boughtSince`: a day every one of `customers`
    /// is known to have ordered on or after (the first day of the stretch they are the customers of).
    public func churnRisks(of customers: [Int64], boughtSince: LocalDate? = nil, for actor: Actor, filter: AnalyticsFilter,
                           window: DateWindow) async throws -> [Int64: Retention.Risk] {
        var risksByAccount: [Int64: Retention.Risk] = [:]
        var candidates = customers
        // Whoever bought in the last 60 days cannot be at risk, whatever their rhythm.
        let recent = try Self.lastQuietDays(before: window.through)
        if let boughtSince, boughtSince >= recent.from { return [:] }
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

    /// `churnRisks` of several owners' customers at once, each owner's read through their own orders only (as the
    /// manager filter reads them one owner at a time): the owners and customers at risk, keyed by owner id.
    func churnRisks(byOwner customers: [Int64: [Int64]], boughtSince: LocalDate? = nil, for actor: Actor,
                    window: DateWindow) async throws -> [Int64: Set<Int64>] {
        let owners = customers.filter { !$0.value.isEmpty }.keys.sorted()
        let recent = try Self.lastQuietDays(before: window.through)
        if owners.isEmpty || boughtSince.map({ $0 >= recent.from }) == true { return [:] }
        var filter = AnalyticsFilter()
        filter.managerIDs = owners.map { User.ID($0) }
        var lately: [Int64: Set<Int64>] = [:]
        for row in try await sales(for: actor, filter: filter, window: recent, bucket: .total, key: .owner, perAccount: true) {
            lately[row.key, default: []].insert(row.account)
        }
        var candidates: [Int64: Set<Int64>] = [:]
        for owner in owners { candidates[owner] = Set(customers[owner]!).subtracting(lately[owner] ?? []) }
        let accounts = Set(candidates.values.joined()).sorted()
        var days: [Int64: [Int64: [LocalDate]]] = [:]
        let history = try DateWindow(from: LocalDate(key: 10101), through: window.through)
        for start in stride(from: 0, to: accounts.count, by: 2_000) {
            var part = filter
            part.accountIDs = Array(accounts[start..<min(start + 2_000, accounts.count)])
            for row in try await sales(for: actor, filter: part, window: history, bucket: .day, key: .owner, perAccount: true)
            where candidates[row.key]?.contains(row.account) == true {
                days[row.key, default: [:]][row.account, default: []].append(try LocalDate(key: row.bucket))
            }
        }
        var risks: [Int64: Set<Int64>] = [:]
        for (owner, accounts) in days {
            for (account, days) in accounts {
                if let risk = Retention.risk(orderDays: days, asOf: window.through), risk.atRisk { risks[owner, default: []].insert(account) }
            }
        }
        return risks
    }

    /// The days up to `day` in which an order leaves a customer short of the quiet spell of a churn risk, whatever their
    /// rhythm. Customers known to have bought in them are not read at all: a week's or a month's KPIs ask about the
    /// customers of the stretch just before, every one of whom did, and reading each one's rhythm and history was a
    /// fifth of the company's KPIs at scale L on PostgreSQL.
    static func lastQuietDays(before day: LocalDate) throws -> DateWindow {
        try DateWindow(from: day.adding(days: -Int(Retention.minimumQuietDays) + 1), through: day)
    }
}
