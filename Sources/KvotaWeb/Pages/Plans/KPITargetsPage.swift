import Foundation
import KvotaCore
import KvotaStore
import Plot

/// KPI targets per role or person, every version with whether it is in force today, and (directors and admins) the
/// form of a new one. A target is entered in the unit people think in: shares in %, money in whole units.
struct KPITargetsPage {
    let page: PageContext
    let targets: [KPITarget]
    let figures: PlanFigures
    let today: LocalDate
    let canSet: Bool
    /// Whom a target can be for: roles, then active users (value `role:rep` / `user:7`, label).
    let subjects: [(String, String)]
    let entered: [String: String]
    let errors: [String: String]

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.kpiTargetsTitle)).document(.group(
            .h1(.text(t(.kpiTargetsTitle))),
            PlansTab.nav(page, current: .kpiTargets),
            .p(.class("muted"), .text(t(.kpiTargetsIntro))),
            targets.isEmpty ? .p(.class("muted"), .text(t(.kpiTargetsNone))) : table(),
            .if(canSet, form())
        ))
    }

    private func table() -> Node<HTML.BodyContext> {
        let t = page.t
        let sorted = targets.sorted { ($0.kpi.rawValue, $0.appliesTo.description, $0.effectiveFrom) < ($1.kpi.rawValue, $1.appliesTo.description, $1.effectiveFrom) }
        return .table(.class("list"),
                      .thead(.tr(.th(.text(t(.leaderboardKPI))), .th(.text(t(.kpiTargetsAppliesTo))), .th(.class("number"), .text(t(.kpiTargetsTarget))),
                                 .th(.text(t(.kpiTargetsFrom))), .th(.text(t(.alertsState))), .if(canSet, .th()))),
                      .tbody(.forEach(sorted) { target in
                          .tr(.td(.attribute(named: "data-label", value: t(.leaderboardKPI)), .text(t(target.kpi.label))),
                              .td(.attribute(named: "data-label", value: t(.kpiTargetsAppliesTo)), .text(whom(target.appliesTo))),
                              .td(.class("number"), .attribute(named: "data-label", value: t(.kpiTargetsTarget)),
                                  .text(target.kpi.text(target.target, t, currency: figures.currency))),
                              .td(.attribute(named: "data-label", value: t(.kpiTargetsFrom)), .text(t.date(target.effectiveFrom))),
                              .td(.attribute(named: "data-label", value: t(.alertsState)), .text(state(target))),
                              .if(canSet, .td(.form(.class("inline"), .action(SiteURL.kpiTargetDelete(id: target.id.rawValue).path), .method(.post),
                                                    csrfField(page.csrfToken),
                                                    .button(.type(.submit), .class("quiet"), .text(t(.kpiTargetsDelete)))))))
                      }))
    }

    private func form() -> Node<HTML.BodyContext> {
        let t = page.t
        return .group(
            .h2(.text(t(.kpiTargetsAdd))),
            .form(.class("stacked"), .action(SiteURL.kpiTargets.path), .method(.post), csrfField(page.csrfToken),
                  selectField(t(.leaderboardKPI), name: "kpi", options: KPI.allCases.map { ($0.rawValue, t($0.label)) }, selected: entered["kpi"],
                              error: errors["kpi"]),
                  selectField(t(.kpiTargetsAppliesTo), name: "appliesTo", options: subjects, selected: entered["appliesTo"], error: errors["appliesTo"]),
                  field(t(.kpiTargetsTarget), name: "target", type: .text, value: entered["target"] ?? "", error: errors["target"]),
                  .p(.class("muted"), .text(t(.kpiTargetsUnitHint))),
                  field(t(.kpiTargetsFrom), name: "effectiveFrom", type: .date, value: entered["effectiveFrom"] ?? "", error: errors["effectiveFrom"]),
                  .button(.type(.submit), .text(t(.kpiTargetsSave))))
        )
    }

    private func whom(_ appliesTo: KPITarget.AppliesTo) -> String {
        switch appliesTo {
        case .role(let role): page.t(role.label)
        case .user(let id): figures.user(id)
        }
    }

    /// In force today, replaced by a later version (from when), or not yet in force.
    private func state(_ target: KPITarget) -> String {
        let t = page.t
        if target.effectiveFrom > today { return t(.kpiTargetsUpcoming, ["date": t.date(target.effectiveFrom)]) }
        let later = targets.filter { $0.kpi == target.kpi && $0.appliesTo == target.appliesTo && $0.effectiveFrom > target.effectiveFrom && $0.effectiveFrom <= today }
        guard let next = later.min(by: { $0.effectiveFrom < $1.effectiveFrom }) else { return t(.kpiTargetsInForce) }
        return t(.kpiTargetsReplaced, ["date": t.date(next.effectiveFrom)])
    }

    /// What the form's target field means in the KPI's stored unit: a fraction for a share (entered in %), minor
    /// units for money (entered in whole units); nil when it is not a number.
    static func stored(_ text: String, kpi: KPI, currency: Currency) -> Double? {
        guard let number = SchemeForm.decimal(text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "")) else { return nil }
        switch kpi.unit {
        case .share: return number / 100
        case .money: return (number * pow(10, Double(currency.minorUnitDigits))).rounded()
        case .count, .seconds, .days: return number
        }
    }
}
