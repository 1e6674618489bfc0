import Foundation
import KvotaCore

extension Database {
    /// The customers the actor sees who bought under `filter` in the 12 months to `today`, with their rhythm (every
    /// order day, from the roll-up `sales_customers` keeps) and their last year's orders and revenue: what the
    /// run-rate reads. Two small reads whatever the history's length: the year's sums per account, and the rhythms of
    /// those who ordered at least twice.
    public func runRateCustomers(for actor: Actor, filter: AnalyticsFilter, asOf today: LocalDate) async throws -> [RunRate.Customer] {
        let year = try DateWindow(from: today.adding(months: -12).adding(days: 1), through: today)
        let totals = try await salesTotals(for: actor, filter: filter, window: year, key: .account, distinctOrders: true)
        let repeat_ = totals.filter { $0.value.orders >= RunRate.minimumOrdersInYear }
        let rhythms = try await customerRhythms(Array(repeat_.keys))
        return repeat_.compactMap { account, sums in
            guard let rhythm = rhythms[account], let gap = rhythm.medianGap else { return nil }
            // An order dated after today (a future delivery) does not move today's rhythm.
            return RunRate.Customer(accountID: account, lastOrder: min(rhythm.lastDay, today), medianGapDays: gap,
                                    ordersInYear: sums.orders, revenueInYear: sums.revenue)
        }.sorted { $0.accountID < $1.accountID }
    }
}
