import Testing
@testable import KvotaCore

/// Plan progress on hand-computed examples (docs/metrics.md "Plan progress"), and what a plan draft refuses.
struct PlanProgressTests {
    static let november = Period(.month, containing: LocalDate(unchecked: 2026, 11, 1))

    @Test func midPeriodFiguresFollowTheDefinitions() {
        // 30 days; the 12th counts as elapsed: 12 days gone, 18 left. 480 000 of 1 200 000 sold.
        let p = PlanProgress(target: 1_200_000, actual: 480_000, period: Self.november, asOf: LocalDate(unchecked: 2026, 11, 12))
        #expect(p.daysElapsed == 12 && p.daysTotal == 30)
        #expect(p.fulfilment == 0.4)
        #expect(p.projection == 1_200_000)  // 480 000 × 30 / 12
        #expect(p.gap == 0)
        #expect(p.remaining == 720_000)
        #expect(p.dailyPace == 40_000)  // 720 000 / 18
    }

    @Test func theDailyPaceRoundsUpAndTheProjectionToTheNearest() {
        // 7 of 30 days, 100 sold of 1 000: projection 100 × 30 / 7 = 428.57 → 429; 900 left over 23 days = 39.13 → 40.
        let p = PlanProgress(target: 1_000, actual: 100, period: Self.november, asOf: LocalDate(unchecked: 2026, 11, 7))
        #expect(p.projection == 429)
        #expect(p.gap == 571)
        #expect(p.dailyPace == 40)
    }

    @Test func aZeroPlanHasNoFulfilmentAndNothingDividesByZero() {
        let p = PlanProgress(target: 0, actual: 5, period: Self.november, asOf: LocalDate(unchecked: 2026, 11, 10))
        #expect(p.fulfilment == nil)
        #expect(p.remaining == 0)
        #expect(p.dailyPace == 0)
        #expect(p.gap == -15)
    }

    @Test func beforeTheStartNothingIsProjectedAndAfterTheEndNoPaceIsAsked() {
        let before = PlanProgress(target: 300, actual: 0, period: Self.november, asOf: LocalDate(unchecked: 2026, 10, 31))
        #expect(before.daysElapsed == 0 && before.projection == nil && before.gap == nil)
        #expect(before.dailyPace == 10)
        #expect(PlanProgress.window(Self.november, asOf: LocalDate(unchecked: 2026, 10, 31)) == nil)

        let after = PlanProgress(target: 300, actual: 360, period: Self.november, asOf: LocalDate(unchecked: 2026, 12, 15))
        #expect(after.daysElapsed == 30 && after.projection == 360 && after.gap == -60)
        #expect(after.fulfilment == 1.2 && after.remaining == 0 && after.dailyPace == nil)
        #expect(PlanProgress.window(Self.november, asOf: LocalDate(unchecked: 2026, 12, 15))
                == DateWindow(unchecked: LocalDate(unchecked: 2026, 11, 1), LocalDate(unchecked: 2026, 11, 30)))
    }

    @Test func aWeekSpanningTwoMonthsCountsItsOwnSevenDays() {
        // ISO week 2026-W49 runs Monday 30 November to Sunday 6 December.
        let week = try! Period(label: "2026-W49")
        let p = PlanProgress(target: 700, actual: 200, period: week, asOf: LocalDate(unchecked: 2026, 12, 1))
        #expect(week.start == LocalDate(unchecked: 2026, 11, 30) && p.daysTotal == 7 && p.daysElapsed == 2)
        #expect(p.projection == 700 && p.dailyPace == 100)
    }

    @Test func subjectsReadBackWhatTheyWrite() throws {
        for subject in [PlanSubject.company, .team(3), .user(42)] {
            #expect(try PlanSubject(subject.description) == subject)
        }
        for bad in ["", "Company", "team", "team:", "team:0", "user:x", "region:3"] {
            #expect(throws: ValueError.self) { try PlanSubject(bad) }
        }
    }

    @Test func aDraftNamesEveryProblemAtOnce() {
        let draft = PlanDraft(period: Period(.day, containing: LocalDate(unchecked: 2026, 11, 3)), subject: .company,
                              targets: [PlanTarget(.revenue, 100), PlanTarget(.revenue, 200), PlanTarget(.dealsWon, -1)],
                              rows: [PlanRow(.region, 4, .margin, 10), PlanRow(.category, 2, .dealsWon, 1), PlanRow(.account, 0, .revenue, 5),
                                     PlanRow(.region, 4, .revenue, 1), PlanRow(.region, 4, .revenue, 2)])
        var errors = ValidationFailure.Collector()
        _ = draft.checked(into: &errors)
        #expect(errors.errors.map(\.field) == ["period", "targets[1].measure", "targets[2].target", "rows[0].measure", "rows[1].dimension",
                                               "rows[2].key", "rows[4]"])
    }

    @Test func activitiesAreNotSplitByCustomerAndTargetsComeBackInMeasureOrder() {
        let draft = PlanDraft(period: Self.november, subject: .user(5),
                              targets: [PlanTarget(.meetingsHeld, 20), PlanTarget(.revenue, 1_000)], rows: [PlanRow(.channel, 1, .meetingsHeld, 3)],
                              note: "  ")
        var errors = ValidationFailure.Collector()
        let checked = draft.checked(into: &errors)
        #expect(errors.errors.map(\.field) == ["rows[0].dimension"])
        #expect(checked.targets.map(\.measure) == [.revenue, .meetingsHeld])
        #expect(checked.note == nil)
    }

    /// The chart's checkpoints: a month by day, 2026-Q4 by Sunday and its last day, 2026 by month end; the plan line is
    /// the target spread evenly, reaching it on the last day and 0 before the start.
    @Test func chartCheckpointsAndThePlanLine() throws {
        let month = PlanProgress.checkpoints(Self.november)
        #expect(month.count == 30 && month.first?.iso == "2026-11-01" && month.last?.iso == "2026-11-30")
        let quarter = PlanProgress.checkpoints(try Period(label: "2026-Q4"))
        #expect(quarter.first?.iso == "2026-10-04" && quarter.count == 14 && quarter.suffix(2).map(\.iso) == ["2026-12-27", "2026-12-31"])
        #expect(quarter.dropLast().allSatisfy { $0.isoWeekday == 7 })
        let year = PlanProgress.checkpoints(try Period(label: "2026"))
        #expect(year.map(\.iso) == ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30", "2026-07-31",
                                    "2026-08-31", "2026-09-30", "2026-10-31", "2026-11-30", "2026-12-31"])
        // 3 000 over 30 days: 100 a day.
        #expect(PlanProgress.evenShare(of: 3_000, Self.november, through: try LocalDate(iso: "2026-11-10")) == 1_000)
        #expect(PlanProgress.evenShare(of: 3_000, Self.november, through: try LocalDate(iso: "2026-11-30")) == 3_000)
        #expect(PlanProgress.evenShare(of: 3_000, Self.november, through: try LocalDate(iso: "2026-10-31")) == 0)
        #expect(PlanProgress.evenShare(of: 1_000, Self.november, through: try LocalDate(iso: "2026-11-01")) == 33)
    }
}
