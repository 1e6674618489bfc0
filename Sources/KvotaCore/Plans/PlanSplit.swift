/// Splitting a plan one level down (issue 7, "Decomposition"): the company into teams, a team into its reps, or a
/// period into shorter ones, equally, in proportion to a basis (the previous period's actuals, or the same period a
/// year earlier for seasonality), or by hand.
public enum PlanSplit {
    public enum Level: String, CaseIterable, Sendable {
        /// company → teams, team → reps; the period stays.
        case subject
        /// year → quarters → months → weeks (or any finer grain); the subject stays.
        case period
    }

    public enum Method: String, CaseIterable, Sendable {
        case equal
        /// In proportion to each part's actuals over the period before.
        case previous
        /// In proportion to each part's actuals over the same period a year earlier (seasonality).
        case lastYear = "last_year"
        /// The parts as given.
        case manual
    }

    /// One part of a split: who and when, and its targets.
    public struct Part: Hashable, Sendable {
        public var subject: PlanSubject
        public var period: Period
        public var targets: [PlanTarget]

        public init(subject: PlanSubject, period: Period, targets: [PlanTarget]) {
            self.subject = subject; self.period = period; self.targets = targets
        }
    }

    /// The sum check per measure: what the parts assign against the plan's target.
    public struct Check: Hashable, Sendable {
        public let measure: PlanMeasure
        public let target: Int64
        public let assigned: Int64
        /// target − assigned: unassigned when positive, over-assigned when negative.
        public var remainder: Int64 { target - assigned }
    }

    public static func checks(of parts: [Part], against targets: [PlanTarget]) -> [Check] {
        targets.map { target in
            Check(measure: target.measure, target: target.target,
                  assigned: parts.reduce(0) { $0 + ($1.targets.first { $0.measure == target.measure }?.target ?? 0) })
        }
    }

    /// `total` shared in proportion to `weights`, in whole units that add up to exactly `total`: each part gets the
    /// floor of its share, and the units left go to the largest fractions (the earlier part on a tie). Nil when the
    /// weights add up to nothing (there is no proportion to follow). Negative weights (a month of returns) count as 0.
    public static func apportion(_ total: Int64, weights: [Int64]) -> [Int64]? {
        let clean = weights.map { max($0, 0) }
        let sum = clean.reduce(0, +)
        guard sum > 0 else { return nil }
        var shares: [Int64] = []
        var fractions: [(index: Int, rest: Double)] = []
        for (index, weight) in clean.enumerated() {
            // Double keeps money-sized products exact enough (2^53 units), and the remainder is settled in integers.
            let exact = Double(total) * Double(weight) / Double(sum)
            let floor = Int64(exact.rounded(.down))
            shares.append(floor)
            fractions.append((index, exact - Double(floor)))
        }
        var left = total - shares.reduce(0, +)
        for (index, _) in fractions.sorted(by: { $0.rest != $1.rest ? $0.rest > $1.rest : $0.index < $1.index }) where left > 0 {
            shares[index] += 1
            left -= 1
        }
        // Rounding of a huge total could leave a unit either way; settle it on the first part so the sum is exact.
        shares[0] += left
        return shares
    }

    /// The periods a plan's period splits into at `grain` (default: the next finer one). Months, quarters and
    /// half-years nest exactly; a week belongs to the period holding its Thursday (as ISO weeks belong to years), so
    /// the weeks of a month cover whole weeks and some of them reach into the month before or after.
    public static func periods(of period: Period, grain: PeriodGrain?) throws(ValueError) -> [Period] {
        let finer: [PeriodGrain] = [.week, .month, .quarter, .halfYear, .year]
        guard let own = finer.firstIndex(of: period.grain), own > 0 else {
            throw .invalid(field: "grain", reason: "a week's plan does not split into shorter periods")
        }
        // A year goes to quarters (the year → quarters → months → weeks); half-years sit between only when asked.
        let grain = grain ?? (period.grain == .year || period.grain == .halfYear ? .quarter : finer[own - 1])
        guard let index = finer.firstIndex(of: grain), index < own else {
            throw .invalid(field: "grain", reason: "expected a grain shorter than \(period.grain.rawValue), got \(grain.rawValue)")
        }
        if grain == .week {
            return Period.covering(from: period.start.adding(days: -3), through: period.end.adding(days: -4), grain: .week)
                .filter { period.contains($0.start.adding(days: 3)) }
        }
        // Stepping from the plan's own start keeps a fiscal year's quarters on the fiscal year (and is the calendar's
        // for a calendar period).
        var parts: [Period] = []
        var start = period.start
        while start < period.end {
            parts.append(Period(grain, from: start))
            start = start.adding(months: grain.months!)
        }
        return parts
    }
}
