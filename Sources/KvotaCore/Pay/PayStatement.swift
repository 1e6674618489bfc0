import Foundation

/// What one user's pay for one month is computed from: the schemes in force and for how many days, the month's plan
/// and actuals, the weeks' plans, and what earlier payouts now owe back.
public struct PayInputs: Hashable, Sendable {
    /// A scheme in force for some days of the month (a scheme changed mid-month, or a move to a team with another).
    public struct Segment: Hashable, Sendable {
        public var scheme: String
        public var rules: PayRules
        public var days: Int

        public init(scheme: String, rules: PayRules, days: Int) { self.scheme = scheme; self.rules = rules; self.days = days }
    }

    /// A week of the month (by its Thursday) under the weekly bonus in force that day.
    public struct Week: Hashable, Sendable {
        public var period: Period
        public var bonus: WeeklyBonus
        /// The user's weekly plan's target on the bonus' measure; nil: no weekly plan.
        public var target: Int64?
        public var actual: Int64

        public init(period: Period, bonus: WeeklyBonus, target: Int64?, actual: Int64) {
            self.period = period; self.bonus = bonus; self.target = target; self.actual = actual
        }
    }

    /// What an earlier, approved payout paid as plan bonus and what the same rules give on today's actuals.
    public struct Clawback: Hashable, Sendable {
        public var period: Period
        public var paid: Int64
        public var earnedNow: Int64
        /// Already taken back by later payouts.
        public var takenBack: Int64

        public init(period: Period, paid: Int64, earnedNow: Int64, takenBack: Int64 = 0) {
            self.period = period; self.paid = paid; self.earnedNow = earnedNow; self.takenBack = takenBack
        }

        public var due: Int64 { max(paid - earnedNow - takenBack, 0) }
    }

    public var period: Period
    public var currency: Currency
    public var segments: [Segment]
    /// The user's month plan targets.
    public var targets: [PlanMeasure: Int64]
    /// The month's actuals on every measure the rules read (revenue and margin always).
    public var actuals: [PlanMeasure: Int64]
    /// For a plan bonus on the team's plan: the led team's month plan targets and the team's actuals.
    public var teamTargets: [PlanMeasure: Int64]
    public var teamActuals: [PlanMeasure: Int64]
    public var weeks: [Week]
    public var clawbacks: [Clawback]
    /// For a KPI bonus on KPIs: the month's value of each (nil: none, e.g. a rate of nothing) and the person's target
    /// over the month, where they have one.
    public var kpiValues: [KPI: Double?]
    public var kpiTargets: [KPI: Double]

    public init(period: Period, currency: Currency, segments: [Segment], targets: [PlanMeasure: Int64], actuals: [PlanMeasure: Int64],
                weeks: [Week] = [], clawbacks: [Clawback] = [], teamTargets: [PlanMeasure: Int64] = [:],
                teamActuals: [PlanMeasure: Int64] = [:], kpiValues: [KPI: Double?] = [:], kpiTargets: [KPI: Double] = [:]) {
        self.period = period; self.currency = currency; self.segments = segments; self.targets = targets; self.actuals = actuals
        self.weeks = weeks; self.clawbacks = clawbacks; self.teamTargets = teamTargets; self.teamActuals = teamActuals
        self.kpiValues = kpiValues; self.kpiTargets = kpiTargets
    }
}

/// One user's pay for one month, line by line, each line saying in words and numbers how it came about
/// ("revenue plan 112 % → tier 100–120 % → ×1.2 × 5 % × 1 240 000.00 = 74 400.00").
public struct PayStatement: Hashable, Sendable {
    public enum Kind: String, CaseIterable, Sendable, Codable {
        case fixed
        case planBonus = "plan_bonus"
        case kpiBonus = "kpi_bonus"
        case weeklyBonus = "weekly_bonus"
        case clawback
    }

    public struct Line: Hashable, Sendable, Codable {
        public var kind: Kind
        public var amount: Int64
        public var explanation: String
        /// For a clawback: the month (label) it takes back from.
        public var from: String?

        public init(kind: Kind, amount: Int64, explanation: String, from: String? = nil) {
            self.kind = kind; self.amount = amount; self.explanation = explanation; self.from = from
        }
    }

