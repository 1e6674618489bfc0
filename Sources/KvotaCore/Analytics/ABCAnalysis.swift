import Foundation

/// ABC analysis (METRICS.md "ABC analysis"): items ranked by a value, classed by the cumulative share of the items
/// ranked before them, so the item that crosses a boundary stays in the upper class.
public enum ABCClass: String, CaseIterable, Sendable, Codable, Comparable {
    case a = "A", b = "B", c = "C"

    public static func < (lhs: ABCClass, rhs: ABCClass) -> Bool { lhs.rawValue < rhs.rawValue }
}

public struct ABCThresholds: Hashable, Sendable {
    /// An item is A while the items before it hold less than this share; B while less than `b`; else C.
    public var a: Double
    public var b: Double

    public init(a: Double = 0.80, b: Double = 0.95) {
        self.a = a; self.b = b
    }
}

public struct ABCRow: Hashable, Sendable {
    public var id: Int64
    public var rank: Int
    /// In minor units (revenue, margin) or thousandths (quantity), as the measure gives it.
    public var value: Int64
    public var share: Double
    /// Including this item.
    public var cumulativeShare: Double
    public var category: ABCClass
}

public struct ABCClassSummary: Hashable, Sendable {
    public var count: Int
    public var value: Int64
    public var share: Double
}

public struct ABCResult: Hashable, Sendable {
    public var rows: [ABCRow]
    public var classes: [ABCClass: ABCClassSummary]
    public var total: Int64
}

public enum ABCAnalysis {
    /// Ranks `items` by value, highest first (ties by id), and classes them. Shares are of the total of the positive
    /// values, so an item with a loss (a negative margin) does not push the others' shares above 100 %; items worth
    /// nothing or less are C.
    public static func classify(_ items: [(id: Int64, value: Int64)], thresholds: ABCThresholds = ABCThresholds()) -> ABCResult {
        let ranked = items.sorted { $0.value != $1.value ? $0.value > $1.value : $0.id < $1.id }
        let total = ranked.reduce(Int64(0)) { $0 + max($1.value, 0) }
        var rows: [ABCRow] = []
        var before: Int64 = 0
        for (index, item) in ranked.enumerated() {
            let shareBefore = total > 0 ? Double(before) / Double(total) : 1
            let category: ABCClass = item.value <= 0 ? .c : shareBefore < thresholds.a ? .a : shareBefore < thresholds.b ? .b : .c
            before += max(item.value, 0)
            rows.append(ABCRow(id: item.id, rank: index + 1, value: item.value,
                               share: total > 0 ? Double(item.value) / Double(total) : 0,
                               cumulativeShare: total > 0 ? Double(before) / Double(total) : 0, category: category))
        }
        var classes: [ABCClass: ABCClassSummary] = [:]
        for category in ABCClass.allCases {
            let members = rows.filter { $0.category == category }
            let value = members.reduce(Int64(0)) { $0 + $1.value }
            classes[category] = ABCClassSummary(count: members.count, value: value, share: total > 0 ? Double(value) / Double(total) : 0)
        }
        return ABCResult(rows: rows, classes: classes, total: total)
    }
}
