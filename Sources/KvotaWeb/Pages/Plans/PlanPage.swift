import Foundation
import KvotaCore
import KvotaStore
import Plot

/// One plan: its progress per measure with a chart of the cumulative actual against the plan line and the run-rate,
/// its rows and members, its history with the reasons of every revision, and (for whoever may set it) the targets'
/// form, approval, the split and deletion of a draft.
struct PlanPage {
    let page: PageContext
    let standing: PlanStanding
    let cumulative: PlanCumulative
    let figures: PlanFigures
    let rowNames: [PlanDimension: [Int64: String]]
    let history: [AuditEntry]
    /// The breakdown rows as the form writes them (`PlanRowsText`).
    let rowsText: String
    let canChange: Bool
    let canSplit: Bool
    /// What the targets' form held when it failed, by field, and the reasons.
    var entered: [String: String] = [:]
    var errors: [String: String] = [:]

    private var plan: Plan { standing.plan }

    func html() -> HTML {
        let t = page.t
        let title = "\(figures.subject(plan.subject)) · \(plan.period.label) · \(figures.status(plan))"
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title)),
            PlansTab.nav(page, current: .plans),
            .unwrap(plan.note) { .p(.text($0)) },
            actions(),
            .unwrap(standing.targets.first?.progress) {
                .p(.class("muted"), .text(t(.plansDays, ["elapsed": String($0.daysElapsed), "total": String($0.daysTotal)])))
            },
            figures.progressTable(standing.targets),
            .forEach(standing.targets) { PlanChart(plan: plan, cumulative: cumulative, figures: figures).node($0.measure, $0.progress) },
            .if(!standing.rows.isEmpty, .group(
                .h2(.text(t(.plansRows))),
                .table(.class("list"), figures.progressHead(), .tbody(.forEach(standing.rows) { row in
                    figures.progressRow("\(rowNames[row.row.dimension]?[row.row.key] ?? "#\(row.row.key)") · \(figures.label(of: row.row.measure))",
                                        row.row.measure, row.progress)
                })))),
            .if(!standing.members.isEmpty, figures.members(standing, heading: .h2)),
            .if(canChange, targetsForm()),
            .if(!history.isEmpty, historyList())
        ))
    }

    private func actions() -> Node<HTML.BodyContext> {
        let t = page.t
        return .div(.class("actions"),
            .if(canChange && plan.status == .draft,
                .form(.class("inline"), .method(.post), .action(SiteURL.planApprove(id: plan.id.rawValue).path),
                      csrfField(page.csrfToken), .input(.type(.hidden), .name("version"), .value(String(plan.version))),
                      .button(.type(.submit), .class("good"), .text(t(.planApprove))))),
            .if(canSplit, .a(.class("button quiet"), .href(SiteURL.planSplit(id: plan.id.rawValue, query: "").path), .text(t(.planSplit)))),
            .if(canChange && plan.status == .draft,
                .form(.class("inline"), .method(.post), .action(SiteURL.planDelete(id: plan.id.rawValue).path),
                      csrfField(page.csrfToken), .input(.type(.hidden), .name("version"), .value(String(plan.version))),
                      .button(.type(.submit), .class("danger"), .text(t(.planDelete))))))
    }

    /// One field per measure (blank: not planned), the note, and for an approved plan the reason the audit trail keeps.
    private func targetsForm() -> Node<HTML.BodyContext> {
        let t = page.t
        let current = Dictionary(plan.targets.map { ($0.measure, $0.target) }, uniquingKeysWith: { a, _ in a })
        return .element(named: "section", nodes: [
            .h2(.text(t(.planTargets))),
            .unwrap(errors["form"]) { .p(.class("flash error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .form(.class("stack grid"), .method(.post), .action(SiteURL.planTargets(id: plan.id.rawValue).path),
                  csrfField(page.csrfToken), .input(.type(.hidden), .name("version"), .value(String(plan.version))),
                  figures.targetFields(current: current, entered: entered, errors: errors),
                  textareaField(t(.planRows), name: "rows", value: entered["rows"] ?? rowsText, error: errors["rows"]),
                  field(t(.planNote), name: "note", type: .text, value: entered["note"] ?? plan.note ?? "", error: errors["note"], required: false),
                  .if(plan.status == .approved,
                      field(t(.planReason), name: "reason", type: .text, value: entered["reason"] ?? "", error: errors["reason"])),
                  .div(.class("actions"), .button(.type(.submit), .text(t(.planSave)))))
        ])
    }

    private func historyList() -> Node<HTML.BodyContext> {
        let t = page.t
        return .group(
            .h2(.text(t(.planHistory))),
            .ul(.class("timeline"), .forEach(history) { entry in
                let what = switch entry.action {
                case "create": t(.planCreated)
                case "approve": t(.planApproved)
                case "revise": t(.planRevised)
                case "split": t(.planSplitEvent)
                default: t(.planChanged)
                }
                let changes = entry.changes.filter { $0.field != "version" && $0.field != "status" }
                    .map { "\($0.field): \($0.old ?? "–") → \($0.new ?? "–")" }.joined(separator: "; ")
                return .li(.text("\(t.dateTime(entry.at)) · \(what)" + (entry.actorID.map { " · " + figures.user($0) } ?? "")),
                           .unwrap(entry.detail) { .p(.text(entry.action == "split" ? $0 : t(.planReasonWas, ["reason": $0]))) },
                           .if(!changes.isEmpty, .p(.class("muted"), .text(changes))))
            }))
    }
}
