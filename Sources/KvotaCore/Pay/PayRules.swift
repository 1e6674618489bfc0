import Foundation

/// What a compensation scheme pays (issue 7, "Motivation"), in minor units of the base currency. Stored and sent as
/// JSON in this shape, so a scheme's version keeps exactly the rules it was approved with.
public struct PayRules: Hashable, Sendable, Codable {
    /// Paid for a whole month; a month the scheme was in force for only some days pays those days' share.
    public var fixedMonthly: Int64
    public var planBonus: PlanBonus?
    public var kpiBonus: KPIBonus?
    public var weeklyBonus: WeeklyBonus?
    /// A cancelled or returned order after a payout reduces the next payout by the plan bonus it no longer earns.
    public var clawback: Bool

    public init(fixedMonthly: Int64 = 0, planBonus: PlanBonus? = nil, kpiBonus: KPIBonus? = nil, weeklyBonus: WeeklyBonus? = nil,
                clawback: Bool = false) {
        self.fixedMonthly = fixedMonthly; self.planBonus = planBonus; self.kpiBonus = kpiBonus; self.weeklyBonus = weeklyBonus
        self.clawback = clawback
    }

    enum CodingKeys: String, CodingKey { case fixedMonthly, planBonus, kpiBonus, weeklyBonus, clawback }

    /// Every part may be left out: no fixed salary, no bonus of a kind, no clawback.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        fixedMonthly = try c.decodeIfPresent(Int64.self, forKey: .fixedMonthly) ?? 0
        planBonus = try c.decodeIfPresent(PlanBonus.self, forKey: .planBonus)
        kpiBonus = try c.decodeIfPresent(KPIBonus.self, forKey: .kpiBonus)
        weeklyBonus = try c.decodeIfPresent(WeeklyBonus.self, forKey: .weeklyBonus)
        clawback = try c.decodeIfPresent(Bool.self, forKey: .clawback) ?? false
    }
}

/// A bonus for fulfilling the month's plan on one measure: a base times the multiplier the fulfilment curve gives.
public struct PlanBonus: Hashable, Sendable, Codable {
    public enum BaseKind: String, CaseIterable, Sendable, Codable {
        /// A fixed amount (minor units).
        case amount
        /// A share of the month's revenue or margin, in basis points (500 = 5 %).
        case revenuePercent = "revenue_percent"
        case marginPercent = "margin_percent"
    }

    /// Whose plan: the user's own month plan, or (for a head of sales) the month plan of the team they lead, with the
    /// team's actuals (the members' over their days in it) as the base too.
    public enum Source: String, CaseIterable, Sendable, Codable {
        case own, team
    }

    /// The planned measure whose fulfilment drives the curve (default revenue).
    public var measure: PlanMeasure
    public var plan: Source
    public var baseKind: BaseKind
    /// Minor units for `amount`, basis points otherwise.
    public var base: Int64
    public var curve: FulfilmentCurve
    /// The most this bonus pays in a month (minor units); nil: no cap.
    public var cap: Int64?

    public init(measure: PlanMeasure = .revenue, plan: Source = .own, baseKind: BaseKind, base: Int64, curve: FulfilmentCurve,
                cap: Int64? = nil) {
        self.measure = measure; self.plan = plan; self.baseKind = baseKind; self.base = base; self.curve = curve; self.cap = cap
    }

    enum CodingKeys: String, CodingKey { case measure, plan, baseKind, base, curve, cap }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        measure = try c.decodeIfPresent(PlanMeasure.self, forKey: .measure) ?? .revenue
        plan = try c.decodeIfPresent(Source.self, forKey: .plan) ?? .own
        baseKind = try c.decode(BaseKind.self, forKey: .baseKind)
        base = try c.decode(Int64.self, forKey: .base)
        curve = try c.decode(FulfilmentCurve.self, forKey: .curve)
        cap = try c.decodeIfPresent(Int64.self, forKey: .cap)
    }
}

/// From fulfilment (actual / plan) to a multiplier: nothing below the threshold, then the tier the fulfilment falls
/// in. A tier pays its fixed multiplier, or the fulfilment itself when it has none (linear), so accelerators above
/// 100 % are tiers with multipliers above 1.
public struct FulfilmentCurve: Hashable, Sendable, Codable {
    public struct Tier: Hashable, Sendable, Codable {
        /// The lowest fulfilment of the tier, as a fraction (1.0 = 100 %).
        public var from: Double
        /// Nil: the fulfilment itself.
        public var multiplier: Double?

        public init(from: Double, multiplier: Double?) { self.from = from; self.multiplier = multiplier }
    }

    public var threshold: Double
    /// Ascending by `from`.
    public var tiers: [Tier]

    public init(threshold: Double, tiers: [Tier]) { self.threshold = threshold; self.tiers = tiers }

    /// The tier `fulfilment` falls in (nil below the threshold or the first tier) and the multiplier it gives.
    public func multiplier(for fulfilment: Double) -> (tier: Int?, value: Double) {
        guard fulfilment >= threshold, let index = tiers.lastIndex(where: { $0.from <= fulfilment }) else { return (nil, 0) }
        return (index, tiers[index].multiplier ?? fulfilment)
    }

    /// "100–120 %" or "from 120 %": the range a tier covers, for a statement.
    public func describe(tier index: Int) -> String {
        let from = Self.percent(tiers[index].from)
        return index + 1 < tiers.count ? "\(from)–\(Self.percent(tiers[index + 1].from)) %" : "from \(from) %"
    }

