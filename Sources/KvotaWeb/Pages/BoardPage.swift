import Foundation
import KvotaCore
import Plot

/// The pipeline board: a column per stage with its count and sum, cards with amount, account, owner and days in
/// stage. Each card carries a "move to" form, so moving works without JavaScript; kvota.js lets a card be dragged
/// onto a column, which submits the same form.
struct BoardPage {
    struct Choices {
        var pipelines: [Pipeline]
        /// Owners and teams to narrow the board to; empty for a rep, who sees only their own deals.
        var owners: [User]
        var teams: [Team]
    }

    let page: PageContext
    let board: Board
    let filter: Board.Filter
    let choices: Choices
    let now: Date

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.navBoard)).document(.group(
            .h1(.text("\(t(.navBoard)) · \(board.pipeline.name)")),
            filters(),
            .p(.class("muted hint-js"), .text(t(.boardDragHint))),
            .div(.class("board"), .forEach(board.columns) { column($0) })
        ))
    }

    private var returnPath: String {
        SiteURL.board(pipeline: board.pipeline.id.rawValue, owner: filter.ownerID?.rawValue, team: filter.teamID?.rawValue).path
    }

    private func filters() -> Node<HTML.BodyContext> {
        let t = page.t
        return .form(
            .class("filters"), .method(.get), .action(SiteURL.board(pipeline: nil, owner: nil, team: nil).path),
            .if(choices.pipelines.count > 1, selectField(t(.boardPipeline), name: "pipeline",
                                                         options: choices.pipelines.map { (String($0.id.rawValue), $0.name) },
                                                         selected: String(board.pipeline.id.rawValue))),
            .if(!choices.owners.isEmpty, selectField(t(.boardOwner), name: "owner",
                                                     options: [("", t(.boardEveryone))] + choices.owners.map { (String($0.id.rawValue), $0.name) },
                                                     selected: filter.ownerID.map { String($0.rawValue) } ?? "")),
            .if(!choices.teams.isEmpty, selectField(t(.boardTeam), name: "team",
                                                    options: [("", t(.boardEveryone))] + choices.teams.map { (String($0.id.rawValue), $0.name) },
                                                    selected: filter.teamID.map { String($0.rawValue) } ?? "")),
            .if(choices.pipelines.count > 1 || !choices.owners.isEmpty, .button(.type(.submit), .class("quiet"), .text(t(.boardShow))))
        )
    }

    private func column(_ column: Board.Column) -> Node<HTML.BodyContext> {
        let t = page.t
        let stage = column.stage
        return .section(
            .class("column \(stage.outcome.rawValue)"), .attribute(named: "data-stage", value: String(stage.id.rawValue)),
            .attribute(named: "aria-labelledby", value: "stage-\(stage.id.rawValue)"),
            .h2(.id("stage-\(stage.id.rawValue)"), .text(stage.name)),
            .p(.class("column-total"),
               .text(t.count(.countDeals, column.count)),
               .if(!column.sums.isEmpty, .text(" · " + column.sums.map { t.money($0, showMinorUnits: false) }.joined(separator: " + "))),
               .if(stage.outcome != .open, .span(.class("muted"), .text(" · \(t(.boardClosedThisMonth))")))),
            column.cards.isEmpty ? .p(.class("muted"), .text(t(.boardEmpty))) : .ol(.class("cards"), .forEach(column.cards) { card($0) }),
            .if(column.count > column.cards.count,
                .p(.class("muted"), .text(t(.boardMore, ["n": t.number(Int64(column.count - column.cards.count))]))))
        )
    }

    private func card(_ card: Board.Card) -> Node<HTML.ListContext> {
        let t = page.t
        let deal = card.deal
        let days = card.inStageSince.map { max(0, Int(now.timeIntervalSince($0) / 86_400)) }
        return .li(
            .class("card"), .attribute(named: "draggable", value: "true"), .attribute(named: "data-deal", value: String(deal.id.rawValue)),
            .a(.href(SiteURL.deal(id: deal.id.rawValue).path), .strong(.text(deal.title))),
            .div(.class("amount"), .text(t.money(deal.amount, showMinorUnits: false))),
            .div(.text(card.accountName)),
            .div(.class("muted"), .text(card.ownerName), .unwrap(days) { .text(" · " + t.count(.countDaysInStage, $0)) }),
            moveForm(deal)
        )
    }

    private func moveForm(_ deal: Deal) -> Node<HTML.BodyContext> {
        let t = page.t
        return .element(named: "details", nodes: [
            .element(named: "summary", text: t(.boardMoveTo)),
            .form(
                .class("move"), .method(.post), .action(SiteURL.dealMove(id: deal.id.rawValue).path),
                csrfField(page.csrfToken),
                .input(.type(.hidden), .name("version"), .value(String(deal.version))),
                .input(.type(.hidden), .name("return"), .value(returnPath)),
                .label(.for("move-\(deal.id.rawValue)"), .class("visually-hidden"), .text(t(.boardMoveTo))),
                .select(.attribute(named: "id", value: "move-\(deal.id.rawValue)"), .attribute(named: "name", value: "stage"),
                        .forEach(board.columns.map(\.stage)) { stage in
                            option(value: String(stage.id.rawValue), label: stage.name, selected: stage.id == deal.stageID)
                        }),
                .button(.type(.submit), .class("quiet"), .text(t(.boardMove)))
            ),
        ])
    }
}
