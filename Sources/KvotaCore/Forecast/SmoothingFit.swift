import Foundation

extension ExponentialSmoothing {
    /// The model whose parameters give the smallest sum of squared one-step errors, from the heuristic start: a coarse
    /// grid over [0, 1] for each parameter, then Nelder-Mead from the best point, restarted with smaller simplices,
    /// kept inside the bounds. statsmodels fits the same way in spirit (L-BFGS-B); the tests hold Kvota's fit to be at
    /// least as good as its on fixed series.
    ///
    /// A fit tries a few hundred parameter sets, and a round of forecasts fits seven series per person (the forecast
    /// and six backtest months), so a try runs the recursion over plain buffers, the grid tries four points at once
    /// (one per SIMD lane), and the simplex stops once its points' errors agree to a millionth: building a model per
    /// try, and agreeing to 10⁻¹⁰, took most of a round's time for sums of squares equal to six digits
    /// (docs/performance.md, "Forecasts").
    public static func fitted(_ series: [Double], season: Int?) -> ExponentialSmoothing {
        let start = Start.heuristic(series, season: season)
        let dimensions = season == nil ? 2 : 3
        var scratch = start.seasonal, lanes = [SIMD4<Double>](repeating: .zero, count: season ?? 0)
        let best = series.withUnsafeBufferPointer { y in
            scratch.withUnsafeMutableBufferPointer { seasonal in
                func cost(_ p: SIMD4<Double>) -> Double {
                    guard p.x >= 0, p.x <= 1, p.y >= 0, p.y <= 1, p.z >= 0, p.z <= 1 else { return .infinity }
                    return sumOfSquaredErrors(y, season: season, alpha: p.x, beta: p.y, gamma: p.z, start: start, seasonal: seasonal)
                }
                let steps = [0.05, 0.25, 0.5, 0.75, 0.95]
                var grid: [SIMD4<Double>] = []
                for a in steps {
                    for b in steps {
                        for g in dimensions == 3 ? steps : [0] { grid.append(SIMD4(a, b, g, 0)) }
                    }
                }
                var best = grid[0], bestCost = Double.infinity
                lanes.withUnsafeMutableBufferPointer { lanes in
                    for first in stride(from: 0, to: grid.count, by: 4) {
                        // The last group repeats its last point in the lanes past the grid.
                        var a = SIMD4<Double>(), b = a, g = a
                        for lane in 0..<4 {
                            let point = grid[min(first + lane, grid.count - 1)]
                            (a[lane], b[lane], g[lane]) = (point.x, point.y, point.z)
                        }
                        let costs = sumOfSquaredErrors(y, season: season, alpha: a, beta: b, gamma: g, start: start, seasonal: lanes)
                        for lane in 0..<4 where costs[lane] < bestCost {
                            (best, bestCost) = (grid[min(first + lane, grid.count - 1)], costs[lane])
                        }
                    }
                }
                // Restarting from where the simplex stopped, with a fresh simplex, gets it out of a collapsed one (a
                // common weakness of Nelder-Mead); a few restarts cost next to nothing on a few years of months.
                for step in [0.1, 0.05, 0.02, 0.01] {
                    best = NelderMead.minimise(cost, dimensions: dimensions, from: best, step: step, tolerance: 1e-6)
                }
                return best
            }
        }
        return ExponentialSmoothing(series, season: season, parameters: Parameters(alpha: best.x, beta: best.y, gamma: season == nil ? 0 : best.z),
                                    start: start)
    }

    /// `sse` of the model with these parameters, without building it: the same recursion as `init`, operation for
    /// operation, so the two agree to the last bit. `seasonal` is scratch space of the season's length.
    static func sumOfSquaredErrors(_ y: UnsafeBufferPointer<Double>, season: Int?, alpha a: Double, beta b: Double, gamma g: Double,
                                   start: Start, seasonal: UnsafeMutableBufferPointer<Double>) -> Double {
        var level = start.level, trend = start.trend, sum = 0.0
        if let m = season {
            for i in 0..<m { seasonal[i] = start.seasonal[i] }
            var slot = 0
            for t in 0..<y.count {
                let s = seasonal[slot], (previousLevel, previousTrend) = (level, trend)
                let error = y[t] - (previousLevel + previousTrend + s)
                sum += error * error
                level = a * (y[t] - s) + (1 - a) * (previousLevel + previousTrend)
                trend = b * (level - previousLevel) + (1 - b) * previousTrend
                seasonal[slot] = g * (y[t] - previousLevel - previousTrend) + (1 - g) * s
                slot = slot + 1 == m ? 0 : slot + 1
            }
        } else {
            for t in 0..<y.count {
                let (previousLevel, previousTrend) = (level, trend)
                let error = y[t] - (previousLevel + previousTrend + 0)
                sum += error * error
                level = a * (y[t] - 0) + (1 - a) * (previousLevel + previousTrend)
                trend = b * (level - previousLevel) + (1 - b) * previousTrend
            }
        }
        return sum
    }

