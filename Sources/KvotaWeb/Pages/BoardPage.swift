import Foundation
import KvotaCore
import Plot

/// The pipeline board: a column per stage with its count and sum, cards with amount, account, owner and days in
/// stage. Each card links to a "move to" page, so moving works without JavaScript; kvota.js lets a card be dragged
/// onto a column, which posts the same move. One link per card instead of a form listing every stage keeps a board
/// of 200 cards under 100 KB.
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
            .div(.class("board"), .attribute(named: "data-return", value: returnPath), .forEach(board.columns) { column($0) })
        ))
    }

    private var returnPath: String {
        SiteURL.board(pipeline: board.pipeline.id.rawValue, owner: filter.ownerID?.rawValue, team: filter.teamID?.rawValue,
                      byScore: filter.byScore).path
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
            selectField(t(.boardOrder), name: "order", options: [("", t(.boardOrderRecent)), ("score", t(.boardOrderScore))],
                        selected: filter.byScore ? "score" : ""),
            .button(.type(.submit), .class("quiet"), .text(t(.boardShow)))
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
               .if(!column.sums.isEmpty, .text(" · " + t.amounts(column.sums))),
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
            .attribute(named: "data-version", value: String(deal.version)),
            .a(.href(SiteURL.deal(id: deal.id.rawValue).path), .strong(.text(deal.title))),
            .div(.class("amount"), .text(t.money(deal.amount, showMinorUnits: false)),
                 .unwrap(deal.score) { ScoreBadge(page: page, score: $0).node() }),
            .div(.text(card.accountName)),
            .div(.class("muted"), .text(card.ownerName), .unwrap(days) { .text(" · " + t.count(.countDaysInStage, $0)) }),
            moveLink(deal)
        )
    }

    /// Without JavaScript, "move to" opens a page of the stages; with it, a drop posts the same move (kvota.js).
    private func moveLink(_ deal: Deal) -> Node<HTML.BodyContext> {
        .a(.class("move-link"), .href(SiteURL.dealMoveChoice(id: deal.id.rawValue, return: returnPath).path), .text(page.t(.boardMoveTo)))
    }
}
