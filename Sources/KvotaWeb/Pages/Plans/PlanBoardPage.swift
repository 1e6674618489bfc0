import Foundation
import KvotaCore
import KvotaStore
import Plot

/// The team's month on one screen for the daily meeting: per member and measure their own plan, the month to date,
/// fulfilment, the pace still needed a day, and yesterday's figure; the team's own plan below. Printable.
struct PlanBoardPage {
    struct Member {
        let userID: User.ID
        /// The member's own month plan, when there is one.
        let standing: PlanStanding?
        /// Month to date over the days they were in the team (the team plan's member line), when the team has a plan.
        let monthToDate: [PlanMeasure: Int64]
        let yesterday: [PlanMeasure: Int64]
    }

    let page: PageContext
    let teams: [(id: Team.ID, name: String)]
    let team: Team.ID
    let date: LocalDate
    let period: Period
    let measures: [PlanMeasure]
    let teamStanding: PlanStanding?
    let teamYesterday: [PlanMeasure: Int64]
    let members: [Member]
    let figures: PlanFigures

    func html() -> HTML {
        let t = page.t
        let title = t(.teamBoardTitle, ["team": figures.teams[team] ?? "#\(team)", "date": t.date(date)])
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title)),
            PlansTab.nav(page, current: .board),
            .form(.class("filters"), .method(.get), .action(SiteURL.planBoard(team: nil, date: nil).path),
                  selectField(t(.teamBoardTeam), name: "team", options: teams.map { (String($0.id.rawValue), $0.name) }, selected: String(team.rawValue)),
                  field(t(.teamBoardDate), name: "date", type: .date, value: date.iso),
                  .button(.type(.submit), .class("quiet"), .text(t(.plansShow))),
                  .button(.type(.button), .class("quiet"), .attribute(named: "data-print", value: "page"), .text(t(.teamBoardPrint)))),
            .p(.class("muted"), .text(t(.teamBoardExplain, ["period": period.label]))),
            .forEach(measures) { table($0) }
        ))
    }

    private func table(_ measure: PlanMeasure) -> Node<HTML.BodyContext> {
        let t = page.t
        let teamTarget = teamStanding?.targets.first { $0.measure == measure }?.progress
        return .group(
            .h2(.text(figures.label(of: measure))),
            .table(.class("list"),
                   .thead(.tr(.th(.text(t(.payPerson))), .th(.class("number"), .text(t(.plansTarget))), .th(.class("number"), .text(t(.plansActual))),
                              .th(.text(t(.plansFulfilment))), .th(.class("number"), .text(t(.plansPace))), .th(.class("number"), .text(t(.teamBoardYesterday))))),
                   .tbody(.forEach(members) { member in
                       let own = member.standing?.targets.first { $0.measure == measure }?.progress
                       let actual = member.monthToDate[measure] ?? own?.actual ?? 0
                       return .tr(.td(.attribute(named: "data-label", value: t(.payPerson)),
                                      member.standing.map { .a(.href(SiteURL.plan(id: $0.plan.id.rawValue).path), .text(figures.user(member.userID))) }
                                          ?? .text(figures.user(member.userID))),
                                  .td(.class("number"), .attribute(named: "data-label", value: t(.plansTarget)),
                                      .text(own.map { figures.value($0.target, measure) } ?? t(.commonNone))),
                                  .td(.class("number"), .attribute(named: "data-label", value: t(.plansActual)), .text(figures.value(actual, measure))),
                                  .td(.attribute(named: "data-label", value: t(.plansFulfilment)), own.map { figures.meter($0.fulfilment) } ?? .text(t(.commonNone))),
                                  .td(.class("number"), .attribute(named: "data-label", value: t(.plansPace)),
                                      .text(own?.dailyPace.map { figures.value($0, measure) } ?? t(.commonNone))),
                                  .td(.class("number"), .attribute(named: "data-label", value: t(.teamBoardYesterday)),
                                      .text(figures.value(member.yesterday[measure] ?? 0, measure))))
                   }),
                   .tfoot(.tr(.th(.unwrap(teamStanding) { .a(.href(SiteURL.plan(id: $0.plan.id.rawValue).path), .text(t(.teamBoardTeamLine))) }),
                              .td(.class("number"), .text(teamTarget.map { figures.value($0.target, measure) } ?? t(.commonNone))),
                              .td(.class("number"), .text(teamTarget.map { figures.value($0.actual, measure) } ?? t(.commonNone))),
                              .td(teamTarget.map { figures.meter($0.fulfilment) } ?? .text(t(.commonNone))),
                              .td(.class("number"), .text(teamTarget?.dailyPace.map { figures.value($0, measure) } ?? t(.commonNone))),
                              .td(.class("number"), .text(figures.value(teamYesterday[measure] ?? 0, measure))))))
        )
    }
}
