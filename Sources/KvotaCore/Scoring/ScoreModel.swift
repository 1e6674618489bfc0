import Foundation

/// A trained score (issue 10): a logistic regression over one-hot features, with what it needs to read an example the
/// way it was trained (the vocabulary of values, the amount quartiles) and to explain a score (each field's average
/// weight over the training examples).
public struct ScoreModel: Hashable, Sendable, Codable {
    public var subject: ScoreSubject
    /// Per field, per value: the model's column. Values seen fewer than `ScoreTraining.minimumValueCount` times have
    /// none and weigh nothing.
    public var vocabulary: [String: [String: Int]]
    public var model: LogisticModel
    /// Per field: the average weight of its value over the training examples, against which a reason's effect is told.
    public var averages: [String: Double]
    /// The amount quartiles (deals).
    public var amountBounds: [Int64]

    public init(subject: ScoreSubject, vocabulary: [String: [String: Int]], model: LogisticModel, averages: [String: Double],
                amountBounds: [Int64]) {
        self.subject = subject; self.vocabulary = vocabulary; self.model = model; self.averages = averages
        self.amountBounds = amountBounds
    }

    public var columns: Int { vocabulary.values.reduce(0) { $0 + $1.count } }

    func row(_ fields: [String: String]) -> SparseRow {
        SparseRow(fields.compactMap { field, value in vocabulary[field]?[value].map { ($0, 1.0) } })
    }

    func weight(_ field: String, _ value: String) -> Double {
        vocabulary[field]?[value].map { model.weights[$0] } ?? 0
    }

    public func probability(_ fields: [String: String]) -> Double { model.probability(row(fields)) }

    /// The score with its top three reasons: the fields whose value weighs most above or below its average.
    public func score(_ fields: [String: String]) -> Score {
        let reasons = fields.map { field, value in
            ScoreReason(field: field, value: value, effect: weight(field, value) - (averages[field] ?? 0))
        }
        // Under 0.05 in log-odds a value moves the score by about one point: no reason.
        return Score(value: Score.value(probability(fields)), method: .model, reasons: ScoreReason.top(reasons, minimum: 0.05))
    }

    public func score(_ deal: DealScoreFacts) -> Score { score(deal.fields(amountBounds: amountBounds)) }
    public func score(_ lead: LeadScoreFacts) -> Score { score(lead.fields) }
}
