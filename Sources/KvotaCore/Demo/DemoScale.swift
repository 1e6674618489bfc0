import Foundation

/// How big the demo company is. S, M and L are the benchmark scales of the issues (≈100 k, 1 M, 10 M order lines);
/// `tiny` is for tests. Other records grow in proportion, people more slowly.
public struct DemoScale: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let orderLines: Int
    public let accounts: Int
    public let products: Int
    public let deals: Int
    public let calls: Int
    public let teamsPerKind: Int
    public let repsPerTeam: Int

    public static let tiny = DemoScale(name: "tiny", orderLines: 3_000, accounts: 120, products: 60, deals: 400,
                                       calls: 3_000, teamsPerKind: 1, repsPerTeam: 3)
    public static let s = DemoScale(name: "S", orderLines: 100_000, accounts: 2_000, products: 400, deals: 10_000,
                                    calls: 100_000, teamsPerKind: 2, repsPerTeam: 5)
    public static let m = DemoScale(name: "M", orderLines: 1_000_000, accounts: 20_000, products: 2_000,
                                    deals: 100_000, calls: 1_000_000, teamsPerKind: 5, repsPerTeam: 10)
    public static let l = DemoScale(name: "L", orderLines: 10_000_000, accounts: 200_000, products: 10_000,
                                    deals: 1_000_000, calls: 10_000_000, teamsPerKind: 24, repsPerTeam: 19)

    public static let all = [tiny, s, m, l]

    /// Accepts `S`, `M`, `L` (any case) and `tiny`.
    public static func named(_ text: String) throws(ValueError) -> DemoScale {
        guard let scale = all.first(where: { $0.name.lowercased() == text.lowercased() }) else {
            throw ValueError.invalid(field: "scale", reason: "expected S, M or L, got '\(text)'")
        }
        return scale
    }

    public var description: String { name }
}

/// Everything that decides the demo company. Equal options give equal data, on any engine.
public struct DemoOptions: Hashable, Sendable {
    public var scale: DemoScale
    public var seed: UInt64
    /// The last day of history: three years of trading end here.
    public var asOf: LocalDate
    public var timeZone: TimeZone
    public var baseCurrency: Currency

    public init(scale: DemoScale, seed: UInt64 = 1, asOf: LocalDate,
                timeZone: TimeZone = TimeZone(identifier: "Europe/Stockholm")!, baseCurrency: Currency = .EUR) {
        self.scale = scale; self.seed = seed; self.asOf = asOf; self.timeZone = timeZone
        self.baseCurrency = baseCurrency
    }
}

/// Counts of what was generated, and the sums a load can be checked against.
public struct DemoSummary: Hashable, Sendable {
    public var counts: [String: Int] = [:]
    public var revenueBaseMinor: Int64 = 0
    public var costBaseMinor: Int64 = 0

    public var totalRecords: Int { counts.values.reduce(0, +) }
}
