/// Sales dynamics (METRICS.md "Sales dynamics"): a measure per period of a grain across a window, each period with the
/// period before it and the same period a year earlier, in absolute terms and in per cent.
///
/// A window may cut the first or the last period (from the 5th of a month, to the 20th): that point then covers only
/// the window's days, and its comparisons cover the same days of their periods (the 5th to the end of the previous
/// month), so a month to date is set against the same days, never against a whole month.
public enum SalesDynamics {
    public struct Slot: Hashable, Sendable {
        public let period: Period
        public let value: DateWindow
        public let previous: DateWindow
        public let yearEarlier: DateWindow
        /// The window covers only part of the period.
        public var partial: Bool { value.from != period.start || value.through != period.end.adding(days: -1) }
    }

    public struct Point: Hashable, Sendable {
        public let period: Period
        public let partial: Bool
        public let value: Int64
        public let previous: Int64
        public let yoyValue: Int64
        /// Nil against a zero base ("n/a").
        public let changePct: Double?
        public let yoyPct: Double?
    }

    /// The periods of `grain` across `window`, with the days each point and its comparisons cover.
    public static func slots(_ grain: PeriodGrain, window: DateWindow) -> [Slot] {
        Period.covering(from: window.from, through: window.through, grain: grain).map { period in
            let value = window.part(in: period)!
            return Slot(period: period, value: value, previous: same(value, of: period, in: period.previous),
                        yearEarlier: same(value, of: period, in: period.yearEarlier))
        }
    }

    /// Every range the slots read, for `SalesBuckets.plan`.
    public static func ranges(_ slots: [Slot]) -> [DateWindow] {
        slots.flatMap { [$0.value, $0.previous, $0.yearEarlier] }
    }

    /// The points of one series (one key of the buckets).
    public static func points(_ slots: [Slot], key: Int64, from buckets: SalesBuckets) -> [Point] {
        slots.map { slot in
            let value = buckets.sum(key, over: slot.value)
            let previous = buckets.sum(key, over: slot.previous)
            let yoy = buckets.sum(key, over: slot.yearEarlier)
            return Point(period: slot.period, partial: slot.partial, value: value, previous: previous, yoyValue: yoy,
                         changePct: change(from: previous, to: value), yoyPct: change(from: yoy, to: value))
        }
    }

    /// (value − base) / |base|: the sign says up or down even when the base is a loss; nil against zero.
    public static func change(from base: Int64, to value: Int64) -> Double? {
        base == 0 ? nil : Double(value - base) / Double(base.magnitude)
    }

    /// The days of `other` that stand for `part` of `period`: all of it for a whole period; for a cut one, the days at
    /// the same offsets from its start, a cut end falling back to `other`'s last day.
    static func same(_ part: DateWindow, of period: Period, in other: Period) -> DateWindow {
        let otherLast = other.end.adding(days: -1)
        let first = part.from == period.start ? other.start : min(other.start.adding(days: period.start.days(until: part.from)), otherLast)
        let last = part.through == period.end.adding(days: -1)
            ? otherLast : min(other.start.adding(days: period.start.days(until: part.through)), otherLast)
        return DateWindow(unchecked: first, max(first, last))
    }
}
