import Foundation

/// A lead's or deal's score: 0–100, how it was reached, and the three features that moved it most.
public struct Score: Hashable, Sendable, Codable {
    public enum Method: String, Hashable, Sendable, Codable {
        /// Learned from the company's closed history (logistic regression).
        case model
        /// The documented rules, while there are fewer than `ScoreTraining.minimumClosed` closed examples.
        case rules
    }

    public var value: Int
    public var method: Method
    public var reasons: [ScoreReason]

    public init(value: Int, method: Method, reasons: [ScoreReason]) {
        self.value = value; self.method = method; self.reasons = reasons
    }

    /// A probability as a score: 0–100, rounded.
    public static func value(_ probability: Double) -> Int { Int((probability * 100).rounded()) }
}

/// One feature's pull on a score: `field` (stage, source…) had `value`; `effect` is positive when it raised the score.
/// For a learned score the effect is in log-odds against the feature's average; for the rules, in points.
public struct ScoreReason: Hashable, Sendable, Codable {
    public var field: String
    public var value: String
    /// What the value is called (a stage's, region's or channel's name), when it is an id; bands are named by the UI.
    public var name: String?
    public var effect: Double

    public init(field: String, value: String, name: String? = nil, effect: Double) {
        self.field = field; self.value = value; self.name = name; self.effect = effect
    }

    /// The three reasons with the largest pull, largest first; a pull under `minimum` explains nothing.
    static func top(_ reasons: [ScoreReason], minimum: Double = 0) -> [ScoreReason] {
        Array(reasons.filter { abs($0.effect) > minimum }
            .sorted { abs($0.effect) != abs($1.effect) ? abs($0.effect) > abs($1.effect) : $0.field < $1.field }.prefix(3))
    }
}
