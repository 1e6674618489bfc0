import Foundation
import KvotaCore
import KvotaStore
import Plot

/// How the plan and pay pages write what they show: measure names, values in their unit, money in the base currency,
/// whose plan it is, and one progress line with its fulfilment bar. Shared so a figure reads the same on every page.
struct PlanFigures {
    let t: Localizer
    let currency: Currency
    let users: [User.ID: String]
    let teams: [Team.ID: String]

    func subject(_ subject: PlanSubject) -> String {
        switch subject {
        case .company: t(.plansCompany)
        case .team(let id): teams[id] ?? "#\(id)"
        case .user(let id): users[id] ?? "#\(id)"
        }
    }

    func user(_ id: User.ID) -> String { users[id] ?? "#\(id)" }

    func label(of measure: PlanMeasure) -> String {
        switch measure {
        case .revenue: t(.analyticsRevenue)
        case .margin: t(.analyticsMargin)
        case .quantity: t(.analyticsQuantity)
        case .orders: t(.analyticsOrders)
        case .dealsWon: t(.analyticsDealsWon)
        case .newCustomers: t(.analyticsNewCustomers)
        case .qualifiedLeads: t(.plansQualifiedLeads)
        case .outboundCalls: t(.plansOutboundCalls)
        case .meetingsHeld: t(.plansMeetingsHeld)
        }
    }

    func kind(_ kind: PayStatement.Kind) -> String {
        switch kind {
        case .fixed: t(.payFixed)
        case .planBonus: t(.payPlanBonus)
        case .kpiBonus: t(.payKpiBonus)
        case .weeklyBonus: t(.payWeeklyBonus)
        case .clawback: t(.payClawback)
        }
    }

    func status(_ plan: Plan) -> String { plan.status == .approved ? t(.plansApproved) : t(.plansDraft) }

    /// A value in its measure's unit: money without cents, quantity in units (stored in thousandths), counts.
    func value(_ amount: Int64, _ measure: PlanMeasure) -> String {
        if measure.isMoney { return money(amount) }
        if measure == .quantity { return t.decimal(Double(amount) / 1000) }
        return t.number(amount)
    }

    /// A stored value as a form writes it back: money and quantity in whole units with decimals, counts as they are.
    func input(_ amount: Int64, _ measure: PlanMeasure) -> String {
        if measure.isMoney { return Self.decimalText(amount, digits: currency.minorUnitDigits) }
        if measure == .quantity { return Self.decimalText(amount, digits: 3) }
        return String(amount)
    }

