import KvotaCore
import KvotaStore
import Plot

/// The split screen: how to split (by subject or by period, the method, the grain), the proposal as editable parts,
/// and under them the sum check per measure with the unassigned remainder. Creating drafts that do not add up needs
/// a reason, which the audit trail keeps.
struct PlanSplitPage {
    struct Choice {
        var by: PlanSplit.Level
        var method: PlanSplit.Method
        var grain: PeriodGrain?
    }

    let page: PageContext
    let parent: Plan
    let figures: PlanFigures
    let choice: Choice
    /// The parts as proposed or as last entered; empty when the split cannot be made (the reason is in `errors`).
    let parts: [PlanSplit.Part]
    let checks: [PlanSplit.Check]
    /// What the fields held when they were not numbers, by field name.
    var entered: [String: String] = [:]
    var errors: [String: String] = [:]
    var overrideReason = ""

    func html() -> HTML {
        let t = page.t
        let title = t(.splitTitle, ["plan": "\(figures.subject(parent.subject)) · \(parent.period.label)"])
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title)),
            PlansTab.nav(page, current: .plans),
            .p(.a(.href(SiteURL.plan(id: parent.id.rawValue).path), .text(t(.splitBack)))),
            chooser(),
            .unwrap(errors["form"]) { .p(.class("flash error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .if(!parts.isEmpty, partsForm())
        ))
    }

    private func chooser() -> Node<HTML.BodyContext> {
        let t = page.t
        let levels: [(String, String)] = (parent.subject.childKind == nil ? [] : [(PlanSplit.Level.subject.rawValue, t(.splitBySubject))])
            + [(PlanSplit.Level.period.rawValue, t(.splitByPeriod))]
        let methods: [(String, String)] = [(PlanSplit.Method.equal.rawValue, t(.splitEqual)), (PlanSplit.Method.previous.rawValue, t(.splitPrevious)),
                                           (PlanSplit.Method.lastYear.rawValue, t(.splitLastYear))]
        let order = PeriodGrain.allCases
        let grains = order.filter { $0 != .day && order.firstIndex(of: $0)! < order.firstIndex(of: parent.period.grain)! }
        return .form(.class("filters"), .method(.get), .action(SiteURL.planSplit(id: parent.id.rawValue, query: "").path),
                     selectField(t(.splitBy), name: "by", options: levels, selected: choice.by.rawValue),
                     selectField(t(.splitMethod), name: "method", options: methods, selected: choice.method.rawValue),
                     .if(choice.by == .period && !grains.isEmpty,
                         selectField(t(.splitGrain), name: "grain", options: grains.map { ($0.rawValue, t(Self.grainKey($0))) },
                                     selected: choice.grain?.rawValue)),
                     .button(.type(.submit), .class("quiet"), .text(t(.splitPropose))))
    }

    private func partsForm() -> Node<HTML.BodyContext> {
        let t = page.t
        let measures = parent.targets.map(\.measure)
        return .form(.method(.post), .action(SiteURL.planSplit(id: parent.id.rawValue, query: "").path),
            csrfField(page.csrfToken),
            .input(.type(.hidden), .name("by"), .value(choice.by.rawValue)),
            .input(.type(.hidden), .name("method"), .value(choice.method.rawValue)),
            .unwrap(choice.grain) { .input(.type(.hidden), .name("grain"), .value($0.rawValue)) },
            .table(.class("list split"),
                   .thead(.tr(.th(.text(t(.splitPart))), .forEach(measures) { m in
                       .th(.class("number"), .text(figures.label(of: m) + (m.isMoney ? ", \(figures.currency.code)" : "")))
                   })),
                   .tbody(.forEach(Array(parts.enumerated())) { index, part in
                       .tr(.td(.attribute(named: "data-label", value: t(.splitPart)),
                               .text(choice.by == .subject ? figures.subject(part.subject) : part.period.label),
                               .input(.type(.hidden), .name("p\(index).scope"), .value(part.subject.description)),
                               .input(.type(.hidden), .name("p\(index).period"), .value(part.period.label)),
                               .unwrap(errors["p\(index)"]) { .p(.class("error"), .text($0)) }),
                           .forEach(measures) { m in
                               let name = "p\(index).\(m.rawValue)"
                               let value = part.targets.first { $0.measure == m }.map { figures.input($0.target, m) } ?? ""
                               return .td(.class("number"), .attribute(named: "data-label", value: figures.label(of: m)),
                                          .input(.type(.text), .name(name), .value(entered[name] ?? value), .attribute(named: "inputmode", value: "decimal"),
                                                 .attribute(named: "aria-label", value: "\(figures.label(of: m)) · \(part.subject) \(part.period.label)"),
                                                 .attribute(named: "data-split-measure", value: m.rawValue),
                                                 .attribute(named: "aria-invalid", value: errors[name] == nil ? "" : "true")),
                                          .unwrap(errors[name]) { .p(.class("error"), .text($0)) })
                           })
                   }),
                   .tfoot(
                       .tr(.th(.text(t(.splitParentTarget))), .forEach(measures) { m in
                           .td(.class("number"), .text(figures.value(parent.targets.first { $0.measure == m }?.target ?? 0, m)))
                       }),
                       .tr(.th(.text(t(.splitAssigned))), .forEach(measures) { m in
                           .td(.class("number"), .text(checks.first { $0.measure == m }.map { figures.value($0.assigned, m) } ?? ""))
                       }),
                       .tr(.th(.text(t(.splitRemainder))), .forEach(measures) { m in
                           let remainder = checks.first { $0.measure == m }?.remainder ?? 0
                           return .td(.class(remainder == 0 ? "number" : "number warn"), .text(figures.value(remainder, m)))
                       }))),
            .div(.class("stack"),
                 field(t(.splitOverride), name: "overrideReason", type: .text, value: overrideReason, error: errors["overrideReason"],
                       required: false)),
            .div(.class("actions"),
                 .button(.type(.submit), .name("action"), .value("check"), .class("quiet"), .text(t(.splitCheck))),
                 .button(.type(.submit), .name("action"), .value("create"), .text(t(.splitCreate)))))
    }

    static func grainKey(_ grain: PeriodGrain) -> UIKey {
        switch grain {
        case .day, .week: .splitWeeks
        case .month: .splitMonths
        case .quarter: .splitQuarters
        case .halfYear: .splitHalves
        case .year: .splitYears
        }
    }
}
