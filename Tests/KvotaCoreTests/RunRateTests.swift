import Foundation
import Testing
@testable import KvotaCore

/// The run-rate on a hand fixture: regular customers by their own rhythm, late ones expected today, those past the
/// churn-risk threshold kept apart.
struct RunRateTests {
    static func customer(_ id: Int64, last: String, gap: Double, orders: Int64, revenue: Int64) throws -> RunRate.Customer {
        RunRate.Customer(accountID: id, lastOrder: try LocalDate(iso: last), medianGapDays: gap, ordersInYear: orders, revenueInYear: revenue)
    }

    @Test func eachRegularCustomerIsExpectedByTheirRhythm() throws {
        let today = try LocalDate(iso: "2026-12-04")
        let monthly = try Self.customer(1, last: "2026-11-20", gap: 30, orders: 12, revenue: 1_200_000)
        let late = try Self.customer(2, last: "2026-10-01", gap: 45, orders: 6, revenue: 600_000)
        let lost = try Self.customer(3, last: "2026-05-01", gap: 30, orders: 4, revenue: 100_000)
        let once = try Self.customer(4, last: "2026-11-01", gap: 20, orders: 1, revenue: 50_000)
        let due = try Self.customer(5, last: "2026-11-10", gap: 30.4, orders: 3, revenue: 100_000)
        let expected = [monthly, late, lost, once, due].compactMap { RunRate.expectation($0, asOf: today) }
        #expect(expected.map(\.customer.accountID) == [1, 2, 3, 5], "one order in a year is not a rhythm")
        #expect(expected.map(\.expectedNext.iso) == ["2026-12-20", "2026-11-15", "2026-05-31", "2026-12-10"])
        #expect(expected.map(\.daysUntil) == [16, -19, -187, 6])
        #expect(expected.map(\.status) == [.later, .late, .atRisk, .due])
        #expect(expected.map(\.expectedAmount) == [100_000, 100_000, 25_000, 33_333])

        // December: customer 1 on the 20th, customer 2 today (late), customer 5 on the 10th; January: 1 on the 19th,
        // 2 on 2027-01-18 (45 days after today), 5 on 2027-01-09. The lost customer brings nothing.
        let months = RunRate.byMonth(expected, asOf: today, months: 2)
        let december = try Period(label: "2026-12"), january = try Period(label: "2027-01")
        #expect(months[december] == 233_333 && months[january] == 233_333)
        #expect(months.count == 2)
    }
}