    public var lines: [Line]
    public var total: Int64 { lines.reduce(0) { $0 + $1.amount } }

    /// The plan bonus alone, as a clawback later compares it.
    public var planBonus: Int64 { lines.filter { $0.kind == .planBonus }.reduce(0) { $0 + $1.amount } }

    public init(lines: [Line]) { self.lines = lines }

    public init(_ inputs: PayInputs) {
        var lines: [Line] = []
        let days = inputs.period.dayCount
        let money = { (minor: Int64) in PayStatement.money(minor, inputs.currency) }
        for segment in inputs.segments where segment.days > 0 {
            let share = Double(segment.days) / Double(days)
            let partial = segment.days < days
            let scheme = inputs.segments.count > 1 ? "\(segment.scheme): " : ""
            let prorate = partial ? " × \(segment.days)/\(days) days" : ""
            let rules = segment.rules
            if rules.fixedMonthly > 0 {
                let amount = Self.round(Double(rules.fixedMonthly) * share)
                lines.append(Line(kind: .fixed, amount: amount,
                                  explanation: "\(scheme)fixed salary \(money(rules.fixedMonthly))\(prorate)" + (partial ? " = \(money(amount))" : "")))
            }
            // A bonus is worked out on the whole month and paid for the days the scheme was in force.
            let prorated = { (amount: Int64) in partial && amount > 0 ? "\(prorate) = \(money(amount))" : "" }
            if let bonus = rules.planBonus {
                let (amount, text) = Self.planBonus(bonus, inputs: inputs, share: share, money: money)
                lines.append(Line(kind: .planBonus, amount: amount, explanation: scheme + text + prorated(amount)))
            }
            if let bonus = rules.kpiBonus {
                let (amount, text) = Self.kpiBonus(bonus, inputs: inputs, share: share, money: money)
                lines.append(Line(kind: .kpiBonus, amount: amount, explanation: scheme + text + prorated(amount)))
            }
        }
        let weeks = inputs.weeks
        if !weeks.isEmpty {
            let met = weeks.filter { ($0.target ?? 0) > 0 && $0.actual >= $0.target! }
            let amount = met.reduce(0) { $0 + $1.bonus.amount }
            let measure = weeks[0].bonus.measure.rawValue
            let named = met.isEmpty ? "" : " (" + met.map(\.period.label).joined(separator: ", ") + ")"
            let each = Set(weeks.map(\.bonus.amount)).count == 1 ? " × \(money(weeks[0].bonus.amount))" : ""
            lines.append(Line(kind: .weeklyBonus, amount: amount,
                              explanation: "weekly \(measure) plans met in \(met.count) of \(weeks.count) weeks\(named)\(each) = \(money(amount))"))
        }
        for clawback in inputs.clawbacks where clawback.due > 0 {
            lines.append(Line(kind: .clawback, amount: -clawback.due, explanation:
                "clawback for \(clawback.period.label): orders changed after its payout; its plan bonus is now \(money(clawback.earnedNow)) instead of \(money(clawback.paid))"
                + (clawback.takenBack > 0 ? ", \(money(clawback.takenBack)) already taken back" : "") + " → −\(money(clawback.due))",
                              from: clawback.period.label))
        }
        self.lines = lines
    }

