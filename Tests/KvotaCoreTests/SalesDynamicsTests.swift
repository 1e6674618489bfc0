import Testing
@testable import KvotaCore

/// Periods, comparisons and the month/day split of sales dynamics (METRICS.md "Sales dynamics"), on hand-made
/// calendars and sums.
struct SalesDynamicsTests {
    static func day(_ iso: String) -> LocalDate { try! LocalDate(iso: iso) }
    static func window(_ from: String, _ to: String) -> DateWindow { try! DateWindow(from: day(from), through: day(to)) }

    @Test func aWindowSplitsIntoWholeMonthsAndTheDaysAtItsEdges() {
        let split = Self.window("2026-01-15", "2026-04-10").split
        #expect(split.months == 202602...202603)
        #expect(split.days == [Self.window("2026-01-15", "2026-01-31"), Self.window("2026-04-01", "2026-04-10")])
        let whole = Self.window("2025-12-01", "2026-02-28").split
        #expect(whole.months == 202512...202602 && whole.days.isEmpty)
        let inside = Self.window("2026-03-05", "2026-03-20").split
        #expect(inside.months == nil && inside.days == [Self.window("2026-03-05", "2026-03-20")])
        #expect(throws: ValidationFailure.self) { try DateWindow(from: Self.day("2026-03-05"), through: Self.day("2026-03-04")) }
    }

    @Test func wholePeriodsCompareWithWholePeriodsAndCutOnesWithTheSameDays() {
        let slots = SalesDynamics.slots(.month, window: Self.window("2026-01-01", "2026-03-10"))
        #expect(slots.map(\.period.label) == ["2026-01", "2026-02", "2026-03"])
        // February (28 days) against the whole of January (31), not its first 28 days.
        #expect(slots[1].previous == Self.window("2026-01-01", "2026-01-31") && !slots[1].partial)
        #expect(slots[1].yearEarlier == Self.window("2025-02-01", "2025-02-28"))
        // March to the 10th against the 1st–10th of February and of March 2025.
        #expect(slots[2].partial && slots[2].value == Self.window("2026-03-01", "2026-03-10"))
        #expect(slots[2].previous == Self.window("2026-02-01", "2026-02-10"))
        #expect(slots[2].yearEarlier == Self.window("2025-03-01", "2025-03-10"))
        // A window from the 31st: the shorter month's last day stands in.
        let late = SalesDynamics.slots(.month, window: Self.window("2026-05-31", "2026-06-30"))
        #expect(late[0].previous == Self.window("2026-04-30", "2026-04-30"))
        // ISO weeks: the week of 2026-W01 a year earlier is 2025-W01.
        let weeks = SalesDynamics.slots(.week, window: Self.window("2025-12-29", "2026-01-04"))
        #expect(weeks.map(\.period.label) == ["2026-W01"] && weeks[0].yearEarlier.from == Self.day("2024-12-30"))
    }

