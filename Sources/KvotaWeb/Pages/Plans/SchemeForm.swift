import Foundation
import KvotaCore

/// The scheme editor's fields and the rules they make, both ways: a form filled from an existing version, and the
/// rules read back from a post, each unreadable field named. Money is in whole units of the base currency, shares and
/// fulfilment in percent; a tier is a line "from % multiplier" (no multiplier: pay the fulfilment itself), a KPI a
/// line "measure weight target" (a plan measure with its target), or "kpi weight [target]" (any KPI; without a
/// target, the person's KPI target).
struct SchemeForm {
    var fields: [String: String]

    static let money = ["fixedMonthly", "planCap", "kpiAmount", "weeklyAmount"]

    init(fields: [String: String]) { self.fields = fields }

    init(name: String, appliesTo: String, effectiveFrom: String, rules: PayRules, currency: Currency) {
        func money(_ minor: Int64) -> String { PlanFigures.decimalText(minor, digits: currency.minorUnitDigits) }
        func percent(_ fraction: Double) -> String { Self.number(fraction * 100) }
        var f = ["name": name, "appliesTo": appliesTo, "effectiveFrom": effectiveFrom, "fixedMonthly": money(rules.fixedMonthly),
                 "clawback": rules.clawback ? "on" : ""]
        if let bonus = rules.planBonus {
            f["planMeasure"] = bonus.measure.rawValue
            f["planSource"] = bonus.plan.rawValue
            f["planBaseKind"] = bonus.baseKind.rawValue
            f["planBase"] = bonus.baseKind == .amount ? money(bonus.base) : Self.number(Double(bonus.base) / 100)
            f["planThreshold"] = percent(bonus.curve.threshold)
            f["planTiers"] = bonus.curve.tiers.map { tier in
                percent(tier.from) + (tier.multiplier.map { " " + Self.number($0) } ?? "")
            }.joined(separator: "\n")
            f["planCap"] = bonus.cap.map(money) ?? ""
        }
        if let kpi = rules.kpiBonus {
            f["kpiAmount"] = money(kpi.amount)
            f["kpiItems"] = (kpi.items.map { "\($0.measure.rawValue) \(Self.number($0.weight)) \($0.target)" }
                + kpi.kpis.map { "\($0.kpi.rawValue) \(Self.number($0.weight))" + ($0.target.map { " " + Self.number($0) } ?? "") })
                .joined(separator: "\n")
            f["kpiMin"] = percent(kpi.minScore)
            f["kpiMax"] = percent(kpi.maxScore)
        }
        if let weekly = rules.weeklyBonus {
            f["weeklyMeasure"] = weekly.measure.rawValue
            f["weeklyAmount"] = money(weekly.amount)
        }
        fields = f
    }

    subscript(_ name: String) -> String { fields[name]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }

    /// The rules the fields make, or nil with each field's problem in `errors` (in the reader's language).
    func rules(currency: Currency, _ t: Localizer, errors: inout [String: String]) -> PayRules? {
        func money(_ name: String, required: Bool = false) -> Int64? {
            guard !self[name].isEmpty else { if required { errors[name] = t(.schemeMoneyInvalid) }; return nil }
            guard let value = ImportText.minorUnits(self[name], digits: currency.minorUnitDigits), value >= 0 else {
                errors[name] = t(.schemeMoneyInvalid); return nil
            }
            return value
        }
        func percent(_ name: String, default fallback: Double) -> Double {
            guard !self[name].isEmpty else { return fallback }
            guard let value = Self.decimal(self[name]), value >= 0 else { errors[name] = t(.schemePercentInvalid); return fallback }
            return value / 100
        }
        func measure(_ name: String) -> PlanMeasure? { PlanMeasure(rawValue: self[name]) }

        var rules = PayRules(fixedMonthly: money("fixedMonthly") ?? 0, clawback: !self["clawback"].isEmpty)
        if let planMeasure = measure("planMeasure") {
            let kind = PlanBonus.BaseKind(rawValue: self["planBaseKind"]) ?? .amount
            var base: Int64 = 0
            if kind == .amount { base = money("planBase", required: true) ?? 0 } else if let share = Self.decimal(self["planBase"]), share >= 0 {
                base = Int64((share * 100).rounded())
            } else { errors["planBase"] = t(.schemePercentInvalid) }
            var tiers: [FulfilmentCurve.Tier] = []
            for line in self["planTiers"].split(whereSeparator: \.isNewline) {
                let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" }).map(String.init)
                guard let from = parts.first.flatMap(Self.decimal), parts.count <= 2 else { errors["planTiers"] = t(.schemeTiersInvalid); continue }
                var multiplier: Double?
                if parts.count == 2 {
                    guard let m = Self.decimal(parts[1]) else { errors["planTiers"] = t(.schemeTiersInvalid); continue }
                    multiplier = m
                }
                tiers.append(.init(from: from / 100, multiplier: multiplier))
            }
            if tiers.isEmpty, errors["planTiers"] == nil { errors["planTiers"] = t(.schemeTiersInvalid) }
            rules.planBonus = PlanBonus(measure: planMeasure, plan: PlanBonus.Source(rawValue: self["planSource"]) ?? .own, baseKind: kind,
                                        base: base, curve: FulfilmentCurve(threshold: percent("planThreshold", default: 0), tiers: tiers),
                                        cap: money("planCap"))
        }
        if let amount = money("kpiAmount") {
            var items: [KPIBonus.Item] = [], kpis: [KPIBonus.KPIItem] = []
            for line in self["kpiItems"].split(whereSeparator: \.isNewline) {
                let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" }).map(String.init)
                guard (2...3).contains(parts.count), let weight = Self.decimal(parts[1]) else { errors["kpiItems"] = t(.schemeKpisInvalid); continue }
                // A plan measure with a whole-number target is the plan-measure kind; anything else a KPI.
                if parts.count == 3, let m = PlanMeasure(rawValue: parts[0]), let target = Int64(parts[2]) {
                    items.append(.init(measure: m, weight: weight, target: target))
                } else if let kpi = KPI(rawValue: parts[0]), parts.count == 2 || Self.decimal(parts[2]) != nil {
                    kpis.append(.init(kpi: kpi, weight: weight, target: parts.count == 3 ? Self.decimal(parts[2]) : nil))
                } else {
                    errors["kpiItems"] = t(.schemeKpisInvalid)
                }
            }
            if items.isEmpty, kpis.isEmpty, errors["kpiItems"] == nil { errors["kpiItems"] = t(.schemeKpisInvalid) }
            rules.kpiBonus = KPIBonus(amount: amount, items: items, kpis: kpis, minScore: percent("kpiMin", default: 0),
                                      maxScore: percent("kpiMax", default: 1.5))
        }
        if let amount = money("weeklyAmount") {
            rules.weeklyBonus = WeeklyBonus(measure: measure("weeklyMeasure") ?? .revenue, amount: amount)
        }
        return errors.isEmpty ? rules : nil
    }

    static func decimal(_ text: String) -> Double? { Double(text.replacingOccurrences(of: ",", with: ".")) }

    static func number(_ value: Double) -> String {
        let rounded = (value * 10_000).rounded() / 10_000
        return rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)
    }
}
