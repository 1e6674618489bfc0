import Foundation

/// A value axis: a range from zero (or the data's minimum, when below zero) to a round top, with round steps between
/// (1, 2 or 5 times a power of ten), as people read charts.
struct ChartScale: Equatable {
    let minimum: Double
    let maximum: Double
    let ticks: [Double]

    init(values: [Double], tickCount: Int = 5) {
        let low = min(0, values.min() ?? 0)
        let high = max(values.max() ?? 0, low + 1e-9)
        let step = Self.niceStep((high - low) / Double(max(1, tickCount)))
        let bottom = (low / step).rounded(.down) * step
        let top = max((high / step).rounded(.up) * step, bottom + step)
        minimum = bottom
        maximum = top
        ticks = stride(from: bottom, through: top + step / 2, by: step).map { abs($0) < step / 1e6 ? 0 : $0 }
    }

    /// Where `value` falls between `start` (the minimum) and `end` (the maximum) on screen.
    func position(_ value: Double, from start: Double, to end: Double) -> Double {
        start + (value - minimum) / (maximum - minimum) * (end - start)
    }

    static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let power = pow(10, floor(log10(rough)))
        let fraction = rough / power
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return nice * power
    }
}
