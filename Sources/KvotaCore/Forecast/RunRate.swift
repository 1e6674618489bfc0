import Foundation

/// The per-account run-rate (issue 10): when each regular customer is expected to order next by their own rhythm, and
/// for how much, so the retention team calls before an order is late and the forecast knows what repeat business
/// brings. A regular customer has a rhythm (two order days or more, so a median gap) and ordered at least twice in the
/// last 12 months.
public enum RunRate {
    public static let minimumOrdersInYear: Int64 = 2
    /// Expected within this many days: due.
    public static let dueWithinDays = 14

    public enum Status: String, CaseIterable, Sendable, Codable {
        /// Past the churn-risk threshold (METRICS.md "Retention"): a retention case, not an order to wait for.
        case atRisk = "at_risk"
        /// The expected day has passed.
        case late
        /// Expected within `dueWithinDays`.
        case due
        case later
    }

    public struct Customer: Hashable, Sendable {
        public var accountID: Int64
        public var lastOrder: LocalDate
        public var medianGapDays: Double
        /// Orders and revenue in the 12 months to the day asked about.
        public var ordersInYear: Int64
        public var revenueInYear: Int64

        public init(accountID: Int64, lastOrder: LocalDate, medianGapDays: Double, ordersInYear: Int64, revenueInYear: Int64) {
            self.accountID = accountID; self.lastOrder = lastOrder; self.medianGapDays = medianGapDays
            self.ordersInYear = ordersInYear; self.revenueInYear = revenueInYear
        }
    }

    public struct Expectation: Hashable, Sendable {
        public var customer: Customer
        /// The last order day plus the median gap (rounded to whole days).
        public var expectedNext: LocalDate
        /// Days from the day asked about to the expected day: negative when it is late.
        public var daysUntil: Int
        /// The customer's average order over the last 12 months.
        public var expectedAmount: Int64
        public var status: Status
    }

    public static func isRegular(_ customer: Customer) -> Bool {
        customer.medianGapDays > 0 && customer.ordersInYear >= minimumOrdersInYear
    }

    public static func expectation(_ customer: Customer, asOf today: LocalDate) -> Expectation? {
        guard isRegular(customer) else { return nil }
        let next = customer.lastOrder.adding(days: Int(customer.medianGapDays.rounded()))
        let until = today.days(until: next)
        let risk = Retention.risk(lastOrder: customer.lastOrder, medianGap: customer.medianGapDays, asOf: today)
        let status: Status = risk.atRisk ? .atRisk : until < 0 ? .late : until <= dueWithinDays ? .due : .later
        let average = (Double(customer.revenueInYear) / Double(customer.ordersInYear)).rounded()
        return Expectation(customer: customer, expectedNext: next, daysUntil: until, expectedAmount: Int64(average), status: status)
    }

    /// The repeat business by month over `months` (from the current one): each regular customer not at risk orders its
    /// average at its expected day and every median gap after it; a late order is expected today.
    public static func byMonth(_ expectations: [Expectation], asOf today: LocalDate, months: Int) -> [Period: Int64] {
        let first = Period(.month, containing: today)
        let end = Period(.month, containing: first.start.adding(months: max(0, months - 1))).end
        var result: [Period: Int64] = [:]
        for expectation in expectations where expectation.status != .atRisk {
            let gap = max(1, Int(expectation.customer.medianGapDays.rounded()))
            var day = max(expectation.expectedNext, today)
            while day < end {
                result[Period(.month, containing: day), default: 0] += expectation.expectedAmount
                day = day.adding(days: gap)
            }
        }
        return result
    }
}
