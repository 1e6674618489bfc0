import Foundation
import KvotaCore
import KvotaStore
import Plot

/// Every compensation scheme version: whom it pays, from when, and its parts in short; a version is never edited, so
/// each has "new version from this" for whoever may set schemes.
struct SchemesPage {
    let page: PageContext
    let schemes: [CompensationScheme]
    let figures: PlanFigures
    let canCreate: Bool

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.schemesTitle)).document(.group(
            .h1(.text(t(.schemesTitle))),
            PlansTab.nav(page, current: .schemes),
            .if(canCreate, .p(.a(.class("button"), .href(SiteURL.schemeNew(from: nil).path), .text(t(.schemeNew))))),
            schemes.isEmpty ? .p(.class("muted"), .text(t(.schemesNone))) : .table(.class("list"),
                .thead(.tr(.th(.text(t(.schemeName))), .th(.text(t(.schemeAppliesTo))), .th(.text(t(.schemeFrom))),
                           .th(.class("number"), .text(t(.payFixed))), .th(.text(t(.payPlanBonus))), .th(.text(t(.payKpiBonus))),
                           .th(.text(t(.payWeeklyBonus))), .th())),
                .tbody(.forEach(schemes.sorted { ($0.effectiveFrom, $0.id.rawValue) > ($1.effectiveFrom, $1.id.rawValue) }) { scheme in
                    let rules = scheme.rules
                    return .tr(.td(.attribute(named: "data-label", value: t(.schemeName)), .text(scheme.name)),
                               .td(.attribute(named: "data-label", value: t(.schemeAppliesTo)), .text(SchemeWords(figures: figures).appliesTo(scheme.appliesTo))),
                               .td(.attribute(named: "data-label", value: t(.schemeFrom)), .text(t.date(scheme.effectiveFrom))),
                               .td(.class("number"), .attribute(named: "data-label", value: t(.payFixed)), .text(figures.money(rules.fixedMonthly))),
                               .td(.attribute(named: "data-label", value: t(.payPlanBonus)), .text(rules.planBonus.map { SchemeWords(figures: figures).plan($0) } ?? t(.commonNone))),
                               .td(.attribute(named: "data-label", value: t(.payKpiBonus)),
                                   .text(rules.kpiBonus.map { "\(figures.money($0.amount)) · " + ($0.items.map { figures.label(of: $0.measure) } + $0.kpis.map { t($0.kpi.label) })
                                       .joined(separator: ", ") } ?? t(.commonNone))),
                               .td(.attribute(named: "data-label", value: t(.payWeeklyBonus)),
                                   .text(rules.weeklyBonus.map { "\(figures.money($0.amount)) · \(figures.label(of: $0.measure))" } ?? t(.commonNone))),
                               .td(.if(canCreate, .a(.href(SiteURL.schemeNew(from: scheme.id.rawValue).path), .text(t(.schemeNewVersion))))))
                }))
        ))
    }
}

/// Schemes in words on the pages.
struct SchemeWords {
    let figures: PlanFigures

    func appliesTo(_ target: CompensationScheme.AppliesTo) -> String {
        switch target {
        case .role(let role): figures.t(role.label)
        case .team(let id): figures.teams[id] ?? "#\(id)"
        case .user(let id): figures.user(id)
        }
    }

    func plan(_ bonus: PlanBonus) -> String {
        let t = figures.t
        let base = bonus.baseKind == .amount ? figures.money(bonus.base)
            : "\(SchemeForm.number(Double(bonus.base) / 100)) % · " + (bonus.baseKind == .revenuePercent ? t(.analyticsRevenue) : t(.analyticsMargin))
        let tiers = bonus.curve.tiers.map { "\(SchemeForm.number($0.from * 100)) %: " + ($0.multiplier.map { "×" + SchemeForm.number($0) } ?? "×f") }
        return "\(figures.label(of: bonus.measure)) · \(base) · " + tiers.joined(separator: ", ")
            + (bonus.cap.map { " · ≤ " + figures.money($0) } ?? "")
    }
}

/// A new scheme version: the editor (from an existing version or blank) and, after "Preview", last month worked out
/// again under it for everyone it would pay, beside what they got.
struct SchemeEditorPage {
    let page: PageContext
    let form: SchemeForm
    let errors: [String: String]
    let figures: PlanFigures
    let targets: [(value: String, label: String)]
    let preview: SchemePreview?

