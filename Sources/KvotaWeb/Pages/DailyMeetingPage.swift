import Foundation
import KvotaCore
import KvotaStore
import Plot

/// The daily meeting on one printable page: the month's team plan, each rep's last working day and today, then what
/// needs a decision: overdue tasks, stalled deals, leads waiting past the response time.
struct DailyMeetingPage {
    let page: PageContext
    let meeting: DailyMeeting
    let teams: [(id: Team.ID, name: String)]
    let figures: PlanFigures

    func html() -> HTML {
        let t = page.t
        let title = t(.dailyTitle, ["team": figures.teams[meeting.team] ?? "#\(meeting.team)", "date": t.date(meeting.date)])
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title)),
            .form(.class("filters"), .method(.get), .action(SiteURL.teamDaily(team: nil, date: nil).path),
                  .if(teams.count > 1, selectField(t(.teamBoardTeam), name: "team", options: teams.map { (String($0.id.rawValue), $0.name) },
                                                   selected: String(meeting.team.rawValue))),
                  field(t(.teamBoardDate), name: "date", type: .date, value: meeting.date.iso),
                  .button(.type(.submit), .class("quiet"), .text(t(.plansShow))),
                  .button(.type(.button), .class("quiet"), .attribute(named: "data-print", value: "page"), .text(t(.teamBoardPrint)))),
            .unwrap(meeting.plan) { standing in
                .group(.h2(.a(.href(SiteURL.plan(id: standing.plan.id.rawValue).path), .text(t(.dailyPlan, ["period": standing.plan.period.label])))),
                       figures.progressTable(standing.targets))
            },
            .h2(.text(t(.dailyReps, ["day": t.date(meeting.previousDay)]))),
            reps(),
            list(t(.dailyOverdue), meeting.overdueTasks) { _ in nil },
            list(t(.dailyStalled), meeting.stalledDeals) { SiteURL.deal(id: $0.id).path },
            list(t(.dailyLeads), meeting.leadsOverSLA) { SiteURL.lead(id: $0.id).path }
        ))
    }

    private func reps() -> Node<HTML.BodyContext> {
        let t = page.t
        let columns: [(UIKey, (DailyMeeting.Member) -> String)] = [
            (.dailyCallsOut, { t.number($0.callsOutbound) }), (.dailyCallsIn, { t.number($0.callsInbound) }),
            (.dailyEffective, { t.number($0.effectiveConversations) }), (.dailyMissed, { t.number($0.missedCalls) }),
            (.dailyMeetings, { t.number($0.meetingsHeld) }), (.dailyMoved, { t.number($0.dealsMoved) }), (.dailyWon, { t.number($0.dealsWon) }),
            (.dailyRevenue, { figures.money($0.revenue) }),
        ]
        return .table(.class("list"),
            .thead(.tr(.th(.text(t(.payPerson))), .forEach(columns) { .th(.class("number"), .text(t($0.0))) }, .th(.text(t(.dailyToday))))),
            .tbody(.forEach(meeting.members) { member in
                .tr(.td(.attribute(named: "data-label", value: t(.payPerson)),
                        .a(.href(SiteURL.repCard(id: member.userID.rawValue).path), .text(figures.user(member.userID)))),
                    .forEach(columns) { column in .td(.class("number"), .attribute(named: "data-label", value: t(column.0)), .text(column.1(member))) },
                    .td(.attribute(named: "data-label", value: t(.dailyToday)),
                        member.today.isEmpty ? .text(t(.commonNone)) : .ul(.forEach(member.today) { item in
                            .li(.text((item.at.map { t.time($0) + " " } ?? "") + item.title))
                        })))
            }))
    }

    private func list(_ title: String, _ items: [DailyMeeting.Item], link: (DailyMeeting.Item) -> String?) -> Node<HTML.BodyContext> {
        let t = page.t
        return .group(
            .h2(.text("\(title) (\(items.count < DailyMeeting.listLimit ? String(items.count) : "\(DailyMeeting.listLimit)+"))")),
            items.isEmpty ? .p(.class("muted"), .text(t(.commonNone))) : .table(.class("list"),
                .tbody(.forEach(items) { item in
                    .tr(.td(link(item).map { .a(.href($0), .text(item.title)) } ?? .text(item.title)),
                        .td(.text(figures.user(item.ownerID))),
                        .td(.text(item.at.map { t.dateTime($0) } ?? "")))
                })))
    }
}
