import Foundation
import KvotaCore
import KvotaStore
import Plot

/// One rep on one page: the month's plan with its chart, every KPI beside the period before and the team median,
/// when in the week they work with customers, their deals gone quiet, and links to their funnel and customers.
struct RepCardPage {
    let page: PageContext
    let card: RepCard
    let figures: PlanFigures

    func html() -> HTML {
        let t = page.t
        let window = card.kpis.window
        let title = t(.repCardTitle, ["rep": figures.user(card.userID), "from": t.date(window.from), "to": t.date(window.through)])
        let analytics = "manager=\(card.userID)&from=\(window.from.iso)&to=\(window.through.iso)"
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title)),
            .form(.class("filters"), .method(.get), .action(SiteURL.repCard(id: card.userID.rawValue).path),
                  field(t(.leaderboardFrom), name: "from", type: .date, value: window.from.iso),
                  field(t(.leaderboardTo), name: "to", type: .date, value: window.through.iso),
                  .button(.type(.submit), .class("quiet"), .text(t(.plansShow)))),
            .p(.a(.href(SiteURL.analysis(.funnel, query: analytics).path), .text(t(.repCardFunnel))), .text(" · "),
               .a(.href(SiteURL.analysis(.migration, query: "manager=\(card.userID)").path), .text(t(.repCardMigration))), .text(" · "),
               .a(.href(SiteURL.training(user: card.userID.rawValue).path), .text(t(.trainingLink)))),
            .unwrap(card.plan) { plan in
                .element(named: "section", nodes: [
                    .h2(.a(.href(SiteURL.plan(id: plan.standing.plan.id.rawValue).path),
                           .text("\(t(.navPlans)) · \(plan.standing.plan.period.label) · \(figures.status(plan.standing.plan))"))),
                    figures.progressTable(plan.standing.targets),
                    .forEach(plan.standing.targets) { PlanChart(plan: plan.standing.plan, cumulative: plan.cumulative, figures: figures).node($0.measure, $0.progress) },
                ])
            },
            .h2(.text(t(.repCardKPIs, ["from": t.date(card.kpis.previousWindow.from), "to": t.date(card.kpis.previousWindow.through)]))),
            .table(.class("list"),
                   .thead(.tr(.th(.text(t(.leaderboardKPI))), .th(.class("number"), .text(t(.repCardValue))),
                              .th(.class("number"), .text(t(.repCardPrevious))), .th(.class("number"), .text(t(.leaderboardMedian))),
                              .th(.class("number"), .text(t(.repCardTarget))), .th(.class("number"), .text(t(.repCardScore))))),
                   .tbody(.forEach(card.kpis.items) { item in
                       .tr(.td(.attribute(named: "data-label", value: t(.leaderboardKPI)), .text(t(item.kpi.label))),
                           .td(.class("number"), .attribute(named: "data-label", value: t(.repCardValue)),
                               .text(item.kpi.text(item.value, t, currency: figures.currency))),
                           .td(.class("number"), .attribute(named: "data-label", value: t(.repCardPrevious)),
                               .text(item.kpi.text(item.previous, t, currency: figures.currency))),
                           .td(.class("number"), .attribute(named: "data-label", value: t(.leaderboardMedian)),
                               .text(item.kpi.text(item.teamMedian, t, currency: figures.currency))),
                           .td(.class("number"), .attribute(named: "data-label", value: t(.repCardTarget)),
                               .text(item.target.map { item.kpi.text($0, t, currency: figures.currency) } ?? "")),
                           .td(.class(item.score.map { $0 >= 1 ? "number good" : "number bad" } ?? "number"),
                               .attribute(named: "data-label", value: t(.repCardScore)),
                               .text(item.score.map { t.percent($0) } ?? "")))
                   })),
            .h2(.text(t(.repCardHeat))),
            .element(named: "figure", nodes: [
                .class("chart"),
                HeatMapChart(title: t(.repCardHeat), rows: t.weekdays, columns: (0..<24).map { String($0) },
                             values: card.heatMap.map { $0.map(Double.init) }, format: .number, cell: 24).node(t),
            ]),
            .h2(.text("\(t(.dailyStalled)) (\(card.stalledDeals.count))")),
            card.stalledDeals.isEmpty ? .p(.class("muted"), .text(t(.commonNone))) : .ul(.forEach(card.stalledDeals) { deal in
                .li(.a(.href(SiteURL.deal(id: deal.id).path), .text(deal.title)), .text(deal.at.map { " · " + t.dateTime($0) } ?? ""))
            })
        ))
    }
}