    func html() -> HTML {
        let t = page.t
        let measures = PlanMeasure.allCases.map { ($0.rawValue, figures.label(of: $0)) }
        let currency = figures.currency.code
        return Layout(page: page, title: t(.schemeNew)).document(.group(
            .h1(.text(t(.schemeNew))),
            PlansTab.nav(page, current: .schemes),
            .unwrap(errors["form"]) { .p(.class("flash error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .form(.class("stack grid"), .method(.post), .action(SiteURL.schemeNew(from: nil).path),
                  csrfField(page.csrfToken),
                  .div(.class("fields"),
                       .div(text(t(.schemeName), "name", required: true)),
                       .div(selectField(t(.schemeAppliesTo), name: "appliesTo", options: targets, selected: form["appliesTo"], error: errors["appliesTo"])),
                       .div(field(t(.schemeFrom), name: "effectiveFrom", type: .date, value: form["effectiveFrom"], error: errors["effectiveFrom"])),
                       .div(text(t(.payFixed) + ", \(currency)", "fixedMonthly"))),
                  .h2(.text(t(.payPlanBonus))),
                  .div(.class("fields"),
                       .div(selectField(t(.schemeMeasure), name: "planMeasure", options: [("", t(.schemeNoBonus))] + measures, selected: form["planMeasure"])),
                       .div(selectField(t(.schemePlanSource), name: "planSource", options: [("own", t(.schemeOwnPlan)), ("team", t(.schemeTeamPlan))],
                                        selected: form["planSource"])),
                       .div(selectField(t(.schemeBaseKind), name: "planBaseKind",
                                        options: [("amount", t(.schemeBaseAmount, ["currency": currency])), ("revenue_percent", t(.schemeBaseRevenue)),
                                                  ("margin_percent", t(.schemeBaseMargin))], selected: form["planBaseKind"])),
                       .div(text(t(.schemeBase), "planBase")),
                       .div(text(t(.schemeThreshold), "planThreshold")),
                       .div(text(t(.schemeCap) + ", \(currency)", "planCap"))),
                  textarea(t(.schemeTiers), "planTiers"),
                  .h2(.text(t(.payKpiBonus))),
                  .div(.class("fields"),
                       .div(text(t(.schemeKpiAmount) + ", \(currency)", "kpiAmount")),
                       .div(text(t(.schemeKpiMin), "kpiMin")),
                       .div(text(t(.schemeKpiMax), "kpiMax"))),
                  textarea(t(.schemeKpiItems), "kpiItems"),
                  .h2(.text(t(.payWeeklyBonus))),
                  .div(.class("fields"),
                       .div(selectField(t(.schemeMeasure), name: "weeklyMeasure", options: measures, selected: form["weeklyMeasure"])),
                       .div(text(t(.schemeWeeklyAmount) + ", \(currency)", "weeklyAmount"))),
                  .label(.class("check"), .input(.type(.checkbox), .name("clawback"), .value("on"), .checked(!form["clawback"].isEmpty)),
                         .text(" " + t(.schemeClawback))),
                  .div(.class("actions"),
                       .button(.type(.submit), .name("action"), .value("preview"), .class("quiet"), .text(t(.schemePreview))),
                       .button(.type(.submit), .name("action"), .value("save"), .text(t(.schemeSave))))),
            .unwrap(preview) { previewSection($0) }
        ))
    }

    private func text(_ label: String, _ name: String, required: Bool = false) -> Node<HTML.FormContext> {
        field(label, name: name, type: .text, value: form[name], error: errors[name], required: required, autocomplete: "off")
    }

    private func textarea(_ label: String, _ name: String) -> Node<HTML.FormContext> {
        textareaField(label, name: name, value: form.fields[name] ?? "", error: errors[name])
    }

    private func previewSection(_ preview: SchemePreview) -> Node<HTML.BodyContext> {
        let t = page.t
        let before = preview.people.reduce(0) { $0 + ($1.current?.total ?? 0) }
        let after = preview.people.reduce(0) { $0 + $1.proposed.total }
        return .element(named: "section", nodes: [
            .h2(.text(t(.schemePreviewTitle, ["period": preview.period.label]))),
            preview.people.isEmpty ? .p(.class("muted"), .text(t(.schemePreviewNobody))) : .group(
                .table(.class("list"),
                       .thead(.tr(.th(.text(t(.payPerson))), .th(.class("number"), .text(t(.schemePaid))), .th(.class("number"), .text(t(.schemeWouldPay))),
                                  .th(.class("number"), .text(t(.schemeDifference))))),
                       .tbody(.forEach(preview.people) { person in
                           .tr(.td(.text(figures.user(person.userID))),
                               .td(.class("number"), .text(person.current.map { figures.money($0.total) } ?? t(.commonNone))),
                               .td(.class("number"), .text(figures.money(person.proposed.total))),
                               .td(.class("number"), .text(signed(person.proposed.total - (person.current?.total ?? 0)))))
                       }),
                       .tfoot(.tr(.th(.text(t(.payTotal))), .td(.class("number"), .text(figures.money(before))),
                                  .td(.class("number"), .text(figures.money(after))), .td(.class("number"), .text(signed(after - before)))))),
                .forEach(preview.people) { person in
                    .element(named: "details", nodes: [
                        .element(named: "summary", nodes: [.text("\(figures.user(person.userID)) · \(figures.money(person.proposed.total))")]),
                        figures.statement(person.proposed),
                    ])
                }),
        ])
    }

    private func signed(_ amount: Int64) -> String { (amount > 0 ? "+" : "") + figures.money(amount) }
}
