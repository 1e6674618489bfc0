import Foundation

/// XYZ analysis (METRICS.md "XYZ analysis"): how steady an item's monthly values are, by their coefficient of
/// variation (population standard deviation / mean); every month of the window counts, a month without sales as 0.
public enum XYZClass: String, CaseIterable, Sendable, Codable {
    case x = "X", y = "Y", z = "Z"
}

public struct XYZThresholds: Hashable, Sendable {
    /// CV at most `x` is X, at most `y` is Y, else Z.
    public var x: Double
    public var y: Double

    public init(x: Double = 0.10, y: Double = 0.25) {
        self.x = x; self.y = y
    }
}

public struct XYZRow: Hashable, Sendable {
    public var id: Int64
    public var mean: Double
    /// Population standard deviation of the monthly values.
    public var stdDev: Double
    /// Nil when the mean is zero or less: the item is Z.
    public var cv: Double?
    public var category: XYZClass
}

public enum XYZAnalysis {
    public static let minimumMonths = 3

    /// Refuses a window shorter than three months: a variation over one or two months says nothing.
    public static func checkWindow(months: Int) throws(ValidationFailure) {
        guard months >= minimumMonths else {
            throw ValidationFailure([.invalid(field: "from", reason: "the window has \(months) months; XYZ needs at least \(minimumMonths)")])
        }
    }

    /// Classes each item by its monthly values, one per month of the window in order.
    public static func classify(_ items: [(id: Int64, monthly: [Int64])], months: Int,
                                thresholds: XYZThresholds = XYZThresholds()) throws(ValidationFailure) -> [XYZRow] {
        try checkWindow(months: months)
        return items.map { item in
            // Months missing at the end of the list had no sales.
            let values = (item.monthly + Array(repeating: 0, count: max(0, months - item.monthly.count))).prefix(months).map(Double.init)
            let mean = values.reduce(0, +) / Double(months)
            let stdDev = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(months)).squareRoot()
            guard mean > 0 else { return XYZRow(id: item.id, mean: mean, stdDev: stdDev, cv: nil, category: .z) }
            let cv = stdDev / mean
            let category: XYZClass = cv <= thresholds.x ? .x : cv <= thresholds.y ? .y : .z
            return XYZRow(id: item.id, mean: mean, stdDev: stdDev, cv: cv, category: category)
        }
    }
}

/// The ABC×XYZ matrix: per cell, how many items and what share of the ABC total they hold.
public struct ABCXYZMatrix: Hashable, Sendable {
    public struct Cell: Hashable, Sendable {
        public var count: Int
        public var share: Double
    }

    public var cells: [ABCClass: [XYZClass: Cell]]

    public init(abc: ABCResult, xyz: [XYZRow]) {
        let steadiness = Dictionary(xyz.map { ($0.id, $0.category) }, uniquingKeysWith: { first, _ in first })
        var cells: [ABCClass: [XYZClass: Cell]] = [:]
        for a in ABCClass.allCases {
            for x in XYZClass.allCases { cells[a, default: [:]][x] = Cell(count: 0, share: 0) }
        }
        for row in abc.rows {
            let x = steadiness[row.id] ?? .z
            cells[row.category]![x]!.count += 1
            cells[row.category]![x]!.share += row.share
        }
        self.cells = cells
    }
}
