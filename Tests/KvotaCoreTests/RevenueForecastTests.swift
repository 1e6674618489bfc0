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

/// The categories' roll-ups: commit = won to date + commit; best case = commit + best case (METRICS.md "Forecast").
struct ForecastCategoriesTests {
    @Test func commitAndBestCaseRollUp() throws {
        let december = try Period(label: "2026-12"), january = try Period(label: "2027-01")
        let deals: [WeightedPipeline.OpenDeal] = [
            .init(amountMinor: 300, stage: 1, expectedClose: try LocalDate(iso: "2026-12-15"), category: .commit),
            .init(amountMinor: 200, stage: 1, expectedClose: try LocalDate(iso: "2026-12-31"), category: .bestCase),
            .init(amountMinor: 900, stage: 1, expectedClose: try LocalDate(iso: "2026-12-31"), category: .pipeline),
            .init(amountMinor: 700, stage: 1, expectedClose: try LocalDate(iso: "2026-12-02"), category: .omitted),
            .init(amountMinor: 50, stage: 1, expectedClose: try LocalDate(iso: "2027-01-02"), category: .commit),
        ]
        let months = ForecastCategories.byMonth(open: deals, won: [december: 1_000], current: december)
        #expect(months[december]?.commitMinor == 1_300 && months[december]?.bestCaseMinor == 1_500)
        #expect(months[january]?.commitMinor == 50 && months[january]?.bestCaseMinor == 50)
    }
}

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

/// The recorded error: for each month, the last snapshot taken before it began, against deals won (pipeline and
/// commit) and revenue (history).
struct ForecastSnapshotTests {
    @Test func eachMonthIsJudgedByTheLastSnapshotBeforeItBegan() throws {
        let october = try Period(label: "2026-10"), november = try Period(label: "2026-11")
        func day(_ text: String) throws -> LocalDate { try LocalDate(iso: text) }
        let snapshots = [
            ForecastSnapshot(takenOn: try day("2026-09-21"), scope: "company", forecast: .init(month: october, weighted: 50, commit: 10, history: 900)),
            // The last before October began: this one counts; the head's adjusted commit stands for the commit.
            ForecastSnapshot(takenOn: try day("2026-09-28"), scope: "company",
                             forecast: .init(month: october, weighted: 80, commit: 40, adjusted: 60, history: 1_100)),
            // Taken in October: too late to count for it.
            ForecastSnapshot(takenOn: try day("2026-10-05"), scope: "company", forecast: .init(month: october, weighted: 100, commit: 100, history: 1_000)),
            ForecastSnapshot(takenOn: try day("2026-10-26"), scope: "company", forecast: .init(month: november, weighted: 30, commit: 20, history: 500)),
        ]
        let error = ForecastSnapshot.recordedError(snapshots, months: [try Period(label: "2026-09"), october, november],
                                                   revenue: [october: 1_000, november: 400], won: [october: 100, november: 0])
        // October: weighted 80 vs 100 won, commit 60 vs 100, history 1 100 vs 1 000. November: won nothing, so only WAPE counts it.
        #expect(error.weighted.months == 2 && error.weighted.mape == 0.2 && error.weighted.wape == 0.5)
        #expect(error.commit.mape == 0.4 && error.commit.wape == 0.6)
        #expect(error.history.months == 2 && error.history.wape == 200.0 / 1_400)
        #expect(abs((error.history.mape ?? 0) - (0.1 + 0.25) / 2) < 1e-12)
    }

    @Test func aSnapshotIsTheForecastFromItsCurrentMonthOn() throws {
        let result = RevenueForecast.build(try RevenueForecastTests.fixture())
        let taken = ForecastSnapshot.taking(result.rows, scope: "team:2", on: try LocalDate(iso: "2026-12-04"))
        #expect(taken.map(\.month.label) == ["2026-12", "2027-01", "2027-02"])
        #expect(taken.allSatisfy { $0.takenOn.iso == "2026-11-30" && $0.scope == "team:2" })
        #expect(taken.first?.forecast.weighted == 500 && taken.first?.forecast.commit == 1_700 && taken.first?.forecast.history == 200)
    }
}

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
