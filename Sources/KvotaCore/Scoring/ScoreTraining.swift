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
        let encoded = EncodedExamples(examples)
        let (training, testing) = split(examples, examples.indices, latest: Set(records.suffix(heldOutCount).map(\.key)))
        // The penalty is chosen as the held-out part is tested: the training records' latest 20 % validate fits on the
        // rest. The test records take no part in the choice.
        let trainingRecords = records.dropLast(heldOutCount)
        let (inner, validation) = split(examples, training, latest: Set(trainingRecords.suffix(max(1, trainingRecords.count / 5)).map(\.key)))
        let losses = lambdas.map { ($0, logLoss(fit(subject, encoded, inner, amountBounds: amountBounds, lambda: $0), encoded, validation)) }
        let lambda = losses.min { $0.1 < $1.1 }?.0 ?? 1

        let trial = fit(subject, encoded, training, amountBounds: amountBounds, lambda: lambda)
        let baseline = FrequencyBaseline(training.map { (examples[$0].fields, examples[$0].won) })
        let scored = testing.map { (probability: trial.probability(encoded.pairs[$0]), won: examples[$0].won) }
        let baselineScored = testing.map { (probability: baseline.probability(examples[$0].fields), won: examples[$0].won) }
        let evaluation = ScoreEvaluationReport(
            trainingRecords: records.count - heldOutCount, heldOutRecords: heldOutCount, trainingExamples: training.count,
            heldOutExamples: testing.count, heldOutFrom: records[records.count - heldOutCount].value,
            auc: ScoreEvaluation.auc(scored), baselineAUC: ScoreEvaluation.auc(baselineScored),
            calibration: ScoreEvaluation.calibration(scored), baselineCalibration: ScoreEvaluation.calibration(baselineScored),
            lambda: lambda)
        return Trained(model: fit(subject, encoded, Array(examples.indices), amountBounds: amountBounds, lambda: lambda).model, evaluation: evaluation)
    }

    /// The positions among `chosen` of examples of records not in `latest`, and of those in it: a record's examples
    /// stay on one side.
    static func split(_ examples: [ScoreExample], _ chosen: some Collection<Int>, latest: Set<Int64>) -> (earlier: [Int], latest: [Int]) {
        (chosen.filter { !latest.contains(examples[$0].record) }, chosen.filter { latest.contains(examples[$0].record) })
    }

    /// The mean negative log-likelihood of the examples at `positions` under `fitted`: how sure and how right it is.
    static func logLoss(_ fitted: Fitted, _ encoded: EncodedExamples, _ positions: [Int]) -> Double {
        guard !positions.isEmpty else { return 0 }
        return -positions.reduce(0) { sum, at in
            let p = min(max(fitted.probability(encoded.pairs[at]), 1e-12), 1 - 1e-12)
            return sum + log(encoded.won[at] ? p : 1 - p)
        } / Double(positions.count)
    }

    /// A model fitted to some of the examples, with each value's column by its number in `EncodedExamples`.
    struct Fitted {
        var model: ScoreModel
        /// The column of each value, -1 for a value seen too rarely to have one.
        var columnOfPair: [Int]

        /// `ScoreModel.probability` of an encoded example.
        func probability(_ pairs: [Int]) -> Double {
            model.model.probability(ScoreTraining.row(pairs, columns: columnOfPair))
        }
    }

    /// An encoded example as the model's row: its values that have a column. The values are in pair order, so their
    /// columns are in column order.
    static func row(_ pairs: [Int], columns columnOfPair: [Int]) -> SparseRow {
        SparseRow(ones: pairs.compactMap { columnOfPair[$0] < 0 ? nil : columnOfPair[$0] })
    }

    /// The model fitted to the examples at `positions`: a column for every value seen `minimumValueCount` times
    /// among them, numbered in field then value order.
    static func fit(_ subject: ScoreSubject, _ encoded: EncodedExamples, _ positions: [Int], amountBounds: [Int64], lambda: Double) -> Fitted {
        var counts = [Int](repeating: 0, count: encoded.values.count)
        for at in positions { for pair in encoded.pairs[at] { counts[pair] += 1 } }
        var vocabulary: [String: [String: Int]] = [:]
        var columnOfPair = [Int](repeating: -1, count: encoded.values.count)
        var next = 0
        for (pair, value) in encoded.values.enumerated() where counts[pair] >= minimumValueCount {
            vocabulary[value.field, default: [:]][value.value] = next
            columnOfPair[pair] = next
            next += 1
        }
        var model = ScoreModel(subject: subject, vocabulary: vocabulary, model: LogisticModel(intercept: 0, weights: []), averages: [:],
                               amountBounds: amountBounds)
        let rows = positions.map { row(encoded.pairs[$0], columns: columnOfPair) }
        model.model = LogisticRegression.fit(rows, labels: positions.map { encoded.won[$0] }, columns: next, lambda: lambda)
        // Each field's average weight over the examples that have it at all (a value without a column weighs nothing).
        var sums = [Double](repeating: 0, count: encoded.fields.count), seen = [Bool](repeating: false, count: encoded.fields.count)
        for at in positions {
            for pair in encoded.pairs[at] {
                let field = encoded.fieldOfPair[pair]
                seen[field] = true
                if columnOfPair[pair] >= 0 { sums[field] += model.model.weights[columnOfPair[pair]] }
            }
        }
        let count = Double(max(1, positions.count))
        model.averages = Dictionary(uniqueKeysWithValues: encoded.fields.indices.filter { seen[$0] }.map { (encoded.fields[$0], sums[$0] / count) })
        return Fitted(model: model, columnOfPair: columnOfPair)
    }
}

/// The examples' field values as numbers, found once for every fit of a training: the nine fits (seven penalties, the
/// trial, the final one) count, select and look up numbers. Hashing every example's strings again in each was two
/// fifths of a training at scale L (559 000 deal examples).
struct EncodedExamples {
    /// Every (field, value) an example has, once, in field then value order.
    let values: [(field: String, value: String)]
    /// The fields, in order, and each value's field among them.
    let fields: [String]
    let fieldOfPair: [Int]
    /// Each example's values as positions in `values`, ascending.
    let pairs: [[Int]]
    let won: [Bool]

    init(_ examples: [ScoreExample]) {
        var seen: [String: [String: Int]] = [:]
        var found: [(field: String, value: String)] = []
        var raw: [[Int]] = []
        raw.reserveCapacity(examples.count)
        for example in examples {
            raw.append(example.fields.map { field, value in
                if let known = seen[field]?[value] { return known }
                seen[field, default: [:]][value] = found.count
                found.append((field, value))
                return found.count - 1
            })
        }
        let order = found.indices.sorted { (found[$0].field, found[$0].value) < (found[$1].field, found[$1].value) }
        var renumbered = [Int](repeating: 0, count: found.count)
        for (position, old) in order.enumerated() { renumbered[old] = position }
        values = order.map { found[$0] }
        fields = Array(Set(values.map(\.field))).sorted()
        let fieldNumber = Dictionary(uniqueKeysWithValues: fields.enumerated().map { ($1, $0) })
        fieldOfPair = values.map { fieldNumber[$0.field]! }
        pairs = raw.map { $0.map { renumbered[$0] }.sorted() }
        won = examples.map(\.won)
    }
}
