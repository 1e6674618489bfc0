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
}