    /// The same for four parameter sets at once, one per lane; each lane's sum equals the one-set sum's to the bit
    /// (the same operations in the same order). `seasonal` is scratch space of the season's length.
    static func sumOfSquaredErrors(_ y: UnsafeBufferPointer<Double>, season: Int?, alpha a: SIMD4<Double>, beta b: SIMD4<Double>,
                                   gamma g: SIMD4<Double>, start: Start, seasonal: UnsafeMutableBufferPointer<SIMD4<Double>>) -> SIMD4<Double> {
        var level = SIMD4<Double>(repeating: start.level), trend = SIMD4<Double>(repeating: start.trend), sum = SIMD4<Double>()
        let one = SIMD4<Double>(repeating: 1)
        if let m = season {
            for i in 0..<m { seasonal[i] = SIMD4(repeating: start.seasonal[i]) }
            var slot = 0
            for t in 0..<y.count {
                let value = SIMD4<Double>(repeating: y[t]), s = seasonal[slot], (previousLevel, previousTrend) = (level, trend)
                let error = value - (previousLevel + previousTrend + s)
                sum += error * error
                level = a * (value - s) + (one - a) * (previousLevel + previousTrend)
                trend = b * (level - previousLevel) + (one - b) * previousTrend
                seasonal[slot] = g * (value - previousLevel - previousTrend) + (one - g) * s
                slot = slot + 1 == m ? 0 : slot + 1
            }
        } else {
            for t in 0..<y.count {
                let value = SIMD4<Double>(repeating: y[t]), (previousLevel, previousTrend) = (level, trend)
                let error = value - (previousLevel + previousTrend + 0)
                sum += error * error
                level = a * (value - 0) + (one - a) * (previousLevel + previousTrend)
                trend = b * (level - previousLevel) + (one - b) * previousTrend
            }
        }
        return sum
    }
}

/// Nelder-Mead's simplex search (the standard coefficients), for up to four bounded parameters held in a SIMD vector
/// (the lanes past `dimensions` stay 0): a cost of infinity outside the bounds keeps the simplex in.
enum NelderMead {
    static func minimise(_ f: (SIMD4<Double>) -> Double, dimensions n: Int, from start: SIMD4<Double>, step: Double,
                         iterations: Int = 400, tolerance: Double = 1e-10) -> SIMD4<Double> {
        precondition((1...4).contains(n))
        // At most five vertices, kept best first.
        var simplex = (start, start, start, start, start)
        var values = (0.0, 0.0, 0.0, 0.0, 0.0)
        return withUnsafeMutableBytes(of: &simplex) { simplexBytes in
            withUnsafeMutableBytes(of: &values) { valueBytes in
                let points = simplexBytes.bindMemory(to: SIMD4<Double>.self), costs = valueBytes.bindMemory(to: Double.self)
                for i in 1...n {
                    var point = start
                    point[i - 1] += start[i - 1] + step <= 1 ? step : -step
                    points[i] = point
                }
                for i in 0...n { costs[i] = f(points[i]) }
                func order() {
                    // Insertion sort: stable, and the fastest way to order five.
                    for i in 1...n {
                        let (point, cost) = (points[i], costs[i])
                        var j = i
                        while j > 0 && costs[j - 1] > cost { (points[j], costs[j]) = (points[j - 1], costs[j - 1]); j -= 1 }
                        (points[j], costs[j]) = (point, cost)
                    }
                }
                for _ in 0..<iterations {
                    order()
                    if abs(costs[n] - costs[0]) <= tolerance * (abs(costs[0]) + tolerance) { break }
                    var centroid = SIMD4<Double>()
                    for i in 0..<n { centroid += points[i] }
                    centroid /= Double(n)
                    let worst = points[n]
                    func along(_ t: Double) -> SIMD4<Double> { centroid + t * (worst - centroid) }
                    let reflected = along(-1), r = f(reflected)
                    if r < costs[0] {
                        let expanded = along(-2), e = f(expanded)
                        (points[n], costs[n]) = e < r ? (expanded, e) : (reflected, r)
                    } else if r < costs[n - 1] {
                        (points[n], costs[n]) = (reflected, r)
                    } else {
                        let contracted = r < costs[n] ? along(-0.5) : along(0.5), c = f(contracted)
                        if c < min(r, costs[n]) {
                            (points[n], costs[n]) = (contracted, c)
                        } else {
                            // Shrink towards the best point.
                            for i in 1...n {
                                points[i] = points[0] + 0.5 * (points[i] - points[0])
                                costs[i] = f(points[i])
                            }
                        }
                    }
                }
                var best = 0
                for i in 1...n where costs[i] < costs[best] { best = i }
                return points[best]
            }
        }
    }
}
