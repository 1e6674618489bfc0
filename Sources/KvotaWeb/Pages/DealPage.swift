import Foundation
import KvotaCore
import Plot

/// A deal: its facts, the stage's script and checklist beside it, what is planned, quick actions (log a call, add a
/// note, schedule a task or meeting, change stage, win or lose with a reason) and the timeline of everything that
/// happened to it.
struct DealPage {
    struct Event {
        let at: Date
        let title: String
        let detail: String?
        let by: String?
    }

    let page: PageContext
    let deal: Deal
    let accountName: String
    let contactName: String?
    let ownerName: String
    let stages: [Stage]
    let openTasks: [Activity]
    let timeline: [Event]
    let lossReasons: [LossReason]
    let now: Date
    /// Problems of the quick form last posted, by field, and which form it was.
    var quickForm: String?
    var quickErrors: [String: String] = [:]

    private var stage: Stage? { stages.first { $0.id == deal.stageID } }
    private var path: String { SiteURL.deal(id: deal.id.rawValue).path }

    func html() -> HTML {
        Layout(page: page, title: deal.title).document(.group(
            .h1(.text(deal.title), .text(" "), .span(.class("badge \(deal.status.rawValue)"), .text(page.t(deal.status.label)))),
            .div(.class("record"),
                 .div(.class("record-main"), facts(), openTasksSection(), quickActions(), timelineSection()),
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

    private func openTasksSection() -> Node<HTML.BodyContext> {
        let t = page.t
        return .section(
            .h2(.text(t(.dealOpenTasks))),
            openTasks.isEmpty ? .p(.class("muted"), .text(t(.dealNoOpenTasks))) : .ul(.class("tasks"), .forEach(openTasks) { task in
                .li(.text("\(t(task.kind.label)): \(task.subject)"),
                    .unwrap(task.dueAt) { due in .span(.class(due < now ? "late" : "muted"), .text(" · \(t.dateTime(due))")) },
                    .form(.class("inline"), .method(.post), .action(SiteURL.activityDone(id: task.id.rawValue).path),
                          csrfField(page.csrfToken), .input(.type(.hidden), .name("return"), .value(path)),
                          .text(" "), .button(.type(.submit), .class("quiet"), .text(t(.dealMarkDone)))))
            })
        )
    }

    private func quickActions() -> Node<HTML.BodyContext> {
        let t = page.t
        return .section(
            .class("quick"),
            quickForm("call", title: t(.quickLogCall), fields: .group(
                field(t(.quickSubject), name: "subject", id: "call-subject", type: .text, error: error("subject", in: "call")),
                selectField(t(.quickDirection), name: "direction", options: [("outbound", t(.quickOutbound)), ("inbound", t(.quickInbound))],
                            selected: "outbound"),
                selectField(t(.quickOutcome), name: "outcome", options: [("answered", t(.quickAnswered)), ("missed", t(.quickMissed))],
                            selected: "answered"),
                field(t(.quickMinutes), name: "minutes", type: .number, value: "0", error: error("minutes", in: "call"), required: false)
            )),
            quickForm("note", title: t(.quickAddNote), fields: .group(
                .label(.for("note-subject"), .text(t(.quickNote))),
                .textarea(.id("note-subject"), .name("subject"), .attribute(named: "rows", value: "3"), .required(true)),
                .unwrap(error("subject", in: "note")) { .p(.class("error"), .text($0)) }
            )),
            quickForm("planned", title: t(.quickSchedule), fields: .group(
                selectField(t(.quickKind), name: "kind", options: [("task", t(.activityTask)), ("meeting", t(.activityMeeting))],
                            selected: "task"),
                field(t(.quickSubject), name: "subject", id: "planned-subject", type: .text, error: error("subject", in: "planned")),
                field(t(.quickDue), name: "due", type: .datetimeLocal, error: error("due", in: "planned"))
            ))
        )
    }

    /// The reason for `field` when `form` was the one posted.
    private func error(_ field: String, in form: String) -> String? {
        quickForm == form ? quickErrors[field] : nil
    }

    private func quickForm(_ name: String, title: String, fields: Node<HTML.FormContext>) -> Node<HTML.BodyContext> {
        .element(named: "details", nodes: [
            quickForm == name ? .attribute(named: "open") : .empty,
            .element(named: "summary", text: title),
            .form(.class("stack"), .method(.post), .action(SiteURL.dealActivities(id: deal.id.rawValue).path),
                  csrfField(page.csrfToken), .input(.type(.hidden), .name("form"), .value(name)),
                  fields, .div(.class("actions"), .button(.type(.submit), .text(page.t(.quickSave))))),
        ])
    }

    private func timelineSection() -> Node<HTML.BodyContext> {
        let t = page.t
        return .section(
            .h2(.text(t(.dealTimeline))),
            timeline.isEmpty ? .p(.class("muted"), .text(t(.dealTimelineEmpty))) : .ol(.class("timeline"), .forEach(timeline) { event in
                .li(.element(named: "time", text: t.dateTime(event.at)),
                    .text(" "), .strong(.text(event.title)),
                    .unwrap(event.detail) { .span(.text(" · \($0)")) },
                    .unwrap(event.by) { .span(.class("muted"), .text(" · " + t(.dealBy, ["name": $0]))) })
            })
        )
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
