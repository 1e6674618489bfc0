import Testing
@testable import KvotaCore

/// Pay worked out by hand, element by element and combined (docs/plans.md "Pay").
struct PayStatementTests {
    static let november = try! Period(label: "2026-11")
    /// Nothing below 80 %, the fulfilment itself up to 100 %, ×1.2 to 120 %, ×1.5 above.
    static let curve = FulfilmentCurve(threshold: 0.8, tiers: [.init(from: 0.8, multiplier: nil), .init(from: 1.0, multiplier: 1.2),
                                                               .init(from: 1.2, multiplier: 1.5)])
    /// 5 % of revenue along the curve, at most 100 000.00 a month.
    static let fivePercent = PlanBonus(baseKind: .revenuePercent, base: 500, curve: curve, cap: 100_000_00)

    static func statement(_ rules: PayRules, revenue: Int64, target: Int64? = 1_000_000_00, days: Int = 30, margin: Int64 = 0,
                          actuals: [PlanMeasure: Int64] = [:]) -> PayStatement {
        var all = actuals
        all[.revenue] = revenue
        all[.margin] = margin
        return PayStatement(PayInputs(period: november, currency: .EUR, segments: [.init(scheme: "Reps", rules: rules, days: days)],
                                      targets: target.map { [.revenue: $0] } ?? [:], actuals: all))
    }

    @Test func aPlanBonusFollowsTheTierTheFulfilmentFallsIn() {
        // 1 120 000 of 1 000 000: 112 % → ×1.2; 5 % of 1 120 000 = 56 000; × 1.2 = 67 200.
        let line = Self.statement(PayRules(planBonus: Self.fivePercent), revenue: 1_120_000_00).lines[0]
        #expect(line.kind == .planBonus && line.amount == 67_200_00)
        #expect(line.explanation == "revenue plan 112 % → tier 100–120 % → ×1.2 × 5 % × 1 120 000.00 = 67 200.00")
    }

    @Test func belowTheThresholdNothingLinearBelowOneHundredAndACapAbove() {
        let below = Self.statement(PayRules(planBonus: Self.fivePercent), revenue: 750_000_00).lines[0]
        #expect(below.amount == 0 && below.explanation == "revenue plan 75 % → below the 80 % threshold → 0")
        // A fixed base of 50 000: at 90 % the linear tier pays 0.9 × 50 000 = 45 000.
        let fixedBase = PlanBonus(baseKind: .amount, base: 50_000_00, curve: Self.curve)
        let linear = Self.statement(PayRules(planBonus: fixedBase), revenue: 900_000_00).lines[0]
        #expect(linear.amount == 45_000_00 && linear.explanation == "revenue plan 90 % → tier 80–100 % → ×0.9 × 50 000.00 = 45 000.00")
        // 150 %: ×1.5 × 5 % × 1 500 000 = 112 500, capped at 100 000.
        let capped = Self.statement(PayRules(planBonus: Self.fivePercent), revenue: 1_500_000_00).lines[0]
        #expect(capped.amount == 100_000_00)
        #expect(capped.explanation == "revenue plan 150 % → tier from 120 % → ×1.5 × 5 % × 1 500 000.00 = 112 500.00, capped at 100 000.00")
    }

    @Test func aZeroOrMissingPlanPaysNoPlanBonusAndDividesByNothing() {
        for target in [Int64(0), nil] {
            let line = Self.statement(PayRules(planBonus: Self.fivePercent), revenue: 500_000_00, target: target).lines[0]
            #expect(line.amount == 0 && line.explanation == "no approved revenue plan for 2026-11 → 0")
        }
    }

    @Test func aMarginBaseReadsTheMargin() {
        let bonus = PlanBonus(baseKind: .marginPercent, base: 1_000, curve: FulfilmentCurve(threshold: 0, tiers: [.init(from: 0, multiplier: 1)]))
        // 10 % of a 300 000 margin at ×1 = 30 000.
        let line = Self.statement(PayRules(planBonus: bonus), revenue: 1_000_000_00, margin: 300_000_00).lines[0]
        #expect(line.amount == 30_000_00 && line.explanation == "revenue plan 100 % → tier from 0 % → ×1 × 10 % × 300 000.00 = 30 000.00")
    }

