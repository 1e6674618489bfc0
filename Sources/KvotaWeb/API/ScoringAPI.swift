import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// A lead's or deal's score as the API writes it (beside the record's fields, as `score`).
struct ScoreDTO: Codable, Equatable {
    struct Reason: Codable, Equatable {
        let field: String
        let value: String
        let name: String?
        let effect: Double
    }

    let value: Int
    let method: String
    let reasons: [Reason]

    init(_ score: Score) {
        value = score.value; method = score.method.rawValue
        reasons = score.reasons.map { Reason(field: $0.field, value: $0.value, name: $0.name, effect: $0.effect) }
    }
}

/// `/api/v1/scoring`: the lead and deal scores in use, how each was reached and how it did on held-out records
/// beside the frequency baseline; `POST /api/v1/scoring/train` trains both again and rescores every open record.
/// Admins only, as the company's settings are.
struct ScoringAPI {
    let database: Database
    let config: AppConfig

    struct ScorerDTO: Codable, Equatable {
        struct Band: Codable, Equatable {
            let lower: Double
            let upper: Double
            let count: Int
            let meanPredicted: Double?
            let observed: Double?
        }

        struct Evaluation: Codable, Equatable {
            let trainingRecords: Int
            let heldOutRecords: Int
            let trainingExamples: Int
            let heldOutExamples: Int
            let heldOutFrom: Date
            let auc: Double?
            let baselineAuc: Double?
            let calibration: [Band]
            let baselineCalibration: [Band]
            let lambda: Double
        }

        let subject: String
        let method: String
        let trainedAt: Date?
        let closedRecords: Int
        let minimumClosed: Int
        let features: Int?
        let evaluation: Evaluation?

        init(_ subject: ScoreSubject, _ stored: StoredScorer?) {
            self.subject = subject.rawValue
            method = (stored?.method ?? .rules).rawValue; trainedAt = stored?.trainedAt; closedRecords = stored?.closedRecords ?? 0
            minimumClosed = ScoreTraining.minimumClosed; features = stored?.model?.columns
            evaluation = stored?.evaluation.map { e in
                func bands(_ bands: [ScoreEvaluation.Band]) -> [Band] {
                    bands.map { Band(lower: $0.lower, upper: $0.upper, count: $0.count, meanPredicted: $0.meanPredicted, observed: $0.observed) }
                }
                return Evaluation(trainingRecords: e.trainingRecords, heldOutRecords: e.heldOutRecords, trainingExamples: e.trainingExamples,
                                  heldOutExamples: e.heldOutExamples, heldOutFrom: e.heldOutFrom, auc: e.auc, baselineAuc: e.baselineAUC,
                                  calibration: bands(e.calibration), baselineCalibration: bands(e.baselineCalibration), lambda: e.lambda)
            }
        }
    }

    struct Answer: Codable, Equatable {
        let items: [ScorerDTO]
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/scoring") { _, context -> Response in
            _ = try AccessPolicy.require(context.actor, .read, .settings)
            return try JSONBody.response(try await answer())
        }
        api.post("/scoring/train") { _, context -> Response in
            _ = try AccessPolicy.require(context.actor, .update, .settings)
            try await database.retrainScores(at: config.now())
            return try JSONBody.response(try await answer())
        }
    }

    func answer() async throws -> Answer {
        Answer(items: try await database.storedScorers().map { ScorerDTO($0.subject, $0.scorer) })
    }
}
