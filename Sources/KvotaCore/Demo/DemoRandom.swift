import Foundation

/// xoshiro256** seeded through SplitMix64: fast, and the same sequence on every platform and Swift version, which
/// `SystemRandomNumberGenerator` and Foundation's generators do not promise. The demo company depends on it.
public struct DemoRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// An independent stream for one part of the company, so adding records to one part does not reshuffle another.
    public init(seed: UInt64, stream: String) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a
        for byte in stream.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        self.init(seed: seed ^ hash)
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    // MARK: - Distributions

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in `range`; avoids the stdlib's `Int.random(in:using:)`, whose algorithm may change between releases.
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    public mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = max(unit(), 1e-300), u2 = unit()
        return (-2 * Foundation.log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// Log-normal with the given median and spread (σ of the underlying normal).
    public mutating func logNormal(median: Double, sigma: Double) -> Double {
        median * exp(sigma * normal())
    }

    /// Pareto with minimum 1 and shape `alpha`; alpha ≈ 1.16 gives the classic 80/20 split.
    public mutating func pareto(alpha: Double) -> Double {
        pow(1 - unit(), -1 / alpha)
    }

    /// Poisson: Knuth's method for small means, a rounded normal for large ones.
    public mutating func poisson(_ mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean > 40 { return max(0, Int((mean + mean.squareRoot() * normal()).rounded())) }
        let limit = exp(-mean)
        var k = 0, p = unit()
        while p > limit { k += 1; p *= unit() }
        return k
    }
}

/// Picks indices in proportion to fixed weights in O(log n).
public struct WeightedPicker: Sendable {
    private let cumulative: [Double]

    public init(weights: [Double]) {
        var total = 0.0
        cumulative = weights.map { total += max($0, 0); return total }
    }

    public var isEmpty: Bool { cumulative.isEmpty || cumulative.last! <= 0 }

    public func pick(_ random: inout DemoRandom) -> Int {
        let target = random.unit() * cumulative.last!
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > target { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
