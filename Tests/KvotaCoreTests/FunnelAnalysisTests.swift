import Foundation
import Testing
@testable import KvotaCore

/// The funnel of a pipeline on a hand-made cohort (METRICS.md "Funnel (per pipeline)").
struct FunnelAnalysisTests {
    static let start = Date(timeIntervalSince1970: 1_780_000_000)
    static func day(_ n: Double) -> Date { start.addingTimeInterval(n * 86_400) }

    static func deal(_ id: Int64, _ status: String, closed: Double? = nil, amount: Int64 = 0, reason: String? = nil,
                     _ entries: [(Int64, Double)]) -> FunnelAnalysis.Deal {
        FunnelAnalysis.Deal(id: id, createdAt: start, status: status, closedAt: closed.map(day), amountBase: amount, lossReason: reason,
                            entries: entries.map { (stage: $0.0, at: day($0.1)) })
    }

    @Test func stagesReachedConvertedAndLeft() {
        // Open stages 1, 2, 3; won is 4, lost 5. Deal 4 skipped stage 1.
        let cohort = [
            Self.deal(1, "won", closed: 9, [(1, 0), (2, 2), (3, 5), (4, 9)]),
            Self.deal(2, "lost", closed: 6, [(1, 0), (2, 4), (5, 6)]),
            Self.deal(3, "open", [(1, 0)]),
            Self.deal(4, "open", [(2, 1), (3, 3)]),
        ]
        let rows = FunnelAnalysis.stages([1, 2, 3], won: 4, cohort: cohort)
        #expect(rows.map(\.reached) == [3, 3, 2, 1])
        #expect(rows.map(\.conversion) == [1.0, 2.0 / 3, 0.5, nil], "3/3 (deal 4 skipped in), 2/3, 1/2")
        #expect(rows.map(\.dropOff) == [1, 1, 1, 0], "deal 3 stayed in 1, deal 2 never got to 3, deal 4 is not won")
        // Stays that ended: stage 1 2 and 4 days; stage 2 3, 2 and 2; stage 3 4 (deal 4 is still there).
        #expect(rows[0].meanDays == 3 && rows[0].medianDays == 3)
        #expect(abs(rows[1].meanDays! - 7.0 / 3) < 1e-12 && rows[1].medianDays == 2)
        #expect(rows[2].meanDays == 4 && rows[3].meanDays == nil)
    }

    @Test func closedDealsWinRateCycleAndLossReasons() {
        let closed = FunnelAnalysis.closed([
            Self.deal(1, "won", closed: 9, amount: 1_000, []),
            Self.deal(2, "lost", closed: 6, amount: 500, reason: "price", []),
            Self.deal(5, "won", closed: 21, amount: 3_000, []),
            Self.deal(6, "lost", closed: 3, amount: 250, []),
        ])
        #expect(closed.won == 2 && closed.lost == 2 && closed.winRateCount == 0.5)
        #expect(closed.winRateAmount == 4_000.0 / 4_750 && closed.averageWon == 2_000)
        #expect(closed.cycleMeanDays == 15 && closed.cycleMedianDays == 15)
        #expect(closed.lossReasons["price"] == FunnelAnalysis.Losses(count: 1, amount: 500) && closed.lossReasons[""]?.amount == 250)
        #expect(FunnelAnalysis.closed([]).winRateCount == nil)
    }

    @Test func ratesConvertOnTheDayOrSayWhatIsMissing() throws {
        let day = try LocalDate(iso: "2026-03-01")
        let table = RateTable(base: .EUR, rates: [ExchangeRate(currency: try Currency("SEK"), validFrom: try LocalDate(iso: "2026-01-01"), baseMicros: 90_000),
                                                  ExchangeRate(currency: try Currency("SEK"), validFrom: try LocalDate(iso: "2026-04-01"), baseMicros: 95_000)])
        #expect(try table.toBase(10_000, try Currency("SEK"), on: day) == 900)
        #expect(try table.toBase(10_000, .EUR, on: day) == 10_000)
        #expect(throws: ValidationFailure.self) { try table.toBase(1, try Currency("USD"), on: day) }
        #expect(throws: ValidationFailure.self) { try table.toBase(1, try Currency("SEK"), on: try LocalDate(iso: "2025-12-31")) }
    }

    @Test func medianBySelectionIsTheSortedMiddle() {
        #expect(FunnelAnalysis.median([]) == nil && FunnelAnalysis.median([4]) == 4)
        #expect(FunnelAnalysis.median([3, 1, 2]) == 2 && FunnelAnalysis.median([4, 1, 3, 2]) == 2.5)
        #expect(FunnelAnalysis.median([5, 5, 1, 5]) == 5 && FunnelAnalysis.median([-2, 7]) == 2.5)
        // Against sorting, on lists with many repeats and none, odd and even.
        var generator = SystemRandomNumberGenerator()
        for count in [2, 3, 10, 11, 1_000, 1_001] {
            for spread in [3, 1_000_000] {
                let values = (0..<count).map { _ in Double(Int.random(in: 0..<spread, using: &generator)) / 4 }
                let sorted = values.sorted(), middle = count / 2
                let expected = count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
                #expect(FunnelAnalysis.median(values) == expected, "\(count) values up to \(spread)")
            }
        }
    }

    @Test func aCohortPutsEachDealsEntriesTogetherInTimeOrder() {
        // Entries of three deals interleaved and out of order; deal 1 entered two stages at the same moment (ids 9 and 8
        // order them); deal 2 has none.
        let cohort = FunnelCohort(closedAt: [500, nil, 900], entryDeals: [2, 0, 2, 0, 0, 2], stages: [30, 11, 31, 12, 13, 32],
                                  enteredAt: [400, 100, 300, 50, 100, 350], order: [1, 9, 2, 3, 8, 4])
        #expect(cohort.count == 3 && cohort.starts == [0, 3, 3, 6])
        #expect(cohort.stages == [12, 13, 11, 31, 32, 30] && cohort.enteredAt == [50, 100, 100, 300, 350, 400])
        #expect(cohort.closedAt == [500, nil, 900])
        // Deals given one by one keep their entries' time order, in milliseconds.
        let deals = [Self.deal(1, "won", closed: 9, [(1, 0), (2, 2), (3, 5), (4, 9)]), Self.deal(2, "open", [(2, 1), (1, 0)])]
        #expect(FunnelCohort(deals).stages == [1, 2, 3, 4, 1, 2] && FunnelCohort(deals).closedAt[1] == nil)
        #expect(FunnelCohort(deals).enteredAt[1] - FunnelCohort(deals).enteredAt[0] == 2 * 86_400_000)
    }
}
