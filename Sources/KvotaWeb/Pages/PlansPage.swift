import Foundation
import KvotaCore
import KvotaStore
import Plot

/// Plans and pay for a period: each plan's measures with actual, fulfilment, run-rate, what is left and the pace it
/// needs, its breakdown rows and (a team's) its members; then each person's pay with the statement's lines.
struct PlansPage {
    let page: PageContext
    let period: Period
    let asked: String?
    let asOf: LocalDate
    let currency: Currency
    let standings: [PlanStanding]
    let payouts: [Payout]
    let users: [User.ID: String]
    let teams: [Team.ID: String]
    /// The names of what the plans' rows point at.
    let rowNames: [PlanDimension: [Int64: String]]

    func html() -> HTML {
        let t = page.t
        let title = t(.plansTitle, ["period": period.label])
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title)),
            .form(.class("filters"), .method(.get), .action(SiteURL.plans(period: nil).path),
                  field(t(.plansPeriod), name: "period", type: .text, value: asked ?? period.label),
                  .button(.type(.submit), .class("quiet"), .text(t(.plansShow)))),
            standings.isEmpty ? .p(.class("muted"), .text(t(.plansNone))) : .group(standings.map(plan)),
            .if(!payouts.isEmpty, pay())
        ))
    }

    // MARK: - Plans

    private func plan(_ standing: PlanStanding) -> Node<HTML.BodyContext> {
        let t = page.t
        let plan = standing.plan
        let status = plan.status == .approved ? t(.plansApproved) : t(.plansDraft)
        let days = standing.targets.first?.progress
        return .element(named: "section", nodes: [
            .class("plan"),
            .h2(.text("\(subject(plan.subject)) · \(status)")),
            .unwrap(days) { .p(.class("muted"), .text(t(.plansDays, ["elapsed": String($0.daysElapsed), "total": String($0.daysTotal)]))) },
            .table(.class("list"),
                   .thead(.tr(.th(.text(t(.plansMeasure))), .th(.class("number"), .text(t(.plansTarget))), .th(.class("number"), .text(t(.plansActual))),
                              .th(.text(t(.plansFulfilment))), .th(.class("number"), .text(t(.plansProjection))),
                              .th(.class("number"), .text(t(.plansRemaining))), .th(.class("number"), .text(t(.plansPace))))),
                   .tbody(.forEach(standing.targets) { progressRow(label(of: $0.measure), $0.measure, $0.progress) })),
            .if(!standing.rows.isEmpty, .group(
                .h3(.text(t(.plansRows))),
                .table(.class("list"), .tbody(.forEach(standing.rows) { row in
                    progressRow("\(rowNames[row.row.dimension]?[row.row.key] ?? "#\(row.row.key)") · \(label(of: row.row.measure))", row.row.measure,
                                row.progress)
                })))),
            .if(!standing.members.isEmpty, members(standing)),
        ])
    }

    private func progressRow(_ label: String, _ measure: PlanMeasure, _ p: PlanProgress) -> Node<HTML.TableContext> {
        let t = page.t
        let share = p.fulfilment.map { t.percent($0) } ?? t(.commonNone)
        // The bar stops at full width; the figure says how far past the plan it went.
        let width = Int(min(max(p.fulfilment ?? 0, 0), 1) * 100)
        return .tr(
            .td(.attribute(named: "data-label", value: t(.plansMeasure)), .text(label)),
            .td(.class("number"), .attribute(named: "data-label", value: t(.plansTarget)), .text(value(p.target, measure))),
            .td(.class("number"), .attribute(named: "data-label", value: t(.plansActual)), .text(value(p.actual, measure))),
            .td(.attribute(named: "data-label", value: t(.plansFulfilment)),
                .span(.class("meter"), .span(.class((p.fulfilment ?? 0) >= 1 ? "meter-fill done" : "meter-fill"),
                                              .attribute(named: "style", value: "width: \(width)%"))),
                .text(" " + share)),
            .td(.class("number"), .attribute(named: "data-label", value: t(.plansProjection)),
                .text(p.projection.map { value($0, measure) } ?? t(.commonNone))),
            .td(.class("number"), .attribute(named: "data-label", value: t(.plansRemaining)), .text(value(p.remaining, measure))),
            .td(.class("number"), .attribute(named: "data-label", value: t(.plansPace)),
                .text(p.dailyPace.map { value($0, measure) } ?? t(.commonNone)))
        )
    }

    private func members(_ standing: PlanStanding) -> Node<HTML.BodyContext> {
        let t = page.t
        let measures = standing.targets.map(\.measure)
        return .group(
            .h3(.text(t(.plansMembers))),
            .table(.class("list"),
                   .thead(.tr(.th(.text(t(.payPerson))), .forEach(measures) { .th(.class("number"), .text(label(of: $0))) })),
                   .tbody(.forEach(standing.members) { member in
                       .tr(.td(.text(users[member.userID] ?? "#\(member.userID)")),
                           .forEach(measures) { .td(.class("number"), .text(value(member.actuals[$0] ?? 0, $0))) })
                   })))
    }

    // MARK: - Pay

    private func pay() -> Node<HTML.BodyContext> {
        let t = page.t
        return .element(named: "section", nodes: [
            .class("pay"),
            .h2(.text(t(.payTitle))),
            .forEach(payouts) { payout in
                let status = payout.approvedAt.map { t(.payApproved, ["date": t.date(LocalDate($0, in: t.timeZone))]) }
                    ?? t(.payToDate, ["date": t.date(min(asOf, period.end.adding(days: -1)))])
                return .element(named: "details", nodes: [
                    .element(named: "summary", nodes: [
                        .text("\(users[payout.userID] ?? "#\(payout.userID)") · \(money(payout.statement.total)) · \(status)"),
                    ]),
                    .table(.class("list"),
                           .thead(.tr(.th(.text(t(.payLine))), .th(.class("number"), .text(t(.payAmount))), .th(.text(t(.payWhy))))),
                           .tbody(.forEach(payout.statement.lines) { line in
                               .tr(.td(.text(kind(line.kind))), .td(.class("number"), .text(money(line.amount))), .td(.text(line.explanation)))
                           }),
                           .tfoot(.tr(.th(.text(t(.payTotal))), .td(.class("number"), .text(money(payout.statement.total))), .td()))),
                ])
            },
        ])
    }

    // MARK: - Words and figures

    private func subject(_ subject: PlanSubject) -> String {
        switch subject {
        case .company: page.t(.plansCompany)
        case .team(let id): teams[id] ?? "#\(id)"
        case .user(let id): users[id] ?? "#\(id)"
        }
    }

    private func label(of measure: PlanMeasure) -> String {
        let t = page.t
        return switch measure {
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

    private func kind(_ kind: PayStatement.Kind) -> String {
        let t = page.t
        return switch kind {
        case .fixed: t(.payFixed)
        case .planBonus: t(.payPlanBonus)
        case .kpiBonus: t(.payKpiBonus)
        case .weeklyBonus: t(.payWeeklyBonus)
        case .clawback: t(.payClawback)
        }
    }

    private func value(_ amount: Int64, _ measure: PlanMeasure) -> String {
        if measure.isMoney { return money(amount) }
        if measure == .quantity { return page.t.decimal(Double(amount) / 1000) }
        return page.t.number(amount)
    }

    private func money(_ minor: Int64) -> String { page.t.money(Money(minorUnits: minor, currency: currency), showMinorUnits: false) }
}
