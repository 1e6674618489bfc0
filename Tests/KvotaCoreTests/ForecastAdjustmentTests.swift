import Foundation
import Testing
@testable import KvotaCore

/// A head's adjustment replaces one rep's commit in the roll-up, and only a month that has not ended takes one.
struct ForecastAdjustmentTests {
    @Test func theAdjustedRollUpTakesTheHeadsNumberWhereThereIsOne() {
        // Rep 1 committed 100 and the head says 60; rep 2's 50 stands; rep 3 has no deals but the head expects 30.
        #expect(ForecastAdjustment.adjusted(commit: [1: 100, 2: 50], adjustments: [1: 60, 3: 30]) == 140)
        #expect(ForecastAdjustment.adjusted(commit: [1: 100, 2: 50], adjustments: [:]) == 150)
    }

    @Test func anEndedMonthIsHistory() throws {
        var errors = ValidationFailure.Collector()
        let today = try LocalDate(iso: "2026-12-04")
        ForecastAdjustment.check(month: try Period(label: "2026-12"), amountMinor: 5, note: nil, today: today, into: &errors)
        #expect(errors.errors.isEmpty)
        ForecastAdjustment.check(month: try Period(label: "2026-11"), amountMinor: -1, note: String(repeating: "x", count: 501), today: today,
                                 into: &errors)
        #expect(errors.errors.map(\.field) == ["month", "amountMinor", "note"])
    }
}