    @Test func pointsAddTheMonthsAndDaysTheyCover() throws {
        let slots = SalesDynamics.slots(.quarter, window: Self.window("2026-01-01", "2026-05-15"))
        // Q2 to May 15 compares with Jan 1–Feb 14 and with Apr 1–May 15, 2025: those days are read by day, and the
        // months the ranges cover whole (February 2026 in Q1) by month; months no range covers are not read.
        #expect(slots[1].previous == Self.window("2026-01-01", "2026-02-14"))
        let plan = SalesBuckets.plan(SalesDynamics.ranges(slots))
        #expect(plan.months == [202501...202504, 202510...202604])
        #expect(plan.days == [Self.window("2025-05-01", "2025-05-15"), Self.window("2026-02-01", "2026-02-14"),
                              Self.window("2026-05-01", "2026-05-15")])
        var buckets = SalesBuckets(plan: plan)
        for month in [202501, 202502, 202503, 202601, 202602, 202603] { buckets.add(month: month, key: 0, 100) }
        for month in [202510, 202511, 202512] { buckets.add(month: month, key: 0, 50) }
        buckets.add(month: 202504, key: 0, 7)
        buckets.add(day: 20250510, key: 0, 3)
        buckets.add(day: 20250520, key: 0, 1_000)  // after May 15: not read
        buckets.add(day: 20260210, key: 0, 60)     // in Q1's February, and in Q2's previous days
        buckets.add(day: 20260220, key: 0, 40)     // after Feb 14: not read by day (Q1 takes February whole)
        buckets.add(month: 202604, key: 0, 30)
        buckets.add(day: 20260515, key: 0, 12)
        buckets.add(day: 20260516, key: 0, 500)    // outside the window
        let points = SalesDynamics.points(slots, key: 0, from: buckets)
        #expect(points.map(\.value) == [300, 42])
        #expect(points.map(\.previous) == [150, 160])
        #expect(buckets.sum(0, over: Self.window("2026-02-01", "2026-02-28")) == 100, "a month read whole and in part: whole")
        #expect(points.map(\.yoyValue) == [300, 10])
        #expect(points.map(\.partial) == [false, true])
        #expect(points[1].changePct == (42.0 - 160) / 160 && points[0].yoyPct == 0)
        #expect(SalesDynamics.change(from: 0, to: 5) == nil, "n/a against zero")
        #expect(SalesDynamics.change(from: -100, to: 50) == 1.5, "up from a loss is up")
    }

    @Test func aSumAcrossAYearEndReadsCutMonthsByDayAndWholeOnesByMonth() {
        let range = Self.window("2025-12-15", "2026-03-10")
        var buckets = SalesBuckets(plan: SalesBuckets.plan([range]))
        var expected: Int64 = 0
        var day = Self.day("2025-12-01")
        while day <= Self.day("2026-03-31") {
            let value = Int64(day.dayNumber % 7 + 1)
            let inRange = day >= range.from && day <= range.through
            if day.month == 12 || day.month == 3 {
                buckets.add(day: day.key, key: 4, value)
                if inRange { expected += value }
            } else if inRange {
                // Whole months are added as months; a day key there would not be read.
                buckets.add(month: day.monthKey, key: 4, value)
                expected += value
            }
            day = day.adding(days: 1)
        }
        #expect(buckets.sum(4, over: range) == expected)
        #expect(buckets.sum(5, over: range) == 0)
    }

    /// The reader adds whole months first and the days of cut months after, out of time order: sums are the same
    /// scanned before `finish` and searched after it, for every range, including a day added twice.
    @Test func sumsDoNotDependOnTheOrderRowsCameIn() {
        let ranges = [Self.window("2025-11-20", "2026-02-28"), Self.window("2025-11-01", "2025-11-19"), Self.window("2026-01-01", "2026-01-31"),
                      Self.window("2025-12-01", "2025-12-31")]
        var buckets = SalesBuckets(plan: SalesBuckets.plan(ranges))
        buckets.add(month: 202_602, key: 1, 7)
        buckets.add(month: 202_512, key: 1, 100)
        buckets.add(month: 202_601, key: 1, 30)
        for day in [20_251_130, 20_251_101, 20_251_119, 20_251_120, 20_251_120] { buckets.add(day: day, key: 1, Int64(day % 100)) }
        let expected: [Int64] = [30 + 20 + 20 + 100 + 30 + 7, 1 + 19, 30, 100]
        #expect(ranges.map { buckets.sum(1, over: $0) } == expected)
        buckets.finish()
        #expect(ranges.map { buckets.sum(1, over: $0) } == expected)
        #expect(buckets.series(1, over: ranges) == expected && buckets.series(2, over: ranges) == [0, 0, 0, 0])
        #expect(buckets.folded([:], unmapped: 5).series(5, over: ranges) == expected)
    }

    @Test func foldingMovesSumsUnderOtherKeys() {
        var buckets = SalesBuckets(plan: SalesBuckets.plan([Self.window("2026-01-01", "2026-02-28")]))
        buckets.add(month: 202601, key: 1, 10)
        buckets.add(month: 202601, key: 2, 20)
        buckets.add(month: 202602, key: 3, 5)
        let folded = buckets.folded([1: 9, 2: 9])
        let february = Self.window("2026-01-01", "2026-02-28")
        #expect(folded.sum(9, over: february) == 30 && folded.sum(0, over: february) == 5)
        #expect(folded.keys == [9, 0])
    }
}
