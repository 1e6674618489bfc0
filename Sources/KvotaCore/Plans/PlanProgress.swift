/// How far a plan (or a breakdown row) has come on one measure, as of a day (METRICS.md "Revenue": plan fulfilment,
/// run-rate; docs/metrics.md "Plan progress" for the rest).
///
/// Days are counted in the company's calendar, and the day `asOf` counts as elapsed: the actual includes its orders.
public struct PlanProgress: Hashable, Sendable {
    public let target: Int64
    public let actual: Int64
    /// actual / target; nil for a zero target ("n/a", never a division by zero).
    public let fulfilment: Double?
    /// actual × days in period / days elapsed; nil before the period starts.
    public let projection: Int64?
    /// target − projection: what the period will miss at the pace so far (negative: exceed); nil before it starts.
    public let gap: Int64?
    /// What is left to sell: target − actual, not below 0.
    public let remaining: Int64
    /// remaining / days left, rounded up; nil when no day is left.
    public let dailyPace: Int64?
    public let daysElapsed: Int
    public let daysTotal: Int

    public init(target: Int64, actual: Int64, period: Period, asOf: LocalDate) {
        self.target = target
        self.actual = actual
        daysTotal = period.dayCount
        daysElapsed = min(max(period.start.days(until: asOf) + 1, 0), daysTotal)
        fulfilment = target != 0 ? Double(actual) / Double(target) : nil
        projection = daysElapsed > 0 ? Int64((Double(actual) * Double(daysTotal) / Double(daysElapsed)).rounded()) : nil
        gap = projection.map { target - $0 }
        remaining = max(target - actual, 0)
        let daysLeft = daysTotal - daysElapsed
        dailyPace = daysLeft > 0 ? (remaining + Int64(daysLeft) - 1) / Int64(daysLeft) : nil
    }

    /// The days of the period whose actuals count as of `asOf`: from its start through `asOf`, or nil before it starts.
    public static func window(_ period: Period, asOf: LocalDate) -> DateWindow? {
        guard asOf >= period.start else { return nil }
        return DateWindow(unchecked: period.start, min(asOf, period.end.adding(days: -1)))
    }

    /// The days a cumulative chart of the period is drawn at: every day of a week or month, every Sunday of a quarter or
    /// half-year, every month's last day of a year, and always the period's last day. A point's value is everything
    /// through that day, so the points stay few at any grain while the line still shows the pace.
    public static func checkpoints(_ period: Period) -> [LocalDate] {
        let last = period.end.adding(days: -1)
        var days: [LocalDate] = switch period.grain {
        case .day, .week, .month: (0..<period.dayCount).map { period.start.adding(days: $0) }
        case .quarter, .halfYear: (0..<period.dayCount).map { period.start.adding(days: $0) }.filter { $0.isoWeekday == 7 }
        case .year: Period.covering(from: period.start, through: last, grain: .month).map { $0.end.adding(days: -1) }
        }
        if days.last != last { days.append(last) }
        return days
    }

    /// Where a plan spread evenly over the period stands at the end of `day`: the line the cumulative actual is held
    /// against.
    public static func evenShare(of target: Int64, _ period: Period, through day: LocalDate) -> Int64 {
        let elapsed = min(max(period.start.days(until: day) + 1, 0), period.dayCount)
        return Int64((Double(target) * Double(elapsed) / Double(period.dayCount)).rounded())
    }
}
