import Foundation

/// One example's features, sparse: the columns that are not zero and their values. One-hot categories make most of a
/// row zero, and the fit's cost grows with the non-zeros, not the columns.
public struct SparseRow: Hashable, Sendable {
    public var columns: [Int]
    public var values: [Double]

    public init(_ pairs: [(Int, Double)]) {
        let kept = pairs.filter { $0.1 != 0 }.sorted { $0.0 < $1.0 }
        columns = kept.map(\.0); values = kept.map(\.1)
    }

    /// A row of ones in `columns`, given in ascending order (one-hot values).
    init(ones columns: [Int]) {
        self.columns = columns
        values = Array(repeating: 1, count: columns.count)
    }
}

/// A fitted logistic regression: P(y = 1 | x) = 1 / (1 + e^−(b + w·x)).
public struct LogisticModel: Hashable, Sendable, Codable {
    public var intercept: Double
    public var weights: [Double]

    public init(intercept: Double, weights: [Double]) { self.intercept = intercept; self.weights = weights }

    /// The linear part b + w·x (the log-odds).
    public func logOdds(_ row: SparseRow) -> Double {
        var z = intercept
        for (column, value) in zip(row.columns, row.values) where column < weights.count { z += weights[column] * value }
        return z
    }

    public func probability(_ row: SparseRow) -> Double { LogisticRegression.sigmoid(logOdds(row)) }
}

/// Logistic regression with L2 regularisation (issue 10's scoring), fitted by Newton's method: minimise
/// −Σ log-likelihood + λ/2 · ‖w‖² (the intercept is not penalised). Each step solves the Hessian system by Cholesky;
/// the Hessian is accumulated from the rows' non-zeros only, so a million one-hot rows with ten non-zeros each take a
/// few hundred million operations a step. Written by hand: no package on the list fits models (docs/scoring.md).
public enum LogisticRegression {
    public static func sigmoid(_ z: Double) -> Double {
        z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
    }

    /// Fits `rows` (each with `columns` features) to `labels`. Stops when the largest step is under `tolerance` or
    /// after `maxIterations` steps.
    public static func fit(_ rows: [SparseRow], labels: [Bool], columns: Int, lambda: Double = 1, maxIterations: Int = 30,
                           tolerance: Double = 1e-7) -> LogisticModel {
        precondition(rows.count == labels.count, "one label per row")
        // Identical rows are fitted once, weighted by how many there are and how many of them are positive: one-hot
        // categories repeat a lot (leads with the same source, response and contact), and the fit's cost is per
        // distinct row. The sums are the same as row by row.
        var index: [SparseRow: Int] = [:]
        var distinct: [SparseRow] = [], counts: [Double] = [], positives: [Double] = []
        for (row, label) in zip(rows, labels) {
            let at = index[row] ?? {
                index[row] = distinct.count
                distinct.append(row); counts.append(0); positives.append(0)
                return distinct.count - 1
            }()
            counts[at] += 1
            if label { positives[at] += 1 }
        }
        let size = columns + 1  // the intercept is the last unknown
        var beta = [Double](repeating: 0, count: size)
        // Start the intercept at the base rate's log-odds: the fit then starts where an empty model is.
        let n = Double(max(1, rows.count))
        let rate = min(max(positives.reduce(0, +) / n, 1e-6), 1 - 1e-6)
        beta[columns] = log(rate / (1 - rate))
        // The distinct rows flattened (compressed sparse rows): the loops below run over plain buffers, which keeps a
        // debug build's fit (the tests') from being dominated by iterator overhead.
        var starts = [0], flatColumns: [Int] = [], flatValues: [Double] = []
        for row in distinct {
            flatColumns += row.columns; flatValues += row.values
            starts.append(flatColumns.count)
        }
        for _ in 0..<maxIterations {
            var gradient = [Double](repeating: 0, count: size)
            var hessian = [Double](repeating: 0, count: size * size)
            gradient.withUnsafeMutableBufferPointer { g in
                hessian.withUnsafeMutableBufferPointer { h in
                    flatColumns.withUnsafeBufferPointer { c in
                        flatValues.withUnsafeBufferPointer { v in
                            for at in 0..<distinct.count {
                                let start = starts[at], end = starts[at + 1]
                                var z = beta[columns]
                                for k in start..<end { z += beta[c[k]] * v[k] }
                                let p = sigmoid(z)
                                let residual = counts[at] * p - positives[at]
                                let weight = counts[at] * max(p * (1 - p), 1e-12)
                                for i in start..<end {
                                    let a = c[i], va = v[i]
                                    g[a] += residual * va
                                    let wa = weight * va, rowStart = a * size
                                    for j in i..<end { h[rowStart + c[j]] += wa * v[j] }
                                    h[rowStart + columns] += wa
                                }
                                g[columns] += residual
                                h[columns * size + columns] += weight
                            }
                        }
                    }
                }
            }
            for column in 0..<columns {
                gradient[column] += lambda * beta[column]
                hessian[column * size + column] += lambda
            }
            // Only the upper triangle was summed; mirror it.
            for a in 0..<size { for b in (a + 1)..<max(a + 1, size) { hessian[b * size + a] = hessian[a * size + b] } }
            guard let step = choleskySolve(hessian, gradient, size: size) else { break }
            var largest = 0.0
            for index in 0..<size {
                beta[index] -= step[index]
                largest = max(largest, abs(step[index]))
            }
            if largest < tolerance { break }
        }
        return LogisticModel(intercept: beta[columns], weights: Array(beta[..<columns]))
    }

    /// Solves A x = b for a symmetric positive-definite A (row-major, `size` × `size`); nil if A is not.
    static func choleskySolve(_ a: [Double], _ b: [Double], size: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: size * size)
        for i in 0..<size {
            for j in 0...i {
                var sum = a[i * size + j]
                for k in 0..<j { sum -= l[i * size + k] * l[j * size + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    l[i * size + i] = sum.squareRoot()
                } else {
                    l[i * size + j] = sum / l[j * size + j]
                }
            }
        }
        var y = [Double](repeating: 0, count: size)
        for i in 0..<size {
            var sum = b[i]
            for k in 0..<i { sum -= l[i * size + k] * y[k] }
            y[i] = sum / l[i * size + i]
        }
        var x = [Double](repeating: 0, count: size)
        for i in stride(from: size - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in (i + 1)..<max(i + 1, size) { sum -= l[k * size + i] * x[k] }
            x[i] = sum / l[i * size + i]
        }
        return x
    }
}
