import Testing
@testable import KvotaCore

/// Shares that add up exactly, and the shorter periods a plan splits into.
struct PlanSplitTests {
    @Test func sharesAddUpToTheWholeAndFollowTheWeights() {
        #expect(PlanSplit.apportion(1_000_001, weights: [1, 1]) == [500_001, 500_000])
        #expect(PlanSplit.apportion(100, weights: [1, 1, 1]) == [34, 33, 33])
        // 3 000 and 1 000 sold before: three quarters and one quarter.
        #expect(PlanSplit.apportion(1_000_000, weights: [3_000, 1_000]) == [750_000, 250_000])
        // 10 × 2/7 = 2.86, × 5/7 = 7.14, × 0: the one unit left goes to the largest fraction.
        #expect(PlanSplit.apportion(10, weights: [2, 5, 0]) == [3, 7, 0])
        // A month of returns weighs nothing; no sales at all is no proportion.
        #expect(PlanSplit.apportion(90, weights: [-50, 30, 60]) == [0, 30, 60])
        #expect(PlanSplit.apportion(90, weights: [0, 0]) == nil)
        #expect(PlanSplit.apportion(0, weights: [2, 1]) == [0, 0])
        let big = PlanSplit.apportion(9_000_000_000_000_001, weights: [1, 2, 3, 4, 5, 6, 7])!
        #expect(big.reduce(0, +) == 9_000_000_000_000_001)
    }

    @Test func theSumCheckSaysWhatIsLeftUnassigned() {
        let parts = [PlanSplit.Part(subject: .user(1), period: try! Period(label: "2026-11"), targets: [PlanTarget(.revenue, 600)]),
                     PlanSplit.Part(subject: .user(2), period: try! Period(label: "2026-11"), targets: [PlanTarget(.revenue, 300)])]
        let checks = PlanSplit.checks(of: parts, against: [PlanTarget(.revenue, 1_000), PlanTarget(.orders, 5)])
        #expect(checks.map(\.remainder) == [100, 5])
        #expect(checks.map(\.assigned) == [900, 0])
    }

    @Test func periodsSplitIntoTheNextFinerOneOrTheGrainAsked() throws {
        let year = try Period(label: "2026")
        #expect(try PlanSplit.periods(of: year, grain: nil).map(\.label) == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"])
        #expect(try PlanSplit.periods(of: year, grain: .month).count == 12)
        #expect(try PlanSplit.periods(of: try Period(label: "2026-H2"), grain: nil).map(\.label) == ["2026-Q3", "2026-Q4"])
        #expect(try PlanSplit.periods(of: try Period(label: "2026-Q4"), grain: nil).map(\.label) == ["2026-10", "2026-11", "2026-12"])
        // November 2026's Thursdays are the 5th, 12th, 19th and 26th; the week of Monday 30 November belongs to December,
        // and the week of Monday 26 October (Thursday the 29th) to October.
        #expect(try PlanSplit.periods(of: try Period(label: "2026-11"), grain: nil).map(\.label) == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"])
        #expect(try PlanSplit.periods(of: try Period(label: "2026-12"), grain: nil).map(\.label).first == "2026-W49")
        // ISO 2026 has 53 weeks: the year's weeks are exactly them.
        #expect(try PlanSplit.periods(of: year, grain: .week).count == 53)
        #expect(throws: ValueError.self) { try PlanSplit.periods(of: try Period(label: "2026-W47"), grain: nil) }
        #expect(throws: ValueError.self) { try PlanSplit.periods(of: try Period(label: "2026-11"), grain: .quarter) }
    }

    /// A fiscal year from February splits into its own quarters (off the calendar), those into calendar months, and a
    /// fiscal year from April into quarters that happen to be the calendar's.
    @Test func aFiscalYearSplitsIntoItsOwnQuarters() throws {
        let february = try Period(label: "2026-02-01/P1Y")
        #expect(try PlanSplit.periods(of: february, grain: nil).map(\.label)
                == ["2026-02-01/P3M", "2026-05-01/P3M", "2026-08-01/P3M", "2026-11-01/P3M"])
        #expect(try PlanSplit.periods(of: try Period(label: "2026-11-01/P3M"), grain: nil).map(\.label) == ["2026-11", "2026-12", "2027-01"])
        #expect(try PlanSplit.periods(of: try Period(label: "2026-04-01/P1Y"), grain: nil).map(\.label) == ["2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"])
        #expect(try PlanSplit.periods(of: february, grain: .month).count == 12)
    }
}
