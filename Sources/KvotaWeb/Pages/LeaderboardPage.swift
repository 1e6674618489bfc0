import Foundation
import KvotaCore
import KvotaStore
import Plot

/// A team's members ranked on one KPI over a window, best first, with the team's own value and median below.
struct LeaderboardPage {
    let page: PageContext
    let teams: [(id: Team.ID, name: String)]
    let team: Team.ID
    let kpi: KPI
    let window: DateWindow
    let ranked: [(userID: User.ID, value: Double?)]
    let report: KPIReport
    let names: [User.ID: String]
    let currency: Currency

    func html() -> HTML {
        let t = page.t
        let teamName = teams.first { $0.id == team }?.name ?? "#\(team)"
        let title = t(.leaderboardTitle, ["team": teamName])
        let item = report.items.first
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title)),
            .form(.class("filters"), .method(.get), .action(SiteURL.teamLeaderboard(team: nil, key: nil).path),
                  .if(teams.count > 1, selectField(t(.teamBoardTeam), name: "team", options: teams.map { (String($0.id.rawValue), $0.name) },
                                                   selected: String(team.rawValue))),
                  selectField(t(.leaderboardKPI), name: "key", options: KPI.allCases.map { ($0.rawValue, t($0.label)) }, selected: kpi.rawValue),
                  field(t(.leaderboardFrom), name: "from", type: .date, value: window.from.iso),
                  field(t(.leaderboardTo), name: "to", type: .date, value: window.through.iso),
                  .button(.type(.submit), .class("quiet"), .text(t(.plansShow)))),
            .table(.class("list"),
                   .thead(.tr(.th(.class("number"), .text(t(.leaderboardRank))), .th(.text(t(.payPerson))), .th(.class("number"), .text(t(kpi.label))))),
                   .tbody(.forEach(Array(ranked.enumerated())) { index, row in
                       .tr(.td(.class("number"), .text(String(index + 1))), .td(.a(.href(SiteURL.repCard(id: row.userID.rawValue).path), .text(names[row.userID] ?? "#\(row.userID)"))),
                           .td(.class("number"), .text(kpi.text(row.value, t, currency: currency))))
                   }),
                   .tfoot(.tr(.td(), .th(.text(teamName)), .td(.class("number"), .text(kpi.text(item?.value, t, currency: currency)))),
                          .tr(.td(), .th(.text(t(.leaderboardMedian))), .td(.class("number"), .text(kpi.text(item?.teamMedian, t, currency: currency))))))
        ))
    }
}
