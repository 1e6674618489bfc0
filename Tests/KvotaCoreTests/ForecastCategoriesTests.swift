import Foundation
import Testing
@testable import KvotaCore

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
