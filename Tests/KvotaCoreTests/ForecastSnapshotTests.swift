import Foundation
import Testing
@testable import KvotaCore

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
