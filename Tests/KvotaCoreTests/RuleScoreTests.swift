import Foundation
import Testing
@testable import KvotaCore

/// The rules that score while there are too few closed records (docs/scoring.md "Rules"), on hand examples.
struct RuleScoreTests {
    @Test func aDealStartsAtItsStagesProbability() {
        // 60 % stage, 40 days in it (−10), no activity in its first days (−5), a regular customer (+10): 55.
        let deal = DealScoreFacts(stageID: 3, stageProbability: 60, daysInStage: 40, amountMinor: 1_000, firstDaysActivities: 0,
                                  priorWins: 5)
        let score = RuleScore.score(deal)
        #expect(score.value == 55 && score.method == .rules)
        #expect(score.reasons.map(\.field) == ["accountHistory", "daysInStage", "stage"])
        #expect(score.reasons.map(\.effect) == [10, -10, 10])
    }

    @Test func aLeadStartsAt30() {
        // A referral (+15) answered within the hour (+20) with phone and email (+10) and a company (+5): 80.
        let good = LeadScoreFacts(source: "referral", hasCompany: true, hasPhone: true, hasEmail: true, responseSeconds: 900,
                                  firstDaysActivities: 1)
        let score = RuleScore.score(good)
        #expect(score.value == 80)
        #expect(score.reasons.map(\.field) == ["response", "source", "contact"])
        // Cold outreach (−10) never answered (−15), no way to reach them (−10), nothing done in 3 days (−5): 30 − 40, kept at 1.
        let poor = LeadScoreFacts(source: "cold_outreach", waitedSeconds: 200_000)
        #expect(RuleScore.score(poor).value == 1)
        #expect(RuleScore.score(poor).reasons.map(\.effect) == [-15, -10, -10])
        // Waiting less than a day: neither the response nor the first days count yet; no way to reach them (−10): 20.
        #expect(RuleScore.score(LeadScoreFacts(source: "other", waitedSeconds: 600)).value == 20)
    }
}
