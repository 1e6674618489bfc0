import Foundation
import Testing
@testable import KvotaCore

/// The forecast table on a hand fixture: three months of history (so the mean, whose numbers are easy to follow),
/// four open deals in every category, won deals, and a month's and a quarter's plan.
struct RevenueForecastTests {
    static func month(_ text: String) throws -> Period { try Period(label: text) }

    static func fixture() throws -> RevenueForecast.Inputs {
        let s1: Stage.ID = 1, s2: Stage.ID = 2
        return RevenueForecast.Inputs(
            today: try LocalDate(iso: "2026-12-04"), horizon: 3, pastMonths: 3,
            revenue: [try month("2026-09"): 100, try month("2026-10"): 200, try month("2026-11"): 300, try month("2026-12"): 50],
            open: [
                // Overdue: expected in November, still open, so it counts in December.
                .init(amountMinor: 1_000, stage: s1, expectedClose: try LocalDate(iso: "2026-11-20"), category: .commit),
                .init(amountMinor: 400, stage: s2, expectedClose: try LocalDate(iso: "2027-01-10"), category: .bestCase),
                .init(amountMinor: 800, stage: s1, expectedClose: try LocalDate(iso: "2027-01-31"), category: .pipeline),
                .init(amountMinor: 300, stage: s1, expectedClose: nil, category: .omitted),
            ],
            probabilities: [s1: .init(value: 0.5, source: .configured), s2: .init(value: 0.25, source: .history)],
            // November's won deals are past; only December's count toward its commit.
            won: [try month("2026-11"): [5: 999], try month("2026-12"): [5: 600, 6: 100]],
            plans: [try month("2026-12"): 2_000, try Period(label: "2026-Q4"): 5_000])
    }

    @Test func rowsCarryActualsPipelineCategoriesAndHistory() throws {
        let result = RevenueForecast.build(try Self.fixture())
        #expect(result.rows.map(\.month.label) == ["2026-09", "2026-10", "2026-11", "2026-12", "2027-01", "2027-02"])
        #expect(result.rows.map(\.actual) == [100, 200, 300, 50, nil, nil])
        #expect(result.rows.map(\.weighted) == [nil, nil, nil, 500, 500, 0])
        #expect(result.rows.map(\.commit) == [nil, nil, nil, 1_700, 0, 0])
        #expect(result.rows.map(\.bestCase) == [nil, nil, nil, 1_700, 400, 0])
        #expect(result.rows.map(\.plan) == [nil, nil, nil, 2_000, nil, nil])
        // Three months: the mean (200). The backtest forecast October from September alone (100) and November from both (150).
        #expect(result.method == .mean && result.historyMonths == 3)
        #expect(result.rows.map(\.history) == [nil, 100, 150, 200, 200, 200])
        // Sample deviation 100 × √(1 + 1/3) = 115.47; ± 1.2816 of it.
        #expect(result.rows[3].low == 52 && result.rows[3].high == 348)
        #expect(result.undated?.weightedMinor == 150 && result.undated?.deals == 1)
    }

    @Test func accuracyIsTheBacktests() throws {
        let accuracy = RevenueForecast.build(try Self.fixture()).accuracy
        // October: off by 100 of 200; November: off by 150 of 300.
        #expect(accuracy.months == 2 && accuracy.mape == 0.5 && accuracy.wape == 0.5)
    }

    @Test func outlookIsActualToDatePlusWeightedRest() throws {
        let result = RevenueForecast.build(try Self.fixture())
        #expect(result.month == .init(period: try Self.month("2026-12"), actualToDate: 50, weightedRest: 500, plan: 2_000))
        #expect(result.month?.gap == 1_450)
        // October, November and December to date: 550; the quarter's rest is December's weighted 500.
        #expect(result.quarter?.outlook == 1_050 && result.quarter?.gap == 3_950)
    }

    @Test func historyStartsAtTheFirstMonthWithRevenue() throws {
        var inputs = try Self.fixture()
        inputs.revenue = [try Self.month("2026-06"): 0, try Self.month("2026-08"): 400, try Self.month("2026-10"): 200]
        #expect(RevenueForecast.history(inputs.revenue, before: try Self.month("2026-12")) == [400, 0, 200, 0])
        inputs.revenue = [:]
        let empty = RevenueForecast.build(inputs)
        #expect(empty.method == nil && empty.rows.allSatisfy { $0.history == nil } && empty.accuracy.months == 0)
    }

    @Test func withoutAPipelineSideOnlyHistoryIsForecast() throws {
        var inputs = try Self.fixture()
        inputs.open = nil
        let result = RevenueForecast.build(inputs)
        #expect(result.rows.allSatisfy { $0.weighted == nil && $0.commit == nil } && result.month == nil)
        #expect(result.rows[3].history == 200)
    }
}
