import Foundation
import KvotaCore
import Plot

/// A deal: its facts, the stage's script and checklist beside it, what is planned, quick actions (log a call, add a
/// note, schedule a task or meeting, change stage, win or lose with a reason) and the timeline of everything that
/// happened to it.
struct DealPage {
    let page: PageContext
    let deal: Deal
    let accountName: String
    let contactName: String?
    let ownerName: String
    let stages: [Stage]
    var quick: QuickActions
    let timeline: TimelineWindow
    let lossReasons: [LossReason]
    /// The account's people the reader sees, for the edit form's contact.
    var contacts: [Contact] = []
    /// A deal with product lines has the sum of its lines as its amount; the form does not offer to type one.
    var hasLines = false
    /// The library's scripts, regulations and guides the deal's stage links to.
    var documents: [LibraryDocument] = []
    /// The edit form as last posted, and its problems by field.
    var editValues: [String: String]?
    var editErrors: [String: String] = [:]

    private var stage: Stage? { stages.first { $0.id == deal.stageID } }
    private var path: String { SiteURL.deal(id: deal.id.rawValue).path }

    func html() -> HTML {
        Layout(page: page, title: deal.title).document(.group(
            .h1(.text(deal.title), .text(" "), .span(.class("badge \(deal.status.rawValue)"), .text(page.t(deal.status.label)))),
            .div(.class("record"),
                 .div(.class("record-main"), facts(), .unwrap(deal.score) { ScoreFact(page: page, score: $0).node() },
                      quick.openTasksSection(), quick.formsSection(), timeline.section(path: path, page.t)),
                 .aside(.class("record-side"), stageGuide(), stageActions(), editForm()))
        ))
    }

    private func facts() -> Node<HTML.BodyContext> {
        let t = page.t
        // The rows named by an edit-form field can be changed in place (kvota.js) or with the form beside them.
        var rows: [(UIKey, String, String?)] = [
            (.dealAmount, t.money(deal.amount), hasLines ? nil : "amount"), (.dealStage, stage?.name ?? "", nil), (.dealAccount, accountName, nil),
            (.dealContact, contactName ?? t(.commonNone), "contact"), (.dealOwner, ownerName, nil),
            (.dealExpectedClose, deal.expectedClose.map(t.date) ?? t(.commonNone), "expectedClose"),
            (.forecastCategoryLabel, t(deal.forecastCategory.label), "forecastCategory"), (.dealCreated, t.dateTime(deal.createdAt), nil),
        ]
        if let closed = deal.closedAt { rows.append((.dealClosed, t.dateTime(closed), nil)) }
        if let reason = deal.lossReason { rows.append((.dealLossReason, reason, nil)) }
        return .dl(.class("facts"), .forEach(rows) { key, value, field in
            .group(.dt(.text(t(key))),
                   .dd(.unwrap(field) { .group(.attribute(named: "data-edit", value: $0), .attribute(named: "tabindex", value: "0"),
                                               .attribute(named: "title", value: t(.dealEditHint))) },
                       .text(value)))
        })
    }

    private func stageGuide() -> Node<HTML.BodyContext> {
        let t = page.t
        return .unwrap(stage) { stage in
            .group(
                .unwrap(stage.script) { script in .section(.h2(.text(t(.dealScript))), .p(.class("script"), .text(script))) },
                .if(!stage.checklist.isEmpty, .section(.h2(.text(t(.dealChecklist))),
                                                       .ul(.class("checklist"), .forEach(stage.checklist) { .li(.text($0)) }))),
                .if(!documents.isEmpty, .section(.h2(.text(t(.libraryForStage))), .ul(.forEach(documents) { document in
                    .li(.a(.href(SiteURL.libraryDocument(id: document.id.rawValue).path), .text(document.title)),
                        .span(.class("muted"), .text(" · " + t(document.kind.label))))
                })))
            )
        }
    }

