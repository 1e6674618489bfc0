import Foundation
import Testing
@testable import KvotaCore

/// Training a score from closed examples: the split by time, the evaluation beside the baseline, the vocabulary, the
/// reasons; and no model below 200 closed records.
struct ScoreTrainingTests {
    /// `count` closed leads, one a day: referrals win 80 %, cold outreach 20 %; a quick response adds to the odds.
    static func examples(_ count: Int, seed: UInt64 = 7) -> [ScoreExample] {
        var random = DemoRandom(seed: seed)
        return (0..<count).map { index in
            let source = ["referral", "cold_outreach", "web_form"][index % 3]
            let quick = random.unit() < 0.5
            var p = source == "referral" ? 0.8 : source == "cold_outreach" ? 0.2 : 0.5
            p = min(0.95, p + (quick ? 0.1 : -0.1))
            let fields = ["source": source, "response": quick ? "hour" : "later", "rare": index == 3 ? "once" : "common"]
            return ScoreExample(record: Int64(index), fields: fields, won: random.unit() < p,
                                closedAt: Date(timeIntervalSince1970: Double(index) * 86_400))
        }
    }

    @Test func trainsOnTheEarlier80PercentAndTestsOnTheLatest20() throws {
        let examples = Self.examples(1_000)
        let trained = try #require(ScoreTraining.train(.lead, examples))
        let evaluation = trained.evaluation
        #expect(evaluation.trainingRecords == 800 && evaluation.heldOutRecords == 200)
        #expect(evaluation.heldOutFrom == Date(timeIntervalSince1970: 800 * 86_400))
        let auc = try #require(evaluation.auc), baseline = try #require(evaluation.baselineAUC)
        // The true model's AUC on this design is about 0.74; both scores find the same signal here.
        #expect(auc > 0.68 && baseline > 0.68, "\(auc) \(baseline)")
        #expect(evaluation.calibration.map(\.count).reduce(0, +) == 200)
        // The learned weights point the right way, and a value seen once has no column.
        let model = trained.model
        #expect(model.weight("source", "referral") > model.weight("source", "web_form"))
        #expect(model.weight("source", "web_form") > model.weight("source", "cold_outreach"))
        #expect(model.vocabulary["rare"]?["once"] == nil && model.vocabulary["rare"]?["common"] != nil)
    }

    @Test func columnsGoByFieldThenValueAndAveragesOverEveryExample() throws {
        let examples = Self.examples(1_000)
        let model = try #require(ScoreTraining.train(.lead, examples)).model
        #expect(model.vocabulary == ["rare": ["common": 0], "response": ["hour": 1, "later": 2],
                                     "source": ["cold_outreach": 3, "referral": 4, "web_form": 5]])
        #expect(model.model.weights.count == 6)
        // The value seen once weighs nothing but counts as an example of its field.
        for field in ["rare", "response", "source"] {
            let mean = examples.reduce(0.0) { $0 + model.weight(field, $1.fields[field]!) } / Double(examples.count)
            #expect(abs(model.averages[field]! - mean) < 1e-12, "\(field)")
        }
        #expect(Set(model.averages.keys) == ["rare", "response", "source"])
    }

    @Test func aScoreNamesTheFieldsThatMovedItMost() throws {
        let trained = try #require(ScoreTraining.train(.lead, Self.examples(1_000)))
        let referral = trained.model.score(["source": "referral", "response": "hour", "rare": "common"])
        let cold = trained.model.score(["source": "cold_outreach", "response": "later", "rare": "common"])
        #expect(referral.method == .model && referral.value > 70 && cold.value < 30, "\(referral.value) \(cold.value)")
        #expect(referral.reasons.first?.field == "source" && referral.reasons.first!.effect > 0)
        #expect(cold.reasons.first?.field == "source" && cold.reasons.first!.effect < 0)
        // A field every example shares explains nothing.
        #expect(!referral.reasons.contains { $0.field == "rare" })
        #expect(referral.reasons.count <= 3)
    }

    @Test func noModelBelow200ClosedRecordsOrWithOneOutcome() {
        #expect(ScoreTraining.train(.lead, Self.examples(199)) == nil)
        let allWon = Self.examples(300).map { var example = $0; example.won = true; return example }
        #expect(ScoreTraining.train(.lead, allWon) == nil)
        // Several examples of one record count as one record.
        let repeated = Self.examples(150).flatMap { example in
            [example, ScoreExample(record: example.record, fields: example.fields, won: example.won, closedAt: example.closedAt)]
        }
        #expect(ScoreTraining.train(.lead, repeated) == nil)
    }

    @Test func aRecordsExamplesStayOnOneSideOfTheSplit() throws {
        // Two examples per deal (two stages passed); the held-out records are the latest 20 % by closing time.
        let examples = Self.examples(500).flatMap { example in
            [example, ScoreExample(record: example.record, fields: example.fields.merging(["stage": "1"]) { $1 }, won: example.won,
                                   closedAt: example.closedAt)]
        }
        let evaluation = try #require(ScoreTraining.train(.deal, examples)).evaluation
        #expect(evaluation.heldOutRecords == 100 && evaluation.heldOutExamples == 200 && evaluation.trainingExamples == 800)
    }

    @Test func thePenaltyIsChosenOnTheTrainingRecordsAlone() throws {
        // Noise: 30 values of a field that says nothing about the outcome. The chosen penalty is the strongest on offer
        // or near it, and the noise's weights stay small.
        var random = DemoRandom(seed: 3)
        let noise = (0..<300).map { index in
            ScoreExample(record: Int64(index), fields: ["noise": String(Int(random.unit() * 30))], won: random.unit() < 0.5,
                         closedAt: Date(timeIntervalSince1970: Double(index) * 86_400))
        }
        let noisy = try #require(ScoreTraining.train(.lead, noise))
        #expect(noisy.evaluation.lambda >= 30, "\(noisy.evaluation.lambda)")
        #expect(noisy.model.model.weights.allSatisfy { abs($0) < 0.3 })
        // Plenty of records with a real signal: a light penalty.
        let clear = try #require(ScoreTraining.train(.lead, Self.examples(3_000)))
        #expect(clear.evaluation.lambda <= 3, "\(clear.evaluation.lambda)")
    }

    @Test func bandsAndAmountQuartiles() {
        #expect(ScoreBands.quartiles([10, 20, 30, 40, 50, 60, 70, 80]) == [30, 50, 70])
        #expect(["q1", "q1", "q2", "q4"] == [5, 30, 31, 1_000].map { ScoreBands.amount($0, bounds: [30, 50, 70]) })
        #expect(ScoreBands.response(nil, waitedSeconds: 3_600) == "waiting")
        #expect(ScoreBands.response(nil, waitedSeconds: 90_000) == "none")
        #expect(ScoreBands.response(600, waitedSeconds: 0) == "hour")
        #expect([0, 7, 8, 30, 31, 91].map(ScoreBands.daysInStage) == ["0-7", "0-7", "8-30", "8-30", "31-90", "91+"])
        let deal = DealScoreFacts(stageID: 4, stageProbability: 40, daysInStage: 12, amountMinor: 55, priorWins: 3)
        #expect(deal.fields(amountBounds: [30, 50, 70]) == [
            "stage": "4", "daysInStage": "8-30", "source": "none", "firstDays": "0", "accountHistory": "3+", "response": "no_lead",
            "channel": "none", "region": "none", "category": "none", "amount": "q3",
        ])
    }
}
