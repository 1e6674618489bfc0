import Foundation
import KvotaCore

/// What a training did for one subject, for `kvota train` and the log.
public struct ScoreTrainingSummary: Sendable {
    public var subject: ScoreSubject
    public var scorer: StoredScorer
    public var examples: Int
    public var seconds: Double
}

/// Training and rescoring (docs/scoring.md): `kvota train` and the server's schedule run the same two steps.
extension Database {
    /// Trains the lead and the deal score from the closed records and keeps them: a model once there are
    /// `ScoreTraining.minimumClosed` closed records with both outcomes, else the rules.
    public func trainScores(at now: Date) async throws -> [ScoreTrainingSummary] {
        var summaries: [ScoreTrainingSummary] = []
        for subject in ScoreSubject.allCases {
            let started = ContinuousClock.now
            let examples: [ScoreExample]
            let records: Int
            var bounds: [Int64] = []
            switch subject {
            case .lead:
                let closed = try await closedLeadExamples()
                examples = closed.map { ScoreExample(record: $0.record, fields: $0.facts.fields, won: $0.won, closedAt: $0.closedAt) }
                records = closed.count
            case .deal:
                let closed = try await closedDealExamples()
                var amounts: [Int64: Int64] = [:]
                for example in closed.examples { amounts[example.record] = example.facts.amountMinor }
                bounds = ScoreBands.quartiles(Array(amounts.values))
                examples = closed.examples.map {
                    ScoreExample(record: $0.record, fields: $0.facts.fields(amountBounds: bounds), won: $0.won, closedAt: $0.closedAt)
                }
                records = closed.records
            }
            let trained = ScoreTraining.train(subject, examples, amountBounds: bounds)
            let scorer = StoredScorer(subject: subject, trainedAt: now, closedRecords: records, model: trained?.model,
                                      evaluation: trained?.evaluation)
            try await saveScorer(scorer)
            summaries.append(ScoreTrainingSummary(subject: subject, scorer: scorer, examples: examples.count,
                                                  seconds: started.duration(to: .now).seconds))
        }
        return summaries
    }

    /// Trains both scores and rescores every open record with them: what "train now" does (the API, the admin page).
    public func retrainScores(at now: Date) async throws {
        _ = try await trainScores(at: now)
        try await rescore(at: now)
    }

    /// Scores every open lead and deal with the score in use (the rules before any training) and clears the scores
    /// of records closed since; answers how many records it scored.
    @discardableResult
    public func rescore(at now: Date) async throws -> Int {
        let names = try await scoreNames()
        func named(_ score: Score) -> Score {
            var score = score
            for index in score.reasons.indices {
                score.reasons[index].name = names[score.reasons[index].field]?[score.reasons[index].value]
            }
            return score
        }
        let leads = try await storedScorer(.lead)?.scorer ?? .rules
        let leadScores = try await openLeadFacts(at: now).map { ($0.id, named(leads.score($0.facts))) }
        try await saveScores(.lead, leadScores)
        let deals = try await storedScorer(.deal)?.scorer ?? .rules
        let dealScores = try await openDealFacts(at: now).map { ($0.id, named(deals.score($0.facts))) }
        try await saveScores(.deal, dealScores)
        try await clearClosedScores()
        return leadScores.count + dealScores.count
    }
}
