import Foundation
import Testing
@testable import KvotaCore

/// The scoring's arithmetic: logistic regression recovers known coefficients from a synthetic set; the frequency
/// baseline on a hand example; the AUC and calibration on hand fixtures.
struct ScoringTests {
    @Test func logisticRegressionRecoversKnownCoefficients() {
        // 20 000 examples: two numeric features ~ N(0, 1) and a one-hot category (three values, the first the base),
        // labels drawn from the true model.
        var random = DemoRandom(seed: 42)
        func normal() -> Double { (-2 * log(max(random.unit(), 1e-300))).squareRoot() * cos(2 * .pi * random.unit()) }
        let truth = (intercept: -0.5, weights: [1.5, -2.0, 0.0, 0.8, -0.6])
        var rows: [SparseRow] = [], labels: [Bool] = []
        for _ in 0..<20_000 {
            let x1 = normal(), x2 = normal()
            let category = Int(random.unit() * 3)
            var pairs: [(Int, Double)] = [(0, x1), (1, x2)]
            if category > 0 { pairs.append((2 + category, 1)) }
            let row = SparseRow(pairs)
            let p = LogisticModel(intercept: truth.intercept, weights: truth.weights).probability(row)
            rows.append(row)
            labels.append(random.unit() < p)
        }
        let model = LogisticRegression.fit(rows, labels: labels, columns: 5, lambda: 0.01)
        #expect(abs(model.intercept - truth.intercept) < 0.1, "intercept \(model.intercept)")
        for (fitted, true_) in zip(model.weights, truth.weights) { #expect(abs(fitted - true_) < 0.12, "\(model.weights)") }
        // A column no row has stays at zero under the penalty.
        #expect(model.weights[2] == 0)
        // Strong regularisation pulls every weight toward zero.
        let shrunk = LogisticRegression.fit(rows, labels: labels, columns: 5, lambda: 100_000)
        #expect(shrunk.weights.allSatisfy { abs($0) < 0.05 })
    }

    @Test func theFrequencyBaselineCountsWonAndLostPerValue() {
        // Six closed leads: the web form won 2 of 3, cold calls 0 of 2, a referral 1 of 1.
        let examples: [(fields: [String: String], won: Bool)] = [
            (["source": "web"], true), (["source": "web"], true), (["source": "web"], false),
            (["source": "cold"], false), (["source": "cold"], false), (["source": "referral"], true),
        ]
        let baseline = FrequencyBaseline(examples)
        // P(won) = (3+1)/(6+2) = 1/2; P(web | won) = (2+1)/(3+4) = 3/7; P(web | lost) = (1+1)/(3+4) = 2/7 → 3/5.
        #expect(abs(baseline.probability(["source": "web"]) - 0.6) < 1e-12)
        // Cold: P(cold | won) = 1/7, P(cold | lost) = 3/7 → 1/4.
        #expect(abs(baseline.probability(["source": "cold"]) - 0.25) < 1e-12)
        // A value never seen: 1/7 against 1/7, the prior alone.
        #expect(abs(baseline.probability(["source": "fair"]) - 0.5) < 1e-12)
    }

    @Test func aucAndCalibration() {
        let scored: [(probability: Double, won: Bool)] = [(0.9, true), (0.8, true), (0.7, false), (0.4, true), (0.3, false), (0.3, false),
                                                          (0.3, true)]
        // Won × lost pairs: 12; won above lost: 0.9 and 0.8 beat all three (6), 0.4 beats two (2), 0.3 ties two (1): 9/12.
        #expect(ScoreEvaluation.auc(scored) == 0.75)
        #expect(ScoreEvaluation.auc([(0.5, true)]) == nil)
        let bands = ScoreEvaluation.calibration(scored, bands: 2)
        #expect(bands.map(\.count) == [4, 3])
        #expect(bands[0].observed == 0.5 && bands[1].observed == 2.0 / 3)
    }
}