    @Test func theKPIScoreIsTheWeightedClampedRatio() {
        // Calls 180/200 = 0.9; meetings 14/10 = 1.4, held at 1.2; equal weights → 1.05; × 20 000 = 21 000.
        let kpi = KPIBonus(amount: 20_000_00, items: [.init(measure: .outboundCalls, weight: 1, target: 200), .init(measure: .meetingsHeld, weight: 1, target: 10)],
                           minScore: 0, maxScore: 1.2)
        let line = Self.statement(PayRules(kpiBonus: kpi), revenue: 0, actuals: [.outboundCalls: 180, .meetingsHeld: 14]).lines[0]
        #expect(line.amount == 21_000_00)
        #expect(line.explanation == "KPIs: outbound_calls 180/200 = 0.9 × weight 1, meetings_held 14/10 = 1.4 → 1.2 × weight 1 → score 1.05 × 20 000.00 = 21 000.00")
    }

    @Test func anyKPIScoresAgainstTheItemsOrThePersonsTarget() {
        // Tasks on time 0.81 of the person's 0.9 = 0.9; first response 600 s against the item's 300 s (less is better)
        // = 0.5; without a target, the lowest score (0.2). Weights 2, 1, 1 → (1.8 + 0.5 + 0.2) / 4 = 0.625 × 10 000.
        let kpi = KPIBonus(amount: 10_000_00, items: [], kpis: [.init(kpi: .tasksOnTimeRate, weight: 2), .init(kpi: .firstResponseMedianSeconds, weight: 1, target: 300),
                                                           .init(kpi: .meetingsHeld, weight: 1)],
                           minScore: 0.2, maxScore: 1.5)
        let statement = PayStatement(PayInputs(period: Self.november, currency: .EUR, segments: [.init(scheme: "Reps", rules: PayRules(kpiBonus: kpi), days: 30)],
                                               targets: [:], actuals: [:],
                                               kpiValues: [.tasksOnTimeRate: 0.81, .firstResponseMedianSeconds: 600, .meetingsHeld: 4],
                                               kpiTargets: [.tasksOnTimeRate: 0.9]))
        let line = statement.lines[0]
        #expect(line.amount == 6_250_00)
        #expect(line.explanation == "KPIs: tasks_on_time_rate 0.81/0.9 = 0.9 × weight 2, first_response_median_s 300/600 = 0.5 × weight 1, "
                + "meetings_held: no target → 0.2 × weight 1 → score 0.625 × 10 000.00 = 6 250.00")
        // A KPI item is checked like a target: a share above 10 is refused, named.
        var errors = ValidationFailure.Collector()
        PayRules(kpiBonus: KPIBonus(amount: 1, items: [], kpis: [.init(kpi: .winRateCount, weight: 0, target: 12)])).check(into: &errors)
        #expect(Set(errors.errors.map(\.field)) == ["rules.kpiBonus.kpis[0].weight", "rules.kpiBonus.kpis[0].target"])
    }

    @Test func everyWeekWhosePlanWasMetPaysOnce() {
        let bonus = WeeklyBonus(measure: .revenue, amount: 5_000_00)
        let weeks = [("2026-W45", Int64?(100), Int64(120)), ("2026-W46", 100, 100), ("2026-W47", 100, 99), ("2026-W48", nil, 500)].map {
            PayInputs.Week(period: try! Period(label: $0.0), bonus: bonus, target: $0.1, actual: $0.2)
        }
        let statement = PayStatement(PayInputs(period: Self.november, currency: .EUR, segments: [], targets: [:], actuals: [:], weeks: weeks))
        #expect(statement.lines.map(\.amount) == [10_000_00])
        #expect(statement.lines[0].explanation == "weekly revenue plans met in 2 of 4 weeks (2026-W45, 2026-W46) × 5 000.00 = 10 000.00")
    }

    @Test func aSchemeChangedMidMonthPaysEachForItsDays() {
        // 12 days at 30 000 fixed and 5 %, then 18 days at 36 000 and 6 %; 1 120 000 of 1 000 000 sold.
        var newer = PayRules(fixedMonthly: 36_000_00, planBonus: Self.fivePercent)
        newer.planBonus?.base = 600
        let inputs = PayInputs(period: Self.november, currency: .EUR,
                               segments: [.init(scheme: "Reps 2025", rules: PayRules(fixedMonthly: 30_000_00, planBonus: Self.fivePercent), days: 12),
                                          .init(scheme: "Reps 2026", rules: newer, days: 18)],
                               targets: [.revenue: 1_000_000_00], actuals: [.revenue: 1_120_000_00, .margin: 0])
        let statement = PayStatement(inputs)
        // 30 000 × 12/30 = 12 000; 67 200 × 12/30 = 26 880; 36 000 × 18/30 = 21 600; 1.2 × 6 % × 1 120 000 = 80 640 × 18/30 = 48 384.
        #expect(statement.lines.map(\.amount) == [12_000_00, 26_880_00, 21_600_00, 48_384_00])
        #expect(statement.total == 108_864_00)
        #expect(statement.lines[0].explanation == "Reps 2025: fixed salary 30 000.00 × 12/30 days = 12 000.00")
        #expect(statement.lines[3].explanation
                == "Reps 2026: revenue plan 112 % → tier 100–120 % → ×1.2 × 6 % × 1 120 000.00 = 80 640.00 × 18/30 days = 48 384.00")
    }

    @Test func anOrderCancelledAfterAPayoutIsTakenFromTheNextOne() {
        let clawbacks = [PayInputs.Clawback(period: try! Period(label: "2026-10"), paid: 67_200_00, earnedNow: 56_000_00),
                         PayInputs.Clawback(period: try! Period(label: "2026-09"), paid: 50_000_00, earnedNow: 40_000_00, takenBack: 4_000_00),
                         PayInputs.Clawback(period: try! Period(label: "2026-08"), paid: 50_000_00, earnedNow: 60_000_00)]
        let statement = PayStatement(PayInputs(period: Self.november, currency: .EUR,
                                               segments: [.init(scheme: "Reps", rules: PayRules(fixedMonthly: 30_000_00, clawback: true), days: 30)],
                                               targets: [:], actuals: [:], clawbacks: clawbacks))
        // 11 200 for October; 10 000 less the 4 000 already taken for September; August earns more now, which is not paid back.
        #expect(statement.lines.map(\.amount) == [30_000_00, -11_200_00, -6_000_00])
        #expect(statement.total == 12_800_00)
        #expect(statement.lines[2].explanation
                == "clawback for 2026-09: orders changed after its payout; its plan bonus is now 40 000.00 instead of 50 000.00, 4 000.00 already taken back → −6 000.00")
    }

    @Test func aHeadsPlanBonusReadsTheTeamsPlanAndSales() {
        // The team sold 2 300 000 of its 2 000 000: 115 % → ×1.2 × 0.5 % × 2 300 000 = 13 800; the head's own figures do not count.
        let bonus = PlanBonus(plan: .team, baseKind: .revenuePercent, base: 50, curve: Self.curve)
        let statement = PayStatement(PayInputs(period: Self.november, currency: .EUR, segments: [.init(scheme: "Heads", rules: PayRules(planBonus: bonus), days: 30)],
                                               targets: [.revenue: 100], actuals: [.revenue: 0], teamTargets: [.revenue: 2_000_000_00],
                                               teamActuals: [.revenue: 2_300_000_00, .margin: 0]))
        #expect(statement.lines.map(\.amount) == [13_800_00])
        #expect(statement.lines[0].explanation == "team revenue plan 115 % → tier 100–120 % → ×1.2 × 0.5 % × 2 300 000.00 = 13 800.00")
        let none = PayStatement(PayInputs(period: Self.november, currency: .EUR, segments: [.init(scheme: "Heads", rules: PayRules(planBonus: bonus), days: 30)],
                                          targets: [.revenue: 100], actuals: [.revenue: 500]))
        #expect(none.lines[0].explanation == "no approved team revenue plan for 2026-11 → 0")
    }

    @Test func rulesNameEveryProblem() {
        let rules = PayRules(fixedMonthly: -1, planBonus: PlanBonus(baseKind: .revenuePercent, base: 20_000,
                                                                    curve: FulfilmentCurve(threshold: 0.8, tiers: [.init(from: 1, multiplier: 1), .init(from: 0.9, multiplier: 2)])),
                             kpiBonus: KPIBonus(amount: 1, items: [.init(measure: .orders, weight: 0, target: 0)]))
        var errors = ValidationFailure.Collector()
        rules.check(into: &errors)
        #expect(errors.errors.map(\.field) == ["rules.fixedMonthly", "rules.planBonus.base", "rules.planBonus.curve.tiers[1].from",
                                               "rules.kpiBonus.items[0].weight", "rules.kpiBonus.items[0].target"])
    }
}
