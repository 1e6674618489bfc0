import Foundation
import KvotaCore
import KvotaStore
import Plot

/// One's alerts, newest first: what, about which record (linked), since when or how far, raised when, the state, and
/// a button to resolve an open one. Opening the page marks what it shows seen (the bell then counts only newer ones).
struct AlertsPage {
    let page: PageContext
    let show: AlertQuery.Show
    let alerts: [Alert]
    let figures: PlanFigures
    /// The cursor of the next (older) page, when there is one.
    let older: Int64?

    func html() -> HTML {
        let t = page.t
        let tabs: [(AlertQuery.Show, UIKey)] = [(.open, .alertsOpen), (.resolved, .alertsResolvedTab), (.all, .alertsAll)]
        return Layout(page: page, title: t(.alertsTitle)).document(.group(
            .h1(.text(t(.alertsTitle))),
            .nav(.class("tabs"), .attribute(named: "aria-label", value: t(.alertsTitle)), .forEach(tabs) { tab, label in
                .a(.href(SiteURL.alerts(show: tab == .open ? nil : tab.rawValue, before: nil).path),
                   .if(tab == show, .attribute(named: "aria-current", value: "page")), .text(t(label)))
            }),
            .if(alerts.contains { $0.state == .new },
                .form(.class("inline"), .action(SiteURL.alertsSeen.path), .method(.post), csrfField(page.csrfToken),
                      .button(.type(.submit), .class("quiet"), .text(t(.alertsMarkAllSeen))))),
            alerts.isEmpty ? .p(.class("empty"), .text(t(.alertsNone))) : table(),
            .unwrap(older) { cursor in
                .p(.a(.href(SiteURL.alerts(show: show == .open ? nil : show.rawValue, before: cursor).path), .text(t(.alertsMore))))
            }
        ))
    }

    private func table() -> Node<HTML.BodyContext> {
        let t = page.t
        return .table(.class("list alerts"),
                      .thead(.tr(.th(.text(t(.alertsRule))), .th(.text(t(.alertsAbout))), .th(.text(t(.alertsDetail))),
                                 .th(.text(t(.alertsRaised))), .th(.text(t(.alertsState))), .th())),
                      .tbody(.forEach(alerts) { alert in
                          .tr(.class("alert-\(alert.state.rawValue)"),
                              .td(.text(t(alert.rule.label))),
                              .td(subject(alert)),
                              .td(.text(detail(alert))),
                              .td(.text(t.dateTime(alert.raisedAt))),
                              .td(.span(.class("state \(alert.state.rawValue)"), .text(t(alert.state.label)))),
                              .td(.if(alert.state != .resolved,
                                      .form(.class("inline"), .action(SiteURL.alertResolve(id: alert.id.rawValue).path), .method(.post),
                                            csrfField(page.csrfToken),
                                            .button(.type(.submit), .class("quiet"), .text(t(.alertsResolve)))))))
                      }))
    }

    private func subject(_ alert: Alert) -> Node<HTML.BodyContext> {
        guard let link = AlertsAPI.link(alert) else { return .text(alert.title) }
        return .a(.href(link.path), .text(alert.title))
    }

    /// Since when, or how far: in the words of the rule.
    func detail(_ alert: Alert) -> String {
        let t = page.t
        switch alert.rule {
        case .leadUnanswered, .missedCall:
            return alert.since.map { t(.alertDetailWaiting, ["time": t.dateTime($0)]) } ?? ""
        case .dealStalled:
            return alert.since.map { t(.alertDetailQuiet, ["time": t.dateTime($0)]) } ?? ""
        case .keyCustomerSilent:
            return t(.alertDetailLastOrder, ["days": String(Int(alert.value ?? 0))])
        case .concentration:
            return t(.alertDetailShare, ["share": t.percent(alert.value ?? 0)])
        case .planBehind:
            let measure = PlanMeasure(rawValue: alert.episode).map(figures.label(of:)) ?? alert.episode
            return t(.alertDetailPlan, ["measure": measure, "share": t.percent(alert.value ?? 0)])
        case .downgradedFromA:
            let now = switch Int(alert.value ?? 4) { case 2: "B"; case 3: "C"; default: t(.alertClassNone) }
            return t(.alertDetailClass, ["class": now, "months": alert.episode.replacingOccurrences(of: "/", with: " – ")])
        case .webhookPaused:
            return alert.since.map { t(.alertDetailWebhookPaused, ["time": t.dateTime($0)]) } ?? ""
        }
    }
}

extension AlertRule {
    var label: UIKey {
        switch self {
        case .leadUnanswered: .alertRuleLeadUnanswered
        case .missedCall: .alertRuleMissedCall
        case .dealStalled: .alertRuleDealStalled
        case .keyCustomerSilent: .alertRuleKeyCustomerSilent
        case .concentration: .alertRuleConcentration
        case .planBehind: .alertRulePlanBehind
        case .downgradedFromA: .alertRuleDowngradedFromA
        case .webhookPaused: .alertRuleWebhookPaused
        }
    }
}

extension Alert.State {
    var label: UIKey {
        switch self {
        case .new: .alertStateNew
        case .seen: .alertStateSeen
        case .resolved: .alertStateResolved
        }
    }
}
