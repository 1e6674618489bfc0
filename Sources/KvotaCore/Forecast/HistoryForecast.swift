import Foundation

/// The history-based forecast of a monthly revenue series (issue 10, METRICS.md "Forecast"): Holt-Winters additive
/// with a yearly season from 24 months of history, Holt's linear trend from 6, else the mean; each month with an 80 %
/// prediction interval, and the accuracy a rolling-origin backtest measures.
public enum HistoryForecast {
    public enum Method: String, CaseIterable, Sendable, Codable {
        case holtWinters = "holt_winters", holt, mean
    }

    public struct Month: Hashable, Sendable {
        public var value: Double
        public var low: Double
        public var high: Double
    }

    public struct Accuracy: Hashable, Sendable {
        /// Mean absolute percentage error over the months with revenue; nil when none had any.
        public var mape: Double?
        /// Weighted absolute percentage error: Σ|error| / Σ|actual|; nil when the actuals are all zero.
        public var wape: Double?
        /// The months the backtest forecast.
        public var months: Int
        /// What it forecast for each of those months (the series' last `months`), in order.
        public var predicted: [Double] = []

        /// MAPE over the pairs with an actual (a month without any has no percentage error), WAPE over all.
        public static func measuring(_ pairs: [(actual: Double, forecast: Double)]) -> Accuracy {
            let withActual = pairs.filter { $0.actual != 0 }
            let total = pairs.reduce(0) { $0 + abs($1.actual) }
            return Accuracy(
                mape: withActual.isEmpty ? nil : withActual.reduce(0) { $0 + abs($1.actual - $1.forecast) / abs($1.actual) } / Double(withActual.count),
                wape: total == 0 ? nil : pairs.reduce(0) { $0 + abs($1.actual - $1.forecast) } / total, months: pairs.count,
                predicted: pairs.map(\.forecast))
        }
    }

    public static func method(forMonths count: Int) -> Method {
        count >= 24 ? .holtWinters : count >= 6 ? .holt : .mean
    }

    /// The next `horizon` months after `series` (oldest first). Revenue is never below zero, so neither is a forecast
    /// or its interval's low end.
    public static func forecast(_ series: [Double], horizon: Int) -> (method: Method, months: [Month]) {
        let method = method(forMonths: series.count)
        let z = 1.2815515655446004  // the normal distribution's 90th percentile: an 80 % interval
        let values: [Double], spreads: [Double]
        switch method {
        case .holtWinters, .holt:
            let model = ExponentialSmoothing.fitted(series, season: method == .holtWinters ? 12 : nil)
            (values, spreads) = (model.forecast(horizon), model.spread(horizon))
        case .mean:
            let mean = series.mean
            let variance = series.count > 1 ? series.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(series.count - 1) : 0
            let spread = (variance * (1 + 1 / Double(max(1, series.count)))).squareRoot()
            (values, spreads) = (Array(repeating: mean, count: horizon), Array(repeating: spread, count: horizon))
        }
        return (method, zip(values, spreads).map { value, spread in
            Month(value: max(0, value), low: max(0, value - z * spread), high: max(0, value + z * spread))
        })
    }

    /// Rolling origin over the last `months`: each of those months forecast one month ahead from the history before
    /// it (the method chosen by that history's length), against what came.
    public static func backtest(_ series: [Double], months: Int = 6) -> Accuracy {
        let origins = max(0, series.count - months)..<series.count
        var pairs: [(actual: Double, forecast: Double)] = []
        for origin in origins where origin > 0 {
            pairs.append((series[origin], forecast(Array(series[..<origin]), horizon: 1).months[0].value))
        }
        return Accuracy.measuring(pairs)
    }
}
