import Foundation

/// Additive exponential smoothing of a monthly series (issue 10, METRICS.md "Forecast"): Holt-Winters with a yearly
/// season, Holt's linear trend without one. The component form and its names are statsmodels' and Hyndman &
/// Athanasopoulos's ("Forecasting: principles and practice", 8.3): `alpha` smooths the level, `beta` the trend
/// (β*, a share of the level's change), `gamma` the season. Written by hand because no Swift package on the list does
/// time series; docs/forecasting.md says so.
public struct ExponentialSmoothing: Hashable, Sendable {
    public struct Parameters: Hashable, Sendable {
        public var alpha: Double
        public var beta: Double
        /// Ignored without a season.
        public var gamma: Double

        public init(alpha: Double, beta: Double, gamma: Double = 0) {
            self.alpha = alpha; self.beta = beta; self.gamma = gamma
        }
    }

    /// The states before the first month: level, trend, and for a seasonal model the season's effect on each of the
    /// first `season` months in order.
    public struct Start: Hashable, Sendable {
        public var level: Double
        public var trend: Double
        public var seasonal: [Double]

        public init(level: Double, trend: Double, seasonal: [Double] = []) {
            self.level = level; self.trend = trend; self.seasonal = seasonal
        }

        /// The classic start: for a season of `m`, the level is the first year's mean, the trend the change of the
        /// yearly mean from the first year to the second over `m`, each month's effect its distance from that mean
        /// (needs two full years); without a season, the first value and the first change (needs two values).
        public static func heuristic(_ y: [Double], season m: Int?) -> Start {
            guard let m else { return Start(level: y[0], trend: y[1] - y[0]) }
            let first = Array(y[0..<m]).mean, second = Array(y[m..<2 * m]).mean
            return Start(level: first, trend: (second - first) / Double(m), seasonal: y[0..<m].map { $0 - first })
        }
    }

    public let series: [Double]
    /// Twelve for months in a year; nil for Holt's linear trend.
    public let season: Int?
    public let parameters: Parameters
    public let start: Start
    /// One-step-ahead values: what the model expected of each month before seeing it.
    public let fitted: [Double]
    public let level: Double
    public let trend: Double
    /// The season's effects for the next `season` months, the first being the month after the series.
    public let seasonal: [Double]

    public init(_ series: [Double], season: Int?, parameters: Parameters, start: Start) {
        self.series = series; self.season = season; self.parameters = parameters; self.start = start
        var level = start.level, trend = start.trend, seasonal = start.seasonal
        var fitted: [Double] = []
        fitted.reserveCapacity(series.count)
        let (a, b, g) = (parameters.alpha, parameters.beta, parameters.gamma)
        for (t, y) in series.enumerated() {
            let s = season.map { seasonal[t % $0] } ?? 0
            let (previousLevel, previousTrend) = (level, trend)
            fitted.append(previousLevel + previousTrend + s)
            level = a * (y - s) + (1 - a) * (previousLevel + previousTrend)
            trend = b * (level - previousLevel) + (1 - b) * previousTrend
            if let m = season { seasonal[t % m] = g * (y - previousLevel - previousTrend) + (1 - g) * s }
        }
        if let m = season {
            // Rotated so that the first effect is the next month's.
            let next = series.count % m
            seasonal = Array(seasonal[next...] + seasonal[..<next])
        }
        self.fitted = fitted; self.level = level; self.trend = trend; self.seasonal = seasonal
    }

    /// The errors of the one-step-ahead values.
    public var residuals: [Double] { zip(series, fitted).map { $0 - $1 } }

    /// The sum of squared one-step-ahead errors, which fitting makes as small as it can.
    public var sse: Double { residuals.reduce(0) { $0 + $1 * $1 } }

    /// The next `horizon` months.
    public func forecast(_ horizon: Int) -> [Double] {
        (1...max(1, horizon)).prefix(horizon).map { h in
            level + Double(h) * trend + (season.map { seasonal[(h - 1) % $0] } ?? 0)
        }
    }

    /// How far each of the next `horizon` months may fall from the forecast, as a standard deviation: the additive
    /// error model's (Hyndman et al. 2008, table 6.1), σ²·(1 + Σ_{j<h} c_j²) with c_j = α(1 + jβ) + γ·[j is a whole
    /// number of seasons], σ² the mean squared one-step error.
    public func spread(_ horizon: Int) -> [Double] {
        let sigma2 = sse / Double(max(1, series.count))
        var sum = 0.0
        return (1...max(1, horizon)).prefix(horizon).map { h in
            if h > 1 {
                let j = h - 1
                let seasonal = season.map { j % $0 == 0 ? parameters.gamma : 0 } ?? 0
                let c = parameters.alpha * (1 + Double(j) * parameters.beta) + seasonal
                sum += c * c
            }
            return (sigma2 * (1 + sum)).squareRoot()
        }
    }
}

extension Array where Element == Double {
    var mean: Double { isEmpty ? 0 : reduce(0, +) / Double(count) }
}
