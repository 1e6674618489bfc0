import Foundation

extension ExponentialSmoothing {
    /// The model whose parameters give the smallest sum of squared one-step errors, from the heuristic start: a coarse
    /// grid over [0, 1] for each parameter, then Nelder-Mead from the best point, restarted with smaller simplices,
    /// kept inside the bounds. statsmodels fits the same way in spirit (L-BFGS-B); the tests hold Kvota's fit to be at
    /// least as good as its on fixed series.
    public static func fitted(_ series: [Double], season: Int?) -> ExponentialSmoothing {
        let start = Start.heuristic(series, season: season)
        let dimensions = season == nil ? 2 : 3
        func model(_ point: [Double]) -> ExponentialSmoothing {
            ExponentialSmoothing(series, season: season, parameters: Parameters(alpha: point[0], beta: point[1], gamma: dimensions == 3 ? point[2] : 0),
                                 start: start)
        }
        func cost(_ point: [Double]) -> Double {
            point.allSatisfy { (0...1).contains($0) } ? model(point).sse : .infinity
        }
        let steps = [0.05, 0.25, 0.5, 0.75, 0.95]
        var best = [0.5, 0.5, 0.5].prefix(dimensions).map { $0 }, bestCost = Double.infinity
        for a in steps {
            for b in steps {
                for g in dimensions == 3 ? steps : [0] {
                    let point = [a, b, g].prefix(dimensions).map { $0 }
                    let c = cost(point)
                    if c < bestCost { (best, bestCost) = (point, c) }
                }
            }
        }
        // Restarting from where the simplex stopped, with a fresh simplex, gets it out of a collapsed one (a common
        // weakness of Nelder-Mead); a few restarts cost next to nothing on a few years of months.
        var point = best
        for step in [0.1, 0.05, 0.02, 0.01] { point = NelderMead.minimise(cost, from: point, step: step) }
        return model(point)
    }
}

/// Nelder-Mead's simplex search (the standard coefficients), for a handful of bounded parameters: a cost of infinity
/// outside the bounds keeps the simplex in.
enum NelderMead {
    static func minimise(_ f: ([Double]) -> Double, from start: [Double], step: Double, iterations: Int = 400, tolerance: Double = 1e-10) -> [Double] {
        let n = start.count
        var simplex = [start] + (0..<n).map { i in
            var point = start
            point[i] += point[i] + step <= 1 ? step : -step
            return point
        }
        var values = simplex.map(f)
        for _ in 0..<iterations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            if abs(values[n] - values[0]) <= tolerance * (abs(values[0]) + tolerance) { break }
            let centroid = (0..<n).map { i in simplex[0..<n].reduce(0) { $0 + $1[i] } / Double(n) }
            func along(_ t: Double) -> [Double] { (0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) } }
            let reflected = along(-1), r = f(reflected)
            if r < values[0] {
                let expanded = along(-2), e = f(expanded)
                (simplex[n], values[n]) = e < r ? (expanded, e) : (reflected, r)
            } else if r < values[n - 1] {
                (simplex[n], values[n]) = (reflected, r)
            } else {
                let contracted = r < values[n] ? along(-0.5) : along(0.5), c = f(contracted)
                if c < min(r, values[n]) {
                    (simplex[n], values[n]) = (contracted, c)
                } else {
                    // Shrink towards the best point.
                    for i in 1...n {
                        simplex[i] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[i][$0] - simplex[0][$0]) }
                        values[i] = f(simplex[i])
                    }
                }
            }
        }
        return simplex[values.indices.min { values[$0] < values[$1] }!]
    }
}
