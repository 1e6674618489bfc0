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
    let timeline: [TimelineEvent]
    let lossReasons: [LossReason]

    private var stage: Stage? { stages.first { $0.id == deal.stageID } }
    private var path: String { SiteURL.deal(id: deal.id.rawValue).path }

    func html() -> HTML {
        Layout(page: page, title: deal.title).document(.group(
            .h1(.text(deal.title), .text(" "), .span(.class("badge \(deal.status.rawValue)"), .text(page.t(deal.status.label)))),
            .div(.class("record"),
                 .div(.class("record-main"), facts(), quick.openTasksSection(), quick.formsSection(), Timeline.section(timeline, page.t)),
                 .aside(.class("record-side"), stageGuide(), stageActions()))
        ))
    }

    private func facts() -> Node<HTML.BodyContext> {
        let t = page.t
        var rows: [(UIKey, String)] = [
            (.dealAmount, t.money(deal.amount)), (.dealStage, stage?.name ?? ""), (.dealAccount, accountName),
            (.dealContact, contactName ?? t(.commonNone)), (.dealOwner, ownerName),
            (.dealExpectedClose, deal.expectedClose.map(t.date) ?? t(.commonNone)), (.dealCreated, t.dateTime(deal.createdAt)),
        ]
        if let closed = deal.closedAt { rows.append((.dealClosed, t.dateTime(closed))) }
        if let reason = deal.lossReason { rows.append((.dealLossReason, reason)) }
        return .dl(.class("facts"), .forEach(rows) { key, value in
            .group(.dt(.text(t(key))), .dd(.text(value)))
        })
    }

    private func stageGuide() -> Node<HTML.BodyContext> {
        let t = page.t
        return .unwrap(stage) { stage in
            .group(
                .unwrap(stage.script) { script in .section(.h2(.text(t(.dealScript))), .p(.class("script"), .text(script))) },
                .if(!stage.checklist.isEmpty, .section(.h2(.text(t(.dealChecklist))),
                                                       .ul(.class("checklist"), .forEach(stage.checklist) { .li(.text($0)) })))
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
}
