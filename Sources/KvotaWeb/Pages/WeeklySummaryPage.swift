import Foundation
import KvotaCore
import KvotaStore
import Plot

/// The team's week on one printable page: the plan, each rep's week with the week before in brackets, the team's
/// line, and the deals won and lost (with why).
struct WeeklySummaryPage {
    let page: PageContext
    let summary: WeeklySummary
    let teams: [(id: Team.ID, name: String)]
    let figures: PlanFigures

    func html() -> HTML {
        let t = page.t
        let teamName = figures.teams[summary.team] ?? "#\(summary.team)"
        let title = t(.weeklyTitle, ["team": teamName, "week": summary.week.label])
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title)),
            .form(.class("filters"), .method(.get), .action(SiteURL.teamWeekly(team: nil, week: nil).path),
                  .if(teams.count > 1, selectField(t(.teamBoardTeam), name: "team", options: teams.map { (String($0.id.rawValue), $0.name) },
                                                   selected: String(summary.team.rawValue))),
                  field(t(.weeklyWeek), name: "week", type: .text, value: summary.week.label),
                  .button(.type(.submit), .class("quiet"), .text(t(.plansShow))),
                  .button(.type(.button), .class("quiet"), .attribute(named: "data-print", value: "page"), .text(t(.teamBoardPrint)))),
            .p(.class("muted"), .text(t(.weeklyDays, ["from": t.date(summary.window.from), "to": t.date(summary.window.through),
                                                      "previousFrom": t.date(summary.previousWindow.from),
                                                      "previousTo": t.date(summary.previousWindow.through)]))),
            .unwrap(summary.plan) { standing in
                .group(.h2(.a(.href(SiteURL.plan(id: standing.plan.id.rawValue).path), .text(t(.weeklyPlan, ["period": standing.plan.period.label])))),
                       figures.progressTable(standing.targets))
            },
            .h2(.text(t(.weeklyReps))),
            reps(teamName),
            deals(t(.weeklyWonDeals, ["n": String(summary.won.count)]), summary.won, reasons: false),
            deals(t(.weeklyLostDeals, ["n": String(summary.lost.count)]), summary.lost, reasons: true)
        ))
    }

    private func reps(_ teamName: String) -> Node<HTML.BodyContext> {
        let t = page.t
        let columns: [(UIKey, (KPIFacts) -> String)] = [
            (.dailyCallsOut, { t.number($0.callsOutbound) }), (.dailyCallsIn, { t.number($0.callsInbound) }),
            (.dailyEffective, { t.number($0.effectiveConversations) }), (.dailyMissed, { t.number($0.missedCalls) }),
            (.dailyMeetings, { t.number($0.meetingsHeld) }), (.weeklyQualified, { t.number($0.qualifiedLeads) }),
            (.weeklyNewDeals, { t.number($0.dealsNew) }), (.dailyWon, { t.number($0.dealsWon) }), (.weeklyLost, { t.number($0.dealsLost) }),
            (.dailyRevenue, { figures.money($0.revenue) }),
        ]
        func cells(_ week: KPIFacts, _ previous: KPIFacts) -> Node<HTML.TableRowContext> {
            .forEach(columns) { column in
                .td(.class("number"), .attribute(named: "data-label", value: t(column.0)),
                    .text(column.1(week)), .span(.class("muted"), .text(" (\(column.1(previous)))")))
            }
        }
        return .table(.class("list"),
            .thead(.tr(.th(.text(t(.payPerson))), .forEach(columns) { .th(.class("number"), .text(t($0.0))) })),
            .tbody(.forEach(summary.members) { member in
                .tr(.td(.attribute(named: "data-label", value: t(.payPerson)),
                        .a(.href(SiteURL.repCard(id: member.userID.rawValue).path), .text(figures.user(member.userID)))),
                    cells(member.week, member.previous))
            }),
            .tfoot(.tr(.th(.text(teamName)), cells(summary.total, summary.previousTotal))))
    }

    private func deals(_ title: String, _ deals: [WeeklySummary.Deal], reasons: Bool) -> Node<HTML.BodyContext> {
        let t = page.t
        return .group(
            .h2(.text(title)),
            deals.isEmpty ? .p(.class("muted"), .text(t(.commonNone))) : .table(.class("list"),
                .tbody(.forEach(deals) { deal in
                    .tr(.td(.a(.href(SiteURL.deal(id: deal.id).path), .text(deal.title))),
                        .td(.text(figures.user(deal.ownerID))),
                        .td(.class("number"), .text(t.money(deal.amount))),
                        .td(.text(t.date(deal.closedOn))),
                        .if(reasons, .td(.text(deal.lossReason ?? ""))))
                })))
    }
}
