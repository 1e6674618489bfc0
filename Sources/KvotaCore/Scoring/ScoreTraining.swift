import Foundation

/// One closed example: a record's features at one moment, whether the record was won (a lead qualified), and when it
/// closed (the held-out part is the latest 20 % by that time).
public struct ScoreExample: Hashable, Sendable {
    public var record: Int64
    public var fields: [String: String]
    public var won: Bool
    public var closedAt: Date

    public init(record: Int64, fields: [String: String], won: Bool, closedAt: Date) {
        self.record = record; self.fields = fields; self.won = won; self.closedAt = closedAt
    }
}

/// How a trained score did on the held-out 20 % of the closed records (the latest by closing time), beside the
/// frequency baseline trained and tested on the same split.
public struct ScoreEvaluationReport: Hashable, Sendable, Codable {
    public var trainingRecords: Int
    public var heldOutRecords: Int
    public var trainingExamples: Int
    public var heldOutExamples: Int
    /// The first held-out record's closing time.
    public var heldOutFrom: Date
    public var auc: Double?
    public var baselineAUC: Double?
    public var calibration: [ScoreEvaluation.Band]
    public var baselineCalibration: [ScoreEvaluation.Band]
}

/// Trains a score from closed examples (docs/scoring.md): logistic regression with L2 over one-hot fields, evaluated
/// on the latest 20 % of the records by closing time against the frequency baseline, then trained again on every
/// example for use.
public enum ScoreTraining {
    /// Below this many closed records the rules score (a learned one would learn noise).
    public static let minimumClosed = 200
    /// A value seen fewer times gets no column: too few to weigh.
    public static let minimumValueCount = 5
    public static let lambda = 1.0
    public static let heldOutShare = 0.2

    public struct Trained: Sendable {
        public var model: ScoreModel
        public var evaluation: ScoreEvaluationReport
    }

    /// Nil with fewer than `minimumClosed` records or without both a won and a lost one.
    public static func train(_ subject: ScoreSubject, _ examples: [ScoreExample], amountBounds: [Int64] = []) -> Trained? {
        var closedAt: [Int64: Date] = [:]
        var outcomes: Set<Bool> = []
        for example in examples {
            closedAt[example.record] = max(closedAt[example.record] ?? example.closedAt, example.closedAt)
            outcomes.insert(example.won)
        }
        guard closedAt.count >= minimumClosed, outcomes.count == 2 else { return nil }
        // Split by record, so no record has examples on both sides.
        let records = closedAt.sorted { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key }
        let heldOutCount = max(1, Int((Double(records.count) * heldOutShare).rounded()))
        let heldOut = Set(records.suffix(heldOutCount).map(\.key))
        let training = examples.filter { !heldOut.contains($0.record) }, testing = examples.filter { heldOut.contains($0.record) }

        let trial = fit(subject, training, amountBounds: amountBounds)
        let baseline = FrequencyBaseline(training.map { ($0.fields, $0.won) })
        let scored = testing.map { (probability: trial.probability($0.fields), won: $0.won) }
        let baselineScored = testing.map { (probability: baseline.probability($0.fields), won: $0.won) }
        let evaluation = ScoreEvaluationReport(
            trainingRecords: records.count - heldOutCount, heldOutRecords: heldOutCount, trainingExamples: training.count,
            heldOutExamples: testing.count, heldOutFrom: records[records.count - heldOutCount].value,
            auc: ScoreEvaluation.auc(scored), baselineAUC: ScoreEvaluation.auc(baselineScored),
            calibration: ScoreEvaluation.calibration(scored), baselineCalibration: ScoreEvaluation.calibration(baselineScored))
        return Trained(model: fit(subject, examples, amountBounds: amountBounds), evaluation: evaluation)
    }

    /// The model fitted to `examples`: a column for every value seen `minimumValueCount` times.
    static func fit(_ subject: ScoreSubject, _ examples: [ScoreExample], amountBounds: [Int64]) -> ScoreModel {
        var counts: [String: [String: Int]] = [:]
        for example in examples { for (field, value) in example.fields { counts[field, default: [:]][value, default: 0] += 1 } }
        var vocabulary: [String: [String: Int]] = [:]
        var next = 0
        for field in counts.keys.sorted() {
            for value in counts[field]!.keys.sorted() where counts[field]![value]! >= minimumValueCount {
                vocabulary[field, default: [:]][value] = next
                next += 1
            }
        }
        var model = ScoreModel(subject: subject, vocabulary: vocabulary, model: LogisticModel(intercept: 0, weights: []), averages: [:],
                               amountBounds: amountBounds)
        model.model = LogisticRegression.fit(examples.map { model.row($0.fields) }, labels: examples.map(\.won), columns: next,
                                             lambda: lambda)
        var sums: [String: Double] = [:]
        for example in examples { for (field, value) in example.fields { sums[field, default: 0] += model.weight(field, value) } }
        model.averages = sums.mapValues { $0 / Double(max(1, examples.count)) }
        return model
    }
}
