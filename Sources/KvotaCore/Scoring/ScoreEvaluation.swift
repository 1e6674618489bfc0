import Foundation

/// How good a score is on held-out examples (issue 10): the AUC (the chance that a won example scores above a lost
/// one, ties counting half) and a calibration table (within each band of predicted probability, how many were won).
public enum ScoreEvaluation {
    /// Mann–Whitney AUC; nil without both a won and a lost example.
    public static func auc(_ scored: [(probability: Double, won: Bool)]) -> Double? {
        let positives = scored.filter(\.won).count, negatives = scored.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        // Rank all scores (average ranks for ties), then sum the won examples' ranks.
        let sorted = scored.enumerated().sorted { $0.element.probability < $1.element.probability }
        var rankSum = 0.0
        var index = 0
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count && sorted[end + 1].element.probability == sorted[index].element.probability { end += 1 }
            let rank = Double(index + end) / 2 + 1
            for position in index...end where sorted[position].element.won { rankSum += rank }
            index = end + 1
        }
        let p = Double(positives)
        return (rankSum - p * (p + 1) / 2) / (p * Double(negatives))
    }

    public struct Band: Hashable, Sendable, Codable {
        /// The band's predicted probabilities: [lower, upper), the last band including 1.
        public var lower: Double
        public var upper: Double
        public var count: Int
        public var meanPredicted: Double?
        /// The share won among the band's examples.
        public var observed: Double?
    }

    /// `bands` equal-width bands of predicted probability.
    public static func calibration(_ scored: [(probability: Double, won: Bool)], bands: Int = 10) -> [Band] {
        (0..<bands).map { band in
            let lower = Double(band) / Double(bands), upper = Double(band + 1) / Double(bands)
            let members = scored.filter { $0.probability >= lower && ($0.probability < upper || band == bands - 1 && $0.probability <= 1) }
            let count = Double(members.count)
            return Band(lower: lower, upper: upper, count: members.count,
                        meanPredicted: members.isEmpty ? nil : members.reduce(0) { $0 + $1.probability } / count,
                        observed: members.isEmpty ? nil : Double(members.filter(\.won).count) / count)
        }
    }
}
