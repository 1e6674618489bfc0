import Foundation

/// The baseline Kvota's score must beat (issue 10): a naive-Bayes score from frequency counts, of the kind Odoo's
/// predictive lead scoring uses. For each field (stage, source, country…) and value, how many won and how many lost
/// examples had it; an example's score is P(won) · Π P(value | won) against P(lost) · Π P(value | lost), each
/// frequency with add-one (Laplace) smoothing so an unseen value neither wins nor loses outright.
public struct FrequencyBaseline: Sendable {
    /// Per field, per value: (won, lost).
    public private(set) var counts: [String: [String: (won: Int, lost: Int)]] = [:]
    public private(set) var won = 0
    public private(set) var lost = 0

    public init() {}

    /// Learns from closed examples, each a value per field.
    public init(_ examples: [(fields: [String: String], won: Bool)]) {
        for example in examples { add(example.fields, won: example.won) }
    }

    public mutating func add(_ fields: [String: String], won isWon: Bool) {
        if isWon { won += 1 } else { lost += 1 }
        for (field, value) in fields {
            var entry = counts[field, default: [:]][value] ?? (0, 0)
            if isWon { entry.won += 1 } else { entry.lost += 1 }
            counts[field, default: [:]][value] = entry
        }
    }

    /// P(won) for an example's values, from 0 to 1.
    public func probability(_ fields: [String: String]) -> Double {
        guard won + lost > 0 else { return 0.5 }
        // In logs, so a hundred fields do not underflow.
        var logWon = log(Double(won + 1) / Double(won + lost + 2)), logLost = log(Double(lost + 1) / Double(won + lost + 2))
        for (field, value) in fields {
            guard let values = counts[field] else { continue }
            let entry = values[value] ?? (0, 0)
            let distinct = Double(values.count + 1)
            logWon += log((Double(entry.won) + 1) / (Double(won) + distinct))
            logLost += log((Double(entry.lost) + 1) / (Double(lost) + distinct))
        }
        return LogisticRegression.sigmoid(logWon - logLost)
    }
}
