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

    /// The class of an item worth `value` whose higher-ranked items hold `before` of the positive `total`.
    func category(of value: Int64, before: Int64, total: Int64) -> ABCClass {
        let shareBefore = total > 0 ? Double(before) / Double(total) : 1
        return value <= 0 ? .c : shareBefore < a ? .a : shareBefore < b ? .b : .c
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
        let total = positiveTotal(items)
        var rows: [ABCRow] = []
        rows.reserveCapacity(items.count)
        walk(items, thresholds: thresholds, total: total) { position, category, through in
            let item = items[position]
            rows.append(ABCRow(id: item.id, rank: rows.count + 1, value: item.value,
                               share: total > 0 ? Double(item.value) / Double(total) : 0,
                               cumulativeShare: total > 0 ? Double(through) / Double(total) : 0, category: category))
        }
        var classes: [ABCClass: ABCClassSummary] = [:]
        for category in ABCClass.allCases {
            let members = rows.filter { $0.category == category }
            let value = members.reduce(Int64(0)) { $0 + $1.value }
            classes[category] = ABCClassSummary(count: members.count, value: value, share: total > 0 ? Double(value) / Double(total) : 0)
        }
        return ABCResult(rows: rows, classes: classes, total: total)
    }

    /// The class `classify` gives each of `items`, in the order of `items`, without the rows: what a category
    /// migration needs of every customer of a window, joined by id rather than looked up by it.
    public static func classes(of items: [(id: Int64, value: Int64)], thresholds: ABCThresholds = ABCThresholds()) -> [ABCClass] {
        var classes = [ABCClass](repeating: .c, count: items.count)
        walk(items, thresholds: thresholds, total: positiveTotal(items)) { position, category, _ in classes[position] = category }
        return classes
    }

    private static func positiveTotal(_ items: [(id: Int64, value: Int64)]) -> Int64 {
        items.reduce(Int64(0)) { $0 + max($1.value, 0) }
    }

    /// The one ranking both read: `items` from the highest value down (ties by id), each with its position in `items`,
    /// its class, and the positive value of the items up to and including it.
    private static func walk(_ items: [(id: Int64, value: Int64)], thresholds: ABCThresholds, total: Int64,
                             _ body: (_ position: Int, _ category: ABCClass, _ through: Int64) -> Void) {
        // Sorted with their positions beside them: sorting the positions by the values they point to was twice as slow.
        let ranked = items.enumerated().map { (value: $1.value, id: $1.id, position: $0) }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.id < $1.id }
        var before: Int64 = 0
        for item in ranked {
            let category = thresholds.category(of: item.value, before: before, total: total)
            before += max(item.value, 0)
            body(item.position, category, before)
        }
    }
}