    private func stageActions() -> Node<HTML.BodyContext> {
        let t = page.t
        guard deal.status == .open else { return .empty }
        let won = stages.first { $0.outcome == .won }
        let lost = stages.first { $0.outcome == .lost }
        return .section(
            .h2(.text(t(.dealChangeStage))),
            .form(.class("stack"), .method(.post), .action(SiteURL.dealMove(id: deal.id.rawValue).path),
                  moveFields(),
                  selectField(t(.dealStage), name: "stage", id: "change-stage",
                              options: stages.filter { $0.outcome == .open }.map { (String($0.id.rawValue), $0.name) },
                              selected: String(deal.stageID.rawValue)),
                  .div(.class("actions"), .button(.type(.submit), .class("quiet"), .text(t(.boardMove))))),
            .unwrap(won) { won in
                .form(.class("stack"), .method(.post), .action(SiteURL.dealMove(id: deal.id.rawValue).path),
                      moveFields(), .input(.type(.hidden), .name("stage"), .value(String(won.id.rawValue))),
                      .div(.class("actions"), .button(.type(.submit), .class("good"), .text(t(.dealWinAction)))))
            },
            .unwrap(lost) { lost in
                .form(.class("stack"), .method(.post), .action(SiteURL.dealMove(id: deal.id.rawValue).path),
                      moveFields(), .input(.type(.hidden), .name("stage"), .value(String(lost.id.rawValue))),
                      selectField(t(.moveLossReason), name: "lossReason", id: "lose-reason",
                                  options: [("", t(.moveChoose))] + lossReasons.map { ($0.name, $0.name) }, selected: ""),
                      .div(.class("actions"), .button(.type(.submit), .class("danger"), .text(t(.dealLoseAction)))))
            }
        )
    }

    private func moveFields() -> Node<HTML.FormContext> {
        .group(csrfField(page.csrfToken),
               .input(.type(.hidden), .name("version"), .value(String(deal.version))),
               .input(.type(.hidden), .name("return"), .value(path)))
    }

    /// Title, amount, expected close and contact in one form; kvota.js changes one of them in place through it.
    private func editForm() -> Node<HTML.BodyContext> {
        let t = page.t
        let values = editValues ?? [
            "title": deal.title, "amount": deal.amount.decimalText, "expectedClose": deal.expectedClose?.iso ?? "",
            "contact": deal.contactID.map { String($0.rawValue) } ?? "", "forecastCategory": deal.forecastCategory.rawValue,
        ]
        return .section(.element(named: "details", nodes: [
            editValues == nil ? .empty : .attribute(named: "open"),
            .element(named: "summary", text: t(.dealEdit)),
            .form(.id("deal-edit"), .class("stack"), .method(.post), .action(SiteURL.dealEdit(id: deal.id.rawValue).path),
                  csrfField(page.csrfToken), .input(.type(.hidden), .name("version"), .value(String(deal.version))),
                  field(t(.accountDealTitle), name: "title", id: "edit-title", type: .text, value: values["title"] ?? "", error: editErrors["title"]),
                  .if(!hasLines, field(t(.moveAmount, ["currency": deal.amount.currency.code]), name: "amount", id: "edit-amount", type: .text,
                                       value: values["amount"] ?? "", error: editErrors["amount"], required: false)),
                  field(t(.moveExpectedClose), name: "expectedClose", id: "edit-expectedClose", type: .date, value: values["expectedClose"] ?? "",
                        error: editErrors["expectedClose"], required: false),
                  selectField(t(.moveContact), name: "contact", id: "edit-contact",
                              options: [("", t(.commonNone))] + contactOptions,
                              selected: values["contact"], error: editErrors["contact"]),
                  selectField(t(.forecastCategoryLabel), name: "forecastCategory", id: "edit-forecastCategory",
                              options: ForecastCategory.allCases.map { ($0.rawValue, t($0.label)) },
                              selected: values["forecastCategory"], error: editErrors["forecastCategory"]),
                  .div(.class("actions"), .button(.type(.submit), .text(t(.commonSave))))),
        ]))
    }

    /// The account's people, and the deal's own contact even when the reader may not list it (a colleague's
    /// account), so saving the form keeps it.
    private var contactOptions: [(value: String, label: String)] {
        var options = contacts.map { (value: String($0.id.rawValue), label: $0.name) }
        if let current = deal.contactID, !contacts.contains(where: { $0.id == current }) {
            options.insert((String(current.rawValue), contactName ?? "#\(current.rawValue)"), at: 0)
        }
        return options
    }
}
