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
            .table(.class("list"), figures.progressHead(),
                   .tbody(.forEach(standing.targets) { figures.progressRow(figures.label(of: $0.measure), $0.measure, $0.progress) })),
            .forEach(standing.targets) { chart($0.measure, $0.progress) },
            .if(!standing.rows.isEmpty, .group(
                .h2(.text(t(.plansRows))),
                .table(.class("list"), figures.progressHead(), .tbody(.forEach(standing.rows) { row in
                    figures.progressRow("\(rowNames[row.row.dimension]?[row.row.key] ?? "#\(row.row.key)") · \(figures.label(of: row.row.measure))",
                                        row.row.measure, row.progress)
                })))),
            .if(!standing.members.isEmpty, members()),
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

    /// Cumulative actual through each checkpoint, the plan spread evenly over the period, and the run-rate from today to
    /// the period's end.
    private func chart(_ measure: PlanMeasure, _ progress: PlanProgress) -> Node<HTML.BodyContext> {
        let t = page.t
        let days = cumulative.days
        let actual = cumulative.actuals[measure] ?? []
        let scale = measure.isMoney ? pow(10, Double(figures.currency.minorUnitDigits)) : measure == .quantity ? 1000 : 1
        func unit(_ value: Int64) -> Double { Double(value) / scale }
        var series = [
            Chart.Series(name: t(.planLine), values: days.map { unit(PlanProgress.evenShare(of: progress.target, plan.period, through: $0)) }),
            Chart.Series(name: t(.planCumulative), values: actual.map(unit)),
        ]
        if let last = actual.last, actual.count < days.count, progress.daysElapsed > 0 {
            // The run-rate goes on from the last actual point at the pace so far.
            let from = days[actual.count - 1]
            let perDay = Double(last) / Double(progress.daysElapsed)
            let rest = days[(actual.count - 1)...].map { unit(Int64((Double(last) + perDay * Double(from.days(until: $0))).rounded())) }
            series.append(Chart.Series(name: t(.planRunRate), values: Array(rest), start: actual.count - 1))
        }
        // A month's or week's days by their number; longer periods by their date.
        let labels = days.map { [.month, .week].contains(plan.period.grain) ? String($0.day) : t.date($0) }
        let format: Chart.Format = measure.isMoney ? .money(figures.currency) : .number
        return .element(named: "figure", nodes: [
            .class("chart"),
            LineChart(title: "\(figures.label(of: measure)): \(t(.planCumulative))", categories: labels, series: series, format: format).node(t),
        ])
    }

    private func members() -> Node<HTML.BodyContext> {
        let t = page.t
        let measures = standing.targets.map(\.measure)
        return .group(
            .h2(.text(t(.plansMembers))),
            .table(.class("list"),
                   .thead(.tr(.th(.text(t(.payPerson))), .forEach(measures) { .th(.class("number"), .text(figures.label(of: $0))) })),
                   .tbody(.forEach(standing.members) { member in
                       .tr(.td(.text(figures.user(member.userID))),
                           .forEach(measures) { .td(.class("number"), .text(figures.value(member.actuals[$0] ?? 0, $0))) })
                   })))
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
