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
    let standings: [PlanStanding]
    let payouts: [Payout]
    let figures: PlanFigures
    /// The names of what the plans' rows point at.
    let rowNames: [PlanDimension: [Int64: String]]
    /// Whether the reader may set some plan (directors and admins any, heads their members').
    let canCreate: Bool

    func html() -> HTML {
        let t = page.t
        let title = t(.plansTitle, ["period": period.label])
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title)),
            PlansTab.nav(page, current: .plans),
            .form(.class("filters"), .method(.get), .action(SiteURL.plans(period: nil).path),
                  field(t(.plansPeriod), name: "period", type: .text, value: asked ?? period.label),
                  .button(.type(.submit), .class("quiet"), .text(t(.plansShow)))),
            .if(canCreate, .p(.a(.class("button"), .href(SiteURL.planNew(period: period.label).path), .text(t(.plansNew))))),
            standings.isEmpty ? .p(.class("muted"), .text(t(.plansNone))) : .group(standings.map(plan)),
            .if(!payouts.isEmpty, pay())
        ))
    }

    // MARK: - Plans

    private func plan(_ standing: PlanStanding) -> Node<HTML.BodyContext> {
        let t = page.t
        let plan = standing.plan
        let days = standing.targets.first?.progress
        return .element(named: "section", nodes: [
            .class("plan"),
            .h2(.a(.href(SiteURL.plan(id: plan.id.rawValue).path), .text("\(figures.subject(plan.subject)) · \(figures.status(plan))"))),
            .unwrap(days) { .p(.class("muted"), .text(t(.plansDays, ["elapsed": String($0.daysElapsed), "total": String($0.daysTotal)]))) },
            figures.progressTable(standing.targets),
            .if(!standing.rows.isEmpty, .group(
                .h3(.text(t(.plansRows))),
                .table(.class("list"), .tbody(.forEach(standing.rows) { row in
                    figures.progressRow("\(rowNames[row.row.dimension]?[row.row.key] ?? "#\(row.row.key)") · \(figures.label(of: row.row.measure))",
                                        row.row.measure, row.progress)
                })))),
            .if(!standing.members.isEmpty, figures.members(standing, heading: .h3)),
        ])
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
                        .text("\(figures.user(payout.userID)) · \(figures.money(payout.statement.total)) · \(status)"),
                    ]),
                    figures.statement(payout.statement),
                ])
            },
        ])
    }
}
