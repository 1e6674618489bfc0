import Foundation
import KvotaCore
import Plot

/// The leads inbox: requests by status, each with how long it has waited (or how fast it was answered), its
/// contact details and message, and the next step for its status: take in work, qualify or disqualify, convert.
struct LeadsPage {
    static let tabs: [(LeadStatus, UIKey)] = [
        (.new, .leadsTabNew), (.inWork, .leadsTabInWork), (.qualified, .leadsTabQualified),
        (.disqualified, .leadsTabDisqualified), (.converted, .leadsTabConverted),
    ]

    let page: PageContext
    let status: LeadStatus
    /// Best score first instead of newest first (docs/scoring.md).
    let byScore: Bool
    let leads: [Lead]
    let ownerNames: [User.ID: String]
    let reasons: [LossReason]
    let next: String?
    let now: Date
    var ownSources: [OwnLeadSource] = []
    /// The company's answer time for a new lead (`leadResponseSeconds`); past it the timer shows late.
    var responseSeconds = SalesThresholds().leadResponseSeconds

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.leadsTitle)).document(.group(
            .h1(.text(t(.leadsTitle))),
            .div(.class("actions"), .a(.class("button quiet"), .href(RecordListName.leads.url.path), .text(t(.leadsAsList))),
                 .a(.class("button quiet"), .href(SiteURL.leads(status: status.rawValue, cursor: nil, byScore: !byScore).path),
                    .text(byScore ? t(.leadsNewestFirst) : t(.boardOrderScore)))),
            .nav(.class("tabs"), .attribute(named: "aria-label", value: t(.leadsTitle)),
                 .forEach(Self.tabs) { tab, label in
                     .a(.href(SiteURL.leads(status: tab.rawValue, cursor: nil, byScore: byScore).path),
                        .if(tab == status, .attribute(named: "aria-current", value: "page")), .text(t(label)))
                 }),
            leads.isEmpty ? .p(.class("muted"), .text(t(.leadsNone))) : .ol(.class("leads"), .forEach(leads) { lead($0) }),
            .unwrap(next) { .p(.a(.href(SiteURL.leads(status: status.rawValue, cursor: $0, byScore: byScore).path), .text(t(.listNextPage)))) }
        ))
    }

    /// Where an action on a lead comes back to: this tab, in this order.
    private var listPath: String { SiteURL.leads(status: status.rawValue, cursor: nil, byScore: byScore).path }

    private func lead(_ lead: Lead) -> Node<HTML.ListContext> {
        let t = page.t
        return .li(
            .class("lead"),
            .div(.strong(.a(.href(SiteURL.lead(id: lead.id.rawValue).path), .text(lead.name))), .unwrap(lead.companyName) { .text(" · \($0)") },
                 .unwrap(lead.score) { .group(.text(" "), ScoreBadge(page: page, score: $0).node()) }),
            .div(.class("muted"),
                 .text("\(lead.source.label(t, own: ownSources)) · \(t.dateTime(lead.receivedAt)) · "),
                 .text(lead.ownerID.flatMap { ownerNames[$0] } ?? t(.leadsUnassigned))),
            response(lead),
            .div(.unwrap(lead.phone) { .group(.a(.href("tel:\($0)"), .text($0)), ClickToCallRoutes.button($0, page: page, returnPath: listPath)) },
                 .if(lead.phone != nil && lead.email != nil, .text(" · ")),
                 .unwrap(lead.email) { .a(.href("mailto:\($0)"), .text($0)) }),
            .unwrap(lead.message) { .p(.class("message"), .text($0)) },
            .unwrap(lead.disqualifyReason) { .p(.class("muted"), .text("\(t(.leadsReason)): \($0)")) },
            LeadActions(page: page, reasons: reasons, returnPath: listPath).node(lead)
        )
    }

    /// The response timer: how long a new lead has waited, or how fast it was answered.
    private func response(_ lead: Lead) -> Node<HTML.BodyContext> {
        let t = page.t
        if let answered = lead.firstResponseAt {
            return .div(.text(t(.leadsAnsweredIn, ["time": t.duration(Int(answered.timeIntervalSince(lead.receivedAt)))])))
        }
        guard lead.status == .new || lead.status == .inWork else { return .empty }
        let waited = Int(now.timeIntervalSince(lead.receivedAt))
        let late = waited > responseSeconds
        let left = late ? "" : " · " + t(.leadsAnswerWithin, ["time": t.duration(responseSeconds - waited)])
        return .div(.span(.if(late, .class("late")), .if(late, .attribute(named: "title", value: t(.mydayOverSla, ["m": String(max(1, responseSeconds / 60))]))),
                          .text("\(t(.leadsUnanswered)) · \(t(.colWaiting)): \(t.duration(waited))\(left)")))
    }
}
