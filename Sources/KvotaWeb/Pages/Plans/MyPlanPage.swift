import Foundation
import KvotaCore
import KvotaStore
import Plot

/// The signed-in user's month: their own plan (and a head's team plan) with progress and the cumulative chart, their
/// pay to date with its statement, and what winning each of their biggest open deals would add to it.
struct MyPlanPage {
    struct WhatIf {
        let deal: Deal
        let difference: Int64
        let ifWon: Int64
    }

    let page: PageContext
    let period: Period
    let standings: [(PlanStanding, PlanCumulative)]
    let payout: Payout?
    let whatIfs: [WhatIf]
    let figures: PlanFigures

    func html() -> HTML {
        let t = page.t
        let title = t(.myPlanTitle, ["period": period.label])
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title)),
            PlansTab.nav(page, current: .mine),
            .unwrap(page.actor) { .p(.a(.href(SiteURL.repCard(id: $0.userID.rawValue).path), .text(t(.myPlanCard)))) },
            standings.isEmpty ? .p(.class("muted"), .text(t(.myPlanNone))) : .group(standings.map { standing, cumulative in
                .element(named: "section", nodes: [
                    .class("plan"),
                    .h2(.a(.href(SiteURL.plan(id: standing.plan.id.rawValue).path),
                           .text("\(figures.subject(standing.plan.subject)) · \(figures.status(standing.plan))"))),
                    .unwrap(standing.targets.first?.progress) {
                        .p(.class("muted"), .text(t(.plansDays, ["elapsed": String($0.daysElapsed), "total": String($0.daysTotal)])))
                    },
                    figures.progressTable(standing.targets),
                    .forEach(standing.targets) { PlanChart(plan: standing.plan, cumulative: cumulative, figures: figures).node($0.measure, $0.progress) },
                ])
            }),
            .unwrap(payout) { payout in
                .element(named: "section", nodes: [
                    .class("pay"),
                    .h2(.text(t(.myPlanPay, ["total": figures.money(payout.statement.total)]))),
                    figures.statement(payout.statement),
                ])
            },
            .if(!whatIfs.isEmpty, .element(named: "section", nodes: [
                .h2(.text(t(.myPlanWhatIf))),
                .p(.class("muted"), .text(t(.myPlanWhatIfExplain))),
                .table(.class("list"),
                       .thead(.tr(.th(.text(t(.myPlanDeal))), .th(.class("number"), .text(t(.myPlanAmount))),
                                  .th(.class("number"), .text(t(.myPlanAdds))), .th(.class("number"), .text(t(.myPlanPayBecomes))))),
                       .tbody(.forEach(whatIfs) { item in
                           .tr(.td(.attribute(named: "data-label", value: t(.myPlanDeal)),
                                   .a(.href(SiteURL.deal(id: item.deal.id.rawValue).path), .text(item.deal.title))),
                               .td(.class("number"), .attribute(named: "data-label", value: t(.myPlanAmount)), .text(t.money(item.deal.amount, showMinorUnits: false))),
                               .td(.class("number"), .attribute(named: "data-label", value: t(.myPlanAdds)), .text("+" + figures.money(item.difference))),
                               .td(.class("number"), .attribute(named: "data-label", value: t(.myPlanPayBecomes)), .text(figures.money(item.ifWon))))
                       }))
            ]))
        ))
    }
}
