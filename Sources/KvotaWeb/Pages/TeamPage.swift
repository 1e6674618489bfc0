import KvotaCore
import Plot

/// A head's team: each member's open deals and their sum, open and overdue tasks, and unanswered leads, with a
/// link to the member's board.
struct TeamPage {
    let page: PageContext
    let overview: TeamOverview?
    let teams: [Team]

    func html() -> HTML {
        let t = page.t
        let title = overview.map { t(.teamTitle, ["team": $0.team.name]) } ?? t(.navTeam)
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title)),
            .unwrap(overview) { overview in
                .p(.a(.class("button quiet"), .href(SiteURL.teamDaily(team: overview.team.id.rawValue, date: nil).path), .text(t(.dailyOpen))),
                   .text(" "),
                   .a(.class("button quiet"), .href(SiteURL.teamWeekly(team: overview.team.id.rawValue, week: nil).path), .text(t(.weeklyLink))),
                   .text(" "),
                   .a(.class("button quiet"), .href(SiteURL.teamReviews(team: overview.team.id.rawValue, scorecard: nil).path), .text(t(.reviewsLink))),
                   .text(" "),
                   .a(.class("button quiet"), .href(SiteURL.teamLeaderboard(team: overview.team.id.rawValue, key: nil).path), .text(t(.leaderboardOpen))))
            },
            .if(teams.count > 1, .form(.class("filters"), .method(.get), .action(SiteURL.team(id: nil).path),
                                       selectField(t(.teamChoose), name: "team", options: teams.map { (String($0.id.rawValue), $0.name) },
                                                   selected: overview.map { String($0.team.id.rawValue) }),
                                       .button(.type(.submit), .class("quiet"), .text(t(.boardShow))))),
            .unwrap(overview, { members($0) }, else: .p(.class("muted"), .text(t(.teamNone))))
        ))
    }

    private func members(_ overview: TeamOverview) -> Node<HTML.BodyContext> {
        let t = page.t
        guard !overview.members.isEmpty else { return .p(.class("muted"), .text(t(.teamNoMembers))) }
        let m = overview.members
        return .group(chart(m), .table(
            .class("list"),
            .thead(.tr(.th(.text(t(.teamMember))), .th(.text(t(.teamRole))), .th(.class("number"), .text(t(.teamOpenDeals))),
                       .th(.class("number"), .text(t(.teamPipeline))), .th(.class("number"), .text(t(.teamOpenTasks))),
                       .th(.class("number"), .text(t(.teamOverdue))), .th(.class("number"), .text(t(.teamNewLeads))))),
            .tbody(.forEach(m) { row($0) }),
            .tfoot(.tr(.th(.text(t(.teamTotal))), .td(),
                       .td(.class("number"), .text(t.number(Int64(m.reduce(0) { $0 + $1.openDeals })))),
                       .td(.class("number"), .text(sums(m.flatMap(\.openAmounts)))),
                       .td(.class("number"), .text(t.number(Int64(m.reduce(0) { $0 + $1.openTasks })))),
                       .td(.class("number"), .text(t.number(Int64(m.reduce(0) { $0 + $1.overdueTasks })))),
                       .td(.class("number"), .text(t.number(Int64(m.reduce(0) { $0 + $1.newLeads }))))))
        ))
    }

    private func chart(_ members: [TeamOverview.Member]) -> Node<HTML.BodyContext> {
        let t = page.t
        let chart = BarChart(title: t(.teamChart), categories: members.map { $0.user.name.components(separatedBy: " ").first ?? "" },
                             series: [.init(name: t(.teamOpenDeals), values: members.map { Double($0.openDeals) }),
                                      .init(name: t(.teamOpenTasks), values: members.map { Double($0.openTasks) }),
                                      .init(name: t(.teamOverdue), values: members.map { Double($0.overdueTasks) })],
                             format: .number, height: 240)
        return .element(named: "figure", nodes: [.class("chart"), .element(named: "figcaption", text: t(.teamChart)), chart.node(t)])
    }

    private func row(_ member: TeamOverview.Member) -> Node<HTML.TableContext> {
        let t = page.t
        return .tr(
            .td(.attribute(named: "data-label", value: t(.teamMember)),
                .a(.href(SiteURL.board(pipeline: nil, owner: member.user.id.rawValue, team: nil).path), .text(member.user.name)),
                .text(" · "), .a(.href(SiteURL.repCard(id: member.user.id.rawValue).path), .text(t(.repCardOpen)))),
            .td(.attribute(named: "data-label", value: t(.teamRole)), .text(t(member.user.role.label))),
            .td(.class("number"), .attribute(named: "data-label", value: t(.teamOpenDeals)), .text(t.number(Int64(member.openDeals)))),
            .td(.class("number"), .attribute(named: "data-label", value: t(.teamPipeline)), .text(sums(member.openAmounts))),
            .td(.class("number"), .attribute(named: "data-label", value: t(.teamOpenTasks)), .text(t.number(Int64(member.openTasks)))),
            .td(.class("number"), .attribute(named: "data-label", value: t(.teamOverdue)),
                .span(.if(member.overdueTasks > 0, .class("late")), .text(t.number(Int64(member.overdueTasks))))),
            .td(.class("number"), .attribute(named: "data-label", value: t(.teamNewLeads)),
                .span(.if(member.newLeads > 0, .class("late")), .text(t.number(Int64(member.newLeads)))))
        )
    }

    /// The members' sums added up per currency, or a dash for none.
    private func sums(_ amounts: [Money]) -> String {
        amounts.isEmpty ? page.t(.commonNone) : page.t.amounts(amounts)
    }
}
