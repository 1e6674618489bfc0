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
    /// The L2 penalty chosen on the training records (`ScoreTraining.lambdas`).
    public var lambda: Double
}

/// Trains a score from closed examples (docs/scoring.md): logistic regression with L2 over one-hot fields, evaluated
/// on the latest 20 % of the records by closing time against the frequency baseline, then trained again on every
/// example for use.
public enum ScoreTraining {
    /// Below this many closed records the rules score (a learned one would learn noise).
    public static let minimumClosed = 200
    /// A value seen fewer times gets no column: too few to weigh.
    public static let minimumValueCount = 5
    /// The penalties tried; the one with the least log-loss on the latest 20 % of the training records is used.
    public static let lambdas: [Double] = [0.1, 0.3, 1, 3, 10, 30, 100]
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
        let records = closedAt.sorted { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key }
        let heldOutCount = max(1, Int((Double(records.count) * heldOutShare).rounded()))
        let (training, testing) = split(examples, latest: Set(records.suffix(heldOutCount).map(\.key)))
        // The penalty is chosen as the held-out part is tested: the training records' latest 20 % validate fits on the
        // rest. The test records take no part in the choice.
        let trainingRecords = records.dropLast(heldOutCount)
        let (inner, validation) = split(training, latest: Set(trainingRecords.suffix(max(1, trainingRecords.count / 5)).map(\.key)))
        let losses = lambdas.map { ($0, logLoss(fit(subject, inner, amountBounds: amountBounds, lambda: $0), validation)) }
        let lambda = losses.min { $0.1 < $1.1 }?.0 ?? 1

        let trial = fit(subject, training, amountBounds: amountBounds, lambda: lambda)
        let baseline = FrequencyBaseline(training.map { ($0.fields, $0.won) })
        let scored = testing.map { (probability: trial.probability($0.fields), won: $0.won) }
        let baselineScored = testing.map { (probability: baseline.probability($0.fields), won: $0.won) }
        let evaluation = ScoreEvaluationReport(
            trainingRecords: records.count - heldOutCount, heldOutRecords: heldOutCount, trainingExamples: training.count,
            heldOutExamples: testing.count, heldOutFrom: records[records.count - heldOutCount].value,
            auc: ScoreEvaluation.auc(scored), baselineAUC: ScoreEvaluation.auc(baselineScored),
            calibration: ScoreEvaluation.calibration(scored), baselineCalibration: ScoreEvaluation.calibration(baselineScored),
            lambda: lambda)
        return Trained(model: fit(subject, examples, amountBounds: amountBounds, lambda: lambda), evaluation: evaluation)
    }

    /// The examples of records not in `latest`, and those of records in it: a record's examples stay on one side.
    static func split(_ examples: [ScoreExample], latest: Set<Int64>) -> (earlier: [ScoreExample], latest: [ScoreExample]) {
        (examples.filter { !latest.contains($0.record) }, examples.filter { latest.contains($0.record) })
    }

    /// The mean negative log-likelihood of `examples` under `model`: how sure and how right it is.
    static func logLoss(_ model: ScoreModel, _ examples: [ScoreExample]) -> Double {
        guard !examples.isEmpty else { return 0 }
        return -examples.reduce(0) { sum, example in
            let p = min(max(model.probability(example.fields), 1e-12), 1 - 1e-12)
            return sum + log(example.won ? p : 1 - p)
        } / Double(examples.count)
    }

    /// The model fitted to `examples`: a column for every value seen `minimumValueCount` times.
    static func fit(_ subject: ScoreSubject, _ examples: [ScoreExample], amountBounds: [Int64], lambda: Double) -> ScoreModel {
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