    /// What a form's field holds, in the measure's stored unit; nil when it is not a number of that unit.
    func parse(_ text: String, _ measure: PlanMeasure) -> Int64? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if measure.isMoney { return ImportText.minorUnits(text, digits: currency.minorUnitDigits) }
        if measure == .quantity { return ImportText.minorUnits(text, digits: 3) }
        return Int64(text.replacingOccurrences(of: " ", with: ""))
    }

    func money(_ minor: Int64) -> String { t.money(Money(minorUnits: minor, currency: currency), showMinorUnits: false) }

    static func decimalText(_ amount: Int64, digits: Int) -> String {
        guard digits > 0 else { return String(amount) }
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        let whole = amount / scale, fraction = abs(amount % scale)
        let sign = amount < 0 && whole == 0 ? "-" : ""
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole)." + String(String(fraction + scale).dropFirst())
    }

    /// A plan's targets as progress lines under their head.
    func progressTable(_ targets: [(measure: PlanMeasure, progress: PlanProgress)]) -> Node<HTML.BodyContext> {
        .table(.class("list"), progressHead(), .tbody(.forEach(targets) { progressRow(label(of: $0.measure), $0.measure, $0.progress) }))
    }

    /// The table head of progress lines.
    func progressHead() -> Node<HTML.TableContext> {
        .thead(.tr(.th(.text(t(.plansMeasure))), .th(.class("number"), .text(t(.plansTarget))), .th(.class("number"), .text(t(.plansActual))),
                   .th(.text(t(.plansFulfilment))), .th(.class("number"), .text(t(.plansProjection))),
                   .th(.class("number"), .text(t(.plansRemaining))), .th(.class("number"), .text(t(.plansPace)))))
    }

    /// One progress line: plan, actual, fulfilment with its bar, run-rate, what is left and the daily pace it needs.
    func progressRow(_ label: String, _ measure: PlanMeasure, _ p: PlanProgress) -> Node<HTML.TableContext> {
        .tr(
            .td(.attribute(named: "data-label", value: t(.plansMeasure)), .text(label)),
            .td(.class("number"), .attribute(named: "data-label", value: t(.plansTarget)), .text(value(p.target, measure))),
            .td(.class("number"), .attribute(named: "data-label", value: t(.plansActual)), .text(value(p.actual, measure))),
            .td(.attribute(named: "data-label", value: t(.plansFulfilment)), meter(p.fulfilment)),
            .td(.class("number"), .attribute(named: "data-label", value: t(.plansProjection)),
                .text(p.projection.map { value($0, measure) } ?? t(.commonNone))),
            .td(.class("number"), .attribute(named: "data-label", value: t(.plansRemaining)), .text(value(p.remaining, measure))),
            .td(.class("number"), .attribute(named: "data-label", value: t(.plansPace)),
                .text(p.dailyPace.map { value($0, measure) } ?? t(.commonNone)))
        )
    }

    /// A fulfilment bar with its figure ("n/a" for a zero plan).
    func meter(_ fulfilment: Double?) -> Node<HTML.BodyContext> {
        // The bar stops at full width; the figure says how far past the plan it went.
        let width = Int(min(max(fulfilment ?? 0, 0), 1) * 100)
        return .group(
            .span(.class("meter"), .span(.class((fulfilment ?? 0) >= 1 ? "meter-fill done" : "meter-fill"),
                                         .attribute(named: "style", value: "width: \(width)%"))),
            .text(" " + (fulfilment.map { t.percent($0) } ?? t(.commonNone))))
    }

    /// A pay statement as a table: each line's kind, amount and the words that explain it, and the total.
    func statement(_ statement: PayStatement) -> Node<HTML.BodyContext> {
        .table(.class("list"),
               .thead(.tr(.th(.text(t(.payLine))), .th(.class("number"), .text(t(.payAmount))), .th(.text(t(.payWhy))))),
               .tbody(.forEach(statement.lines) { line in
                   .tr(.td(.text(kind(line.kind))), .td(.class("number"), .text(money(line.amount))), .td(.text(line.explanation)))
               }),
               .tfoot(.tr(.th(.text(t(.payTotal))), .td(.class("number"), .text(money(statement.total))), .td())))
    }

    /// One field per measure, in a grid: what was entered, else the current target; blank plans nothing.
    func targetFields(current: [PlanMeasure: Int64], entered: [String: String], errors: [String: String]) -> Node<HTML.FormContext> {
        .div(.class("fields"), .forEach(PlanMeasure.allCases) { measure in
            .div(field(label(of: measure) + (measure.isMoney ? ", \(currency.code)" : ""), name: measure.rawValue, type: .text,
                       value: entered[measure.rawValue] ?? current[measure].map { input($0, measure) } ?? "",
                       error: errors[measure.rawValue], required: false, autocomplete: "off"))
        })
    }

    enum Heading { case h2, h3 }

    /// A team plan's members: what each added to the team's actuals over their days in it, per measure.
    func members(_ standing: PlanStanding, heading: Heading) -> Node<HTML.BodyContext> {
        let measures = standing.targets.map(\.measure)
        let title = t(.plansMembers)
        return .group(
            heading == .h2 ? .h2(.text(title)) : .h3(.text(title)),
            .table(.class("list"),
                   .thead(.tr(.th(.text(t(.payPerson))), .forEach(measures) { .th(.class("number"), .text(label(of: $0))) })),
                   .tbody(.forEach(standing.members) { member in
                       .tr(.td(.text(user(member.userID))),
                           .forEach(measures) { .td(.class("number"), .text(value(member.actuals[$0] ?? 0, $0))) })
                   })))
    }
}