    static func percent(_ fraction: Double) -> String {
        let value = (fraction * 1000).rounded() / 10
        return value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// A bonus for KPIs: each KPI's actual against its target, clamped to a range, weighted; the amount times the score.
public struct KPIBonus: Hashable, Sendable, Codable {
    public struct Item: Hashable, Sendable, Codable {
        public var measure: PlanMeasure
        public var weight: Double
        public var target: Int64

        public init(measure: PlanMeasure, weight: Double, target: Int64) { self.measure = measure; self.weight = weight; self.target = target }
    }

    /// A KPI of METRICS.md "KPIs" scored against a target: the item's own, else the person's KPI target (their own,
    /// else their role's; `KPITarget`) over the month.
    public struct KPIItem: Hashable, Sendable, Codable {
        public var kpi: KPI
        public var weight: Double
        public var target: Double?

        public init(kpi: KPI, weight: Double, target: Double? = nil) { self.kpi = kpi; self.weight = weight; self.target = target }
    }

    public var amount: Int64
    public var items: [Item]
    public var kpis: [KPIItem]
    /// Each KPI's score (actual / target) is held within these.
    public var minScore: Double
    public var maxScore: Double

    public init(amount: Int64, items: [Item], kpis: [KPIItem] = [], minScore: Double = 0, maxScore: Double = 1.5) {
        self.amount = amount; self.items = items; self.kpis = kpis; self.minScore = minScore; self.maxScore = maxScore
    }

    enum CodingKeys: String, CodingKey { case amount, items, kpis, minScore, maxScore }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        amount = try c.decode(Int64.self, forKey: .amount)
        items = try c.decodeIfPresent([Item].self, forKey: .items) ?? []
        kpis = try c.decodeIfPresent([KPIItem].self, forKey: .kpis) ?? []
        minScore = try c.decodeIfPresent(Double.self, forKey: .minScore) ?? 0
        maxScore = try c.decodeIfPresent(Double.self, forKey: .maxScore) ?? 1.5
    }
}

/// An amount for each week of the month whose weekly plan was met on a measure (a week belongs to the month holding
/// its Thursday).
public struct WeeklyBonus: Hashable, Sendable, Codable {
    public var measure: PlanMeasure
    public var amount: Int64

    public init(measure: PlanMeasure = .revenue, amount: Int64) { self.measure = measure; self.amount = amount }

    enum CodingKeys: String, CodingKey { case measure, amount }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        measure = try c.decodeIfPresent(PlanMeasure.self, forKey: .measure) ?? .revenue
        amount = try c.decode(Int64.self, forKey: .amount)
    }
}

extension PayRules {
    /// Every problem of the rules, each naming its field under `field`.
    public func check(into errors: inout ValidationFailure.Collector, field: String = "rules") {
        errors.check(fixedMonthly >= 0, "\(field).fixedMonthly", "must be 0 or more")
        if let bonus = planBonus {
            let f = "\(field).planBonus"
            errors.check(bonus.base >= 0, "\(f).base", "must be 0 or more")
            errors.check(bonus.baseKind == .amount || bonus.base <= 10_000, "\(f).base", "a share is at most 10000 basis points (100 %)")
            errors.check((bonus.cap ?? 0) >= 0, "\(f).cap", "must be 0 or more")
            errors.check(bonus.curve.threshold >= 0 && bonus.curve.threshold <= 10, "\(f).curve.threshold", "expected a fraction from 0 to 10 (1.0 = 100 %)")
            errors.check(!bonus.curve.tiers.isEmpty, "\(f).curve.tiers", "a curve needs at least one tier")
            for (index, tier) in bonus.curve.tiers.enumerated() {
                errors.check(tier.from >= 0 && tier.from <= 10, "\(f).curve.tiers[\(index)].from", "expected a fraction from 0 to 10 (1.0 = 100 %)")
                errors.check((tier.multiplier ?? 0) >= 0 && (tier.multiplier ?? 0) <= 10, "\(f).curve.tiers[\(index)].multiplier",
                             "expected a multiplier from 0 to 10")
                if index > 0 {
                    errors.check(tier.from > bonus.curve.tiers[index - 1].from, "\(f).curve.tiers[\(index)].from", "tiers must ascend")
                }
            }
        }
        if let bonus = kpiBonus {
            let f = "\(field).kpiBonus"
            errors.check(bonus.amount >= 0, "\(f).amount", "must be 0 or more")
            errors.check(!bonus.items.isEmpty || !bonus.kpis.isEmpty, "\(f).items", "a KPI bonus needs at least one KPI")
            errors.check(bonus.minScore >= 0 && bonus.minScore <= bonus.maxScore && bonus.maxScore <= 10, "\(f).maxScore",
                         "expected 0 ≤ minScore ≤ maxScore ≤ 10")
            for (index, item) in bonus.items.enumerated() {
                errors.check(item.weight > 0, "\(f).items[\(index)].weight", "must be more than 0")
                errors.check(item.target > 0, "\(f).items[\(index)].target", "must be more than 0")
            }
            for (index, item) in bonus.kpis.enumerated() {
                errors.check(item.weight > 0, "\(f).kpis[\(index)].weight", "must be more than 0")
                if let target = item.target { KPITarget.check(target, of: item.kpi, into: &errors, field: "\(f).kpis[\(index)].target") }
            }
        }
        if let bonus = weeklyBonus {
            errors.check(bonus.amount >= 0, "\(field).weeklyBonus.amount", "must be 0 or more")
        }
    }
}
