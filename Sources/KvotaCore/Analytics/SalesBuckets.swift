/// Values per key, by whole month where a range covers a month whole and by day where a range cuts into it: the sums
/// every analysis adds up into its periods, comparison periods and windows.
public struct SalesBuckets: Sendable {
    /// Whole months to read by month and the windows to read day by day, for a set of ranges: a month one of the ranges
    /// covers whole is read whole, and the days another range cuts out of a month are read by day, those days only. A
    /// window to today compares its last days with the same days a month and a year before, which are inside months the
    /// window covers whole: reading those months by day had meant reading two more whole months of days.
    public struct Plan: Hashable, Sendable {
        public let months: [ClosedRange<Int>]
        public let days: [DateWindow]
    }

    /// A sum at a point in time: a day as YYYYMMDD, a whole month as YYYYMM00, so that a month's sum sorts just before
    /// its days, and a range takes one or the other: the whole month when it covers the month, else its days.
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
    /// The runs of months the plan reads whole (YYYYMM), and the days it reads by day (YYYYMMDD): a handful each,
    /// searched as lists (a set's hash per row was a tenth of an XYZ of every customer).
    private let wholeMonths: [ClosedRange<Int>]
    private let dayRanges: [ClosedRange<Int>]

    public init(plan: Plan) {
        wholeMonths = plan.months
        dayRanges = plan.days.map { $0.from.key...$0.through.key }
    }

    public static func plan(_ ranges: [DateWindow]) -> Plan {
        var covered = Set<Int>(), cuts: [DateWindow] = []
        for range in ranges {
            for period in Period.covering(from: range.from, through: range.through, grain: .month) {
                let last = period.end.adding(days: -1)
                if range.from <= period.start && range.through >= last {
                    covered.insert(period.start.monthKey)
                } else {
                    cuts.append(DateWindow(unchecked: max(range.from, period.start), min(range.through, last)))
                }
            }
        }
        var days: [DateWindow] = []
        for cut in cuts.sorted(by: { $0.from < $1.from }) {
            if let previous = days.last, cut.from <= previous.through.adding(days: 1) {
                days[days.count - 1] = DateWindow(unchecked: previous.from, max(previous.through, cut.through))
            } else {
                days.append(cut)
            }
        }
        // A month whose every day is read anyway (sums by day or week) is not read whole as well.
        let byDay = covered.filter { month in
            let period = Period(.month, containing: LocalDate(unchecked: month / 100, month % 100, 1))
            return days.contains { $0.from <= period.start && $0.through >= period.end.adding(days: -1) }
        }
        return Plan(months: LocalDate.monthRuns(covered.subtracting(byDay).sorted()), days: days)
    }

    /// A whole month's sum; ignored (the key still counts) for a month the plan does not read whole.
    public mutating func add(month: Int, key: Int64, _ value: Int64) {
        add(at: wholeMonths.contains { $0.contains(month) } ? month * 100 : nil, key: key, value)
    }

    /// A day's sum; ignored (the key still counts) for a day the plan does not read by day.
    public mutating func add(day: Int, key: Int64, _ value: Int64) {
        add(at: dayRanges.contains { $0.contains(day) } ? day : nil, key: key, value)
    }

    private mutating func add(at: Int?, key: Int64, _ value: Int64) {
        let index = points.index(forKey: key)
        guard let at else {
            if index == nil { points[key] = [] }
            return
        }
        let point = Point(at: Int32(at), value: value)
        if let index {
            if Self.append(point, to: &points.values[index]) { inOrder = false }
        } else {
            // Room for a year of months and a few days from the start: growing tens of thousands of customers' lists
            // one doubling at a time was a fifth of an XYZ of every customer.
            var list: [Point] = []
            list.reserveCapacity(16)
            list.append(point)
            points[key] = list
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

    /// These sums and, under `key`, what `total`'s key 0 holds beyond them: the "other" of a top list read on its own
    /// beside the total, for a measure whose keys add up to the total. Both must come from the same plan.
    public func withRest(of total: SalesBuckets, as key: Int64) -> SalesBuckets {
        var result = self
        var rest = total.points[0] ?? []
        for points in points.values { rest += points.lazy.map { Point(at: $0.at, value: -$0.value) } }
        result.points[key] = rest
        result.inOrder = false
        result.finish()
        return result
    }

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
        let from = range.from.key, through = range.through.key
        // The months the range covers whole: their sums come from the month's point, or from its days when the plan reads
        // it by day only; the days of the other months it touches from their days.
        let firstWhole = range.from.day == 1 ? from / 100 : LocalDate.monthKey(after: from / 100)
        let endsItsMonth = range.through.day == LocalDate.daysIn(year: range.through.year, month: range.through.month)
        let lastWhole = endsItsMonth ? through / 100 : LocalDate.monthKey(before: through / 100)
        func counts(_ point: Point) -> Bool {
            let at = Int(point.at), month = at / 100
            let whole = month >= firstWhole && month <= lastWhole
            return at % 100 == 0 ? whole : at >= from && at <= through && !(whole && wholeMonths.contains { $0.contains(month) })
        }
        guard inOrder else { return points.reduce(0) { counts($1) ? $0 + $1.value : $0 } }
        let start = Int32(from / 100 * 100)
        var low = 0, high = points.count
        while low < high {
            let middle = (low + high) / 2
            if points[middle].at < start { low = middle + 1 } else { high = middle }
        }
        var total: Int64 = 0
        while low < points.count && Int(points[low].at) <= through {
            if counts(points[low]) { total += points[low].value }
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

    /// The YYYYMM after `key`, in YYYYMM arithmetic (no calendar needed).
    public static func monthKey(after key: Int) -> Int { key % 100 == 12 ? key + 89 : key + 1 }

    /// The YYYYMM before `key`.
    public static func monthKey(before key: Int) -> Int { key % 100 == 1 ? key - 89 : key - 1 }

    /// YYYYMM keys in order as runs of months that follow one another.
    public static func monthRuns(_ months: [Int]) -> [ClosedRange<Int>] {
        var runs: [ClosedRange<Int>] = []
        for month in months {
            if let last = runs.last, monthKey(after: last.upperBound) == month {
                runs[runs.count - 1] = last.lowerBound...month
            } else {
                runs.append(month...month)
            }
        }
        return runs
    }
}

extension Period {
    /// The month of a YYYYMM key (`LocalDate.monthKey`), as the roll-ups and monthly tables store months.
    public init(monthKey key: Int) throws(ValueError) {
        self.init(.month, containing: try LocalDate(key: key * 100 + 1))
    }
}
