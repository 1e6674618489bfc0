import Foundation
import Testing
@testable import KvotaCore

/// The weighted pipeline on a hand fixture (METRICS.md "Forecast"): a stage's own win rate once 30 closed deals passed
/// it, else its configured probability; amounts weighted and summed by expected close month.
struct WeightedPipelineTests {
    @Test func aStagesHistoryCountsFromThirtyClosedDeals() {
        #expect(WeightedPipeline.probability(configuredPercent: 40, history: .init(closed: 29, won: 29)) == .init(value: 0.4, source: .configured))
        #expect(WeightedPipeline.probability(configuredPercent: 40, history: .init(closed: 30, won: 12)) == .init(value: 0.4, source: .history))
        #expect(WeightedPipeline.probability(configuredPercent: 40, history: .init(closed: 50, won: 35)) == .init(value: 0.7, source: .history))
        #expect(WeightedPipeline.probability(configuredPercent: 10, history: nil) == .init(value: 0.1, source: .configured))
    }

    @Test func openDealsAreWeightedByMonth() throws {
        let early: Stage.ID = 1, late: Stage.ID = 2, unknown: Stage.ID = 3
        let probabilities: [Stage.ID: WeightedPipeline.Probability] = [early: .init(value: 0.2, source: .configured),
                                                                         late: .init(value: 0.7, source: .history)]
        func day(_ text: String) throws -> LocalDate { try LocalDate(iso: text) }
        let deals = [
            WeightedPipeline.OpenDeal(amountMinor: 100_000, stage: early, expectedClose: try day("2026-12-20")),
            WeightedPipeline.OpenDeal(amountMinor: 50_001, stage: late, expectedClose: try day("2026-12-01")),
            WeightedPipeline.OpenDeal(amountMinor: 80_000, stage: late, expectedClose: try day("2027-01-15")),
            WeightedPipeline.OpenDeal(amountMinor: 10_000, stage: unknown, expectedClose: try day("2027-01-31")),
            WeightedPipeline.OpenDeal(amountMinor: 30_000, stage: early, expectedClose: nil),
        ]
        let months = WeightedPipeline.byMonth(deals, probabilities: probabilities)
        #expect(months.map { $0.month?.label } == ["2026-12", "2027-01", nil])
        // December: 100 000 × 0.2 + 50 001 × 0.7 (35 000.7, rounded to 35 001) = 55 001.
        #expect(months.map(\.weightedMinor) == [55_001, 56_000, 6_000])
        #expect(months.map(\.openMinor) == [150_001, 90_000, 30_000] && months.map(\.deals) == [2, 2, 1])
    }
}
