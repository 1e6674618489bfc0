/// Values per key, by whole month where a month is read whole and by day where a range cuts into it: the sums every
/// analysis adds up into its periods, comparison periods and windows.
public struct SalesBuckets: Sendable {
    /// Whole months to read by month and the windows to read day by day, for a set of ranges: a month is read by
    /// day only when one of the ranges starts or ends inside it.
    public struct Plan: Hashable, Sendable {
        public let months: [ClosedRange<Int>]
        public let days: [DateWindow]
    }

    /// A sum at a point in time: a day as YYYYMMDD, a whole month as YYYYMM01, so that a month read whole lies in a
    /// range exactly when its first day does (a range never starts or ends inside a month read whole: the plan reads
    /// such a month by day).
    private struct Point: Sendable {
        var at: Int32
        var value: Int64
    }

    /// Each key's sums in time order, so that a range's sum is a binary search and a walk: one hash a key instead of
    /// one a month and a day, which was most of an XYZ of every customer at scale L (176 000 customers × 13 months).
    private var points: [Int64: [Point]] = [:]
    /// Whether every key's points are in time order, as `sum`'s binary search needs: rows come in time order per key,
    /// but the days of cut months are read after the whole months, so `finish` sorts them once when they are not.
    private var inOrder = true
    /// The months the plan reads by day: their sums are added up from days even where a month holds none. A handful,
    /// searched as a list.
    private var dayMonths: [Int] = []

    public init(plan: Plan) {
        for window in plan.days {
            for period in Period.covering(from: window.from, through: window.through, grain: .month) { dayMonths.append(period.start.monthKey) }
        }
    }

    public static func plan(_ ranges: [DateWindow]) -> Plan {
        guard let first = ranges.map(\.from).min(), let last = ranges.map(\.through).max() else { return Plan(months: [], days: []) }
        var cut: Set<Int> = []
        for range in ranges {
            if range.from.day != 1 { cut.insert(range.from.monthKey) }
            if range.through.adding(days: 1).day != 1 { cut.insert(range.through.monthKey) }
        }
        var months: [ClosedRange<Int>] = [], days: [DateWindow] = []
        for period in Period.covering(from: first, through: last, grain: .month) {
            let month = period.start.monthKey
            if cut.contains(month) {
                let window = DateWindow(unchecked: period.start, period.end.adding(days: -1))
                if let previous = days.last, previous.through.adding(days: 1) == window.from {
                    days[days.count - 1] = DateWindow(unchecked: previous.from, window.through)
                } else {
                    days.append(window)
                }
            } else if let previous = months.last, Period(.month, containing: LocalDate(unchecked: previous.upperBound / 100,
                                                                                         previous.upperBound % 100, 1)).next.start.monthKey == month {
                months[months.count - 1] = previous.lowerBound...month
            } else {
                months.append(month...month)
            }
        }
        return Plan(months: months, days: days)
    }

    /// A whole month's sum; ignored (the key still counts) for a month the plan reads by day.
    public mutating func add(month: Int, key: Int64, _ value: Int64) {
        add(at: dayMonths.contains(month) ? nil : month * 100 + 1, key: key, value)
    }

    /// A day's sum; ignored (the key still counts) for a day of a month the plan reads whole.
    public mutating func add(day: Int, key: Int64, _ value: Int64) {
        add(at: dayMonths.contains(day / 100) ? day : nil, key: key, value)
    }

    private mutating func add(at: Int?, key: Int64, _ value: Int64) {
        if let at {
            if Self.append(Point(at: Int32(at), value: value), to: &points[key, default: []]) { inOrder = false }
        } else if points[key] == nil {
            points[key] = []
        }
    }

    /// The same sums under other keys: each key becomes `map[key]`, or `unmapped` when the map has none (an owner
    /// to their team, a product to its category, the rest of a top list to "other").
    public func folded(_ map: [Int64: Int64], unmapped: Int64 = 0) -> SalesBuckets {
        var result = self
        result.points = [:]
        for (key, points) in points {
            let target = map[key] ?? unmapped
            if result.points[target] == nil {
                result.points[target] = points
            } else {
                result.points[target]! += points
                result.inOrder = false
            }
        }
        result.finish()
        return result
    }

    public var keys: Set<Int64> { Set(points.keys) }

    /// The sum for `key` over `range`, one of the ranges the plan was made for.
    public func sum(_ key: Int64, over range: DateWindow) -> Int64 {
        guard let points = points[key] else { return 0 }
        return sum(points, over: range)
    }

    /// The sums for `key` over each of `ranges`, ranges the plan was made for: one lookup of the key for them all.
    public func series(_ key: Int64, over ranges: [DateWindow]) -> [Int64] {
        guard let points = points[key] else { return Array(repeating: 0, count: ranges.count) }
        return ranges.map { sum(points, over: $0) }
    }

    /// Puts every key's points in time order once all are added, for `sum`'s binary search (without it, sums scan).
    public mutating func finish() {
        guard !inOrder else { return }
        for key in points.keys { points[key]!.sort { $0.at < $1.at } }
        inOrder = true
    }

    /// Appends `point`; answers whether it came before the last one.
    private static func append(_ point: Point, to points: inout [Point]) -> Bool {
        defer { points.append(point) }
        return points.last.map { $0.at > point.at } ?? false
    }

    private func sum(_ points: [Point], over range: DateWindow) -> Int64 {
        let from = Int32(range.from.key), through = Int32(range.through.key)
        guard inOrder else { return points.reduce(0) { $1.at >= from && $1.at <= through ? $0 + $1.value : $0 } }
        var low = 0, high = points.count
        while low < high {
            let middle = (low + high) / 2
            if points[middle].at < from { low = middle + 1 } else { high = middle }
        }
        var total: Int64 = 0
        while low < points.count && points[low].at <= through {
            total += points[low].value
            low += 1
        }
        return total
    }

    /// Sums over `range` for every key.
    public func sums(over range: DateWindow) -> [Int64: Int64] {
        var result: [Int64: Int64] = [:]
        for (key, points) in points { result[key] = sum(points, over: range) }
        return result
    }
}

extension LocalDate {
    /// YYYYMM.
    public var monthKey: Int { year * 100 + month }
}

extension Period {
    /// The month of a YYYYMM key (`LocalDate.monthKey`), as the roll-ups and monthly tables store months.
    public init(monthKey key: Int) throws(ValueError) {
        self.init(.month, containing: try LocalDate(key: key * 100 + 1))
    }
}
