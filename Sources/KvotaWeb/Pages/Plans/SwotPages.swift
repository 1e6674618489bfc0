import Foundation
import KvotaCore
import KvotaStore
import Plot

/// SWOT boards: the list with the form of a new one, and one board as four quadrants with the board of the period
/// before under it. Who keeps a board sees the forms; the others read.
struct SwotListPage {
    let page: PageContext
    let boards: [SwotBoard]
    let words: SwotWords
    /// Scopes the reader may open a board for (value, label); empty: no form.
    let scopes: [(String, String)]
    let entered: [String: String]
    let errors: [String: String]

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.swotTitle)).document(.group(
            .h1(.text(t(.swotTitle))),
            PlansTab.nav(page, current: .swot),
            boards.isEmpty ? .p(.class("muted"), .text(t(.swotNone))) : .table(.class("list"),
                .thead(.tr(.th(.text(t(.swotPeriod))), .th(.text(t(.swotScope))), .th(.text(t(.swotBoardTitle))))),
                .tbody(.forEach(boards) { board in
                    .tr(.td(.a(.href(SiteURL.swotBoard(id: board.id.rawValue).path), .text(board.period.label))),
                        .td(.text(words.scope(board.scope))), .td(.text(board.title)))
                })),
            .if(!scopes.isEmpty, .group(
                .h2(.text(t(.swotNew))),
                .form(.class("stacked"), .action(SiteURL.swot.path), .method(.post), csrfField(page.csrfToken),
                      selectField(t(.swotScope), name: "scope", options: scopes, selected: entered["scope"], error: errors["scope"]),
                      field(t(.swotPeriod), name: "period", type: .text, value: entered["period"] ?? "", error: errors["period"]),
                      field(t(.swotBoardTitle), name: "title", type: .text, value: entered["title"] ?? "", error: errors["title"], required: false),
                      .button(.type(.submit), .text(t(.swotCreate))))
            ))
        ))
    }
}

struct SwotBoardPage {
    let page: PageContext
    let board: SwotBoard
    let previous: SwotBoard?
    let words: SwotWords
    let canKeep: Bool
    /// Whom an item can be for (value, label).
    let people: [(String, String)]
    let entered: [String: String]
    let errors: [String: String]

    func html() -> HTML {
        let t = page.t
        let title = t(.swotBoard, ["scope": words.scope(board.scope), "period": board.period.label])
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title)),
            PlansTab.nav(page, current: .swot),
            .if(!board.title.isEmpty, .p(.text(board.title))),
            grid(board, editable: canKeep),
            .if(canKeep, form()),
            .unwrap(previous) { previous in
                .group(.h2(.a(.href(SiteURL.swotBoard(id: previous.id.rawValue).path), .text(t(.swotPrevious, ["period": previous.period.label])))),
                       grid(previous, editable: false))
            }
        ))
    }

    private func grid(_ board: SwotBoard, editable: Bool) -> Node<HTML.BodyContext> {
        .div(.class("swot"), .forEach(SwotBoard.Quadrant.allCases) { quadrant in
            .section(.class("quadrant \(quadrant.rawValue)"),
                     .h3(.text(page.t(quadrant.label))),
                     .ul(.forEach(board.items(in: quadrant)) { item in
                         .li(.span(.class("impact"), .attribute(named: "title", value: page.t(.swotImpact)), .text(String(repeating: "●", count: item.impact))),
                             .text(" " + item.text),
                             .span(.class("muted"), .text(" · " + (item.ownerID.map(words.figures.user) ?? page.t(.swotNoOwner))
                                                          + (item.taskIDs.isEmpty ? "" : " · " + page.t(.swotTasks, ["n": String(item.taskIDs.count)])))),
                             .if(editable, actions(item)))
                     }))
        })
    }

    private func actions(_ item: SwotBoard.Item) -> Node<HTML.BodyContext> {
        .group(
            .form(.class("inline"), .action(SiteURL.swotItemTask(id: item.id.rawValue).path), .method(.post), csrfField(page.csrfToken),
                  .button(.type(.submit), .class("quiet"), .text(page.t(.swotMakeTask)))),
            .form(.class("inline"), .action(SiteURL.swotItemDelete(id: item.id.rawValue).path), .method(.post), csrfField(page.csrfToken),
                  .button(.type(.submit), .class("quiet"), .text(page.t(.swotDeleteItem))))
        )
    }

    private func form() -> Node<HTML.BodyContext> {
        let t = page.t
        return .group(
            .h2(.text(t(.swotAddItem))),
            .form(.class("stacked"), .action(SiteURL.swotBoard(id: board.id.rawValue).path), .method(.post), csrfField(page.csrfToken),
                  selectField(t(.swotQuadrant), name: "quadrant",
                              options: SwotBoard.Quadrant.allCases.map { ($0.rawValue, t($0.label)) }, selected: entered["quadrant"],
                              error: errors["quadrant"]),
                  textareaField(t(.swotText), name: "text", value: entered["text"] ?? "", error: errors["text"], rows: 2),
                  selectField(t(.swotImpact), name: "impact", options: (1...5).map { (String($0), String($0)) }, selected: entered["impact"] ?? "3",
                              error: errors["impact"]),
                  selectField(t(.swotOwner), name: "ownerId", options: [("", t(.swotNoOwner))] + people, selected: entered["ownerId"],
                              error: errors["ownerId"]),
                  .button(.type(.submit), .text(t(.swotAddItem))))
        )
    }
}

/// How SWOT pages name a scope and a person.
struct SwotWords {
    let figures: PlanFigures
    let categories: [Int64: String]

    func scope(_ scope: SwotBoard.Scope) -> String {
        switch scope {
        case .company: figures.t(.swotCompany)
        case .team(let id): figures.teams[id] ?? "#\(id)"
        case .category(let id): categories[id] ?? "#\(id)"
        }
    }
}

extension SwotBoard.Quadrant {
    var label: UIKey {
        switch self {
        case .strengths: .swotStrengths
        case .weaknesses: .swotWeaknesses
        case .opportunities: .swotOpportunities
        case .threats: .swotThreats
        }
    }
}