    /// The plan bonus of one scheme for the whole month, times the share of days it was in force.
    public static func planBonus(_ bonus: PlanBonus, inputs: PayInputs, share: Double, money: (Int64) -> String) -> (Int64, String) {
        let team = bonus.plan == .team
        let targets = team ? inputs.teamTargets : inputs.targets, actuals = team ? inputs.teamActuals : inputs.actuals
        let measure = (team ? "team " : "") + bonus.measure.rawValue
        guard let target = targets[bonus.measure], target > 0 else {
            return (0, "no approved \(measure) plan for \(inputs.period.label) → 0")
        }
        let actual = actuals[bonus.measure] ?? 0
        let fulfilment = Double(actual) / Double(target)
        let head = "\(measure) plan \(FulfilmentCurve.percent(fulfilment)) %"
        let (tier, multiplier) = bonus.curve.multiplier(for: fulfilment)
        guard let tier else {
            return (0, head + " → below the \(FulfilmentCurve.percent(bonus.curve.threshold)) % threshold → 0")
        }
        let times = "×\(Self.number(multiplier))"
        let base: Double
        let baseText: String
        switch bonus.baseKind {
        case .amount:
            base = Double(bonus.base)
            baseText = money(bonus.base)
        case .revenuePercent, .marginPercent:
            let of = bonus.baseKind == .revenuePercent ? actuals[.revenue] ?? 0 : actuals[.margin] ?? 0
            base = Double(bonus.base) / 10_000 * Double(max(of, 0))
            baseText = "\(Self.number(Double(bonus.base) / 100)) % × \(money(max(of, 0)))"
        }
        var amount = Self.round(multiplier * base)
        var text = "\(head) → tier \(bonus.curve.describe(tier: tier)) → \(times) × \(baseText) = \(money(amount))"
        if let cap = bonus.cap, amount > cap {
            amount = cap
            text += ", capped at \(money(cap))"
        }
        if share < 1 {
            amount = Self.round(Double(amount) * share)
        }
        return (amount, text)
    }

    static func kpiBonus(_ bonus: KPIBonus, inputs: PayInputs, share: Double, money: (Int64) -> String) -> (Int64, String) {
        var weighted = 0.0, weights = 0.0
        var parts: [String] = []
        for item in bonus.items {
            let actual = inputs.actuals[item.measure] ?? 0
            let raw = Double(actual) / Double(item.target)
            let score = min(max(raw, bonus.minScore), bonus.maxScore)
            weighted += score * item.weight
            weights += item.weight
            let clamp = score != raw ? " → \(number(score))" : ""
            parts.append("\(item.measure.rawValue) \(actual)/\(item.target) = \(number(raw))\(clamp) × weight \(number(item.weight))")
        }
        for item in bonus.kpis {
            weights += item.weight
            let value = inputs.kpiValues[item.kpi] ?? nil
            guard let target = item.target ?? inputs.kpiTargets[item.kpi] else {
                // No target: the KPI scores its lowest, and the statement says why.
                weighted += bonus.minScore * item.weight
                parts.append("\(item.kpi.rawValue): no target → \(number(bonus.minScore)) × weight \(number(item.weight))")
                continue
            }
            let raw = KPITarget.score(item.kpi, actual: value, target: target) ?? bonus.minScore
            let score = min(max(raw, bonus.minScore), bonus.maxScore)
            weighted += score * item.weight
            let clamp = score != raw ? " → \(number(score))" : ""
            let ratio = item.kpi.lowerIsBetter ? "\(number(target))/\(value.map(number) ?? "–")" : "\(value.map(number) ?? "–")/\(number(target))"
            parts.append("\(item.kpi.rawValue) \(ratio) = \(number(raw))\(clamp) × weight \(number(item.weight))")
        }
        let score = weights > 0 ? weighted / weights : 0
        let amount = round(Double(bonus.amount) * score * share)
        return (amount, "KPIs: " + parts.joined(separator: ", ") + " → score \(number(score)) × \(money(bonus.amount)) = \(money(round(Double(bonus.amount) * score)))")
    }

    static func round(_ value: Double) -> Int64 { Int64(value.rounded()) }

    /// Up to three decimals, without trailing zeros.
    static func number(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        if rounded == rounded.rounded() { return String(Int64(rounded)) }
        var text = String(format: "%.3f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// An amount in major units with its decimals and spaces between thousands: 1240000_00 → "1 240 000.00".
    static func money(_ minor: Int64, _ currency: Currency) -> String {
        let plain = Money(minorUnits: minor, currency: currency).decimalText
        let negative = plain.hasPrefix("-")
        let body = negative ? String(plain.dropFirst()) : plain
        let parts = body.split(separator: ".", maxSplits: 1).map(String.init)
        var digits = Array(parts[0])
        var grouped = ""
        while digits.count > 3 {
            grouped = " " + String(digits.suffix(3)) + grouped
            digits.removeLast(3)
        }
        grouped = String(digits) + grouped
        return (negative ? "-" : "") + grouped + (parts.count > 1 ? "." + parts[1] : "")
    }
}
