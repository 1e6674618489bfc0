import Foundation
import KvotaCore
import KvotaStore
import Plot

/// One inbound request: who asked, through which source and campaign, how long it waited for an answer, its next
/// step, what is planned, quick actions and its timeline. A converted lead links to what it became.
struct LeadPage {
    let page: PageContext
    let lead: Lead
    let ownerName: String?
    let accountName: String?
    let actions: LeadActions
    var quick: QuickActions
    let timeline: TimelineWindow
    var ownSources: [OwnLeadSource] = []
    /// The requests that opened or joined the lead (a form sent again, a messenger conversation), oldest first.
    var requests: [InboundRecord] = []

    func html() -> HTML {
        let t = page.t
        let title = lead.companyName.map { "\(lead.name) · \($0)" } ?? lead.name
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title), .text(" "), .span(.class("badge"), .text(t(lead.status.label)))),
            .div(.class("record"),
                 .div(.class("record-main"), facts(), .unwrap(lead.score) { ScoreFact(page: page, score: $0).node() },
                      .unwrap(lead.message) { .p(.class("message"), .text($0)) },
                      .if(requests.count > 1, conversation()), actions.node(lead),
                      quick.openTasksSection(), quick.formsSection(), timeline.section(path: SiteURL.lead(id: lead.id.rawValue).path, t)),
                 .aside(.class("record-side"), reach()))
        ))
    }

    private func facts() -> Node<HTML.BodyContext> {
        let t = page.t
        var rows: [(String, Node<HTML.BodyContext>)] = [
            (t(.colSource), .text(lead.source.label(t, own: ownSources))), (t(.colReceived), .text(t.dateTime(lead.receivedAt))),
            (t(.leadFirstResponse), .text(lead.firstResponseAt.map {
                t(.leadsAnsweredIn, ["time": t.duration(Int($0.timeIntervalSince(lead.receivedAt)))])
            } ?? t(.leadsUnanswered))),
            (t(.colOwner), .text(ownerName ?? t(.leadsUnassigned))),
        ]
        let utm = [lead.utmSource, lead.utmMedium, lead.utmCampaign, lead.utmTerm, lead.utmContent].compactMap { $0 }
        if !utm.isEmpty { rows.append((t(.leadUtm), .text(utm.joined(separator: " / ")))) }
        if let channel = lead.channel { rows.append((t(.leadChannel), .text(channel))) }
        if let url = lead.pageURL {
            // Checked to be http(s) on the way in, and again here: whatever wrote the row, a page never links a
            // script's address. A link is never followed with this site's referrer.
            let web = ["http://", "https://"].contains { url.lowercased().hasPrefix($0) }
            rows.append((t(.leadPage), web ? .a(.href(url), .attribute(named: "rel", value: "noopener noreferrer nofollow"), .text(url))
                                           : .text(url)))
        }
        if let reason = lead.disqualifyReason { rows.append((t(.leadsReason), .text(reason))) }
        if let account = lead.accountID {
            rows.append((t(.colAccount), .a(.href(SiteURL.account(id: account.rawValue).path), .text(accountName ?? "#\(account.rawValue)"))))
        }
        if let contact = lead.contactID {
            rows.append((t(.leadsContact), .a(.href(SiteURL.contact(id: contact.rawValue).path), .text(lead.name))))
        }
        return .dl(.class("facts"), .forEach(rows) { label, value in .group(.dt(.text(label)), .dd(value)) })
    }

    /// Every request that went to this lead after the first, as the sender wrote them.
    private func conversation() -> Node<HTML.BodyContext> {
        let t = page.t
        return .section(
            .h2(.text(t(.leadRequests))),
            .ol(.class("conversation"), .forEach(requests) { request in
                .li(.span(.class("muted"), .text("\(t.dateTime(request.sentAt)) · \(request.channel)")),
                    .unwrap(request.text) { .p(.class("message"), .text($0)) })
            })
        )
    }

    private func reach() -> Node<HTML.BodyContext> {
        let t = page.t
        return .section(
            .h2(.text(t(.contactChannels))),
            .ul(.class("channels"),
                .unwrap(lead.companyName) { .li(.span(.class("muted"), .text(t(.leadCompany) + ": ")), .text($0)) },
                .unwrap(lead.phone) {
                    .li(.a(.href("tel:\($0)"), .text($0)), ClickToCallRoutes.button($0, page: page, returnPath: SiteURL.lead(id: lead.id.rawValue).path))
                },
                .unwrap(lead.email) { .li(.a(.href("mailto:\($0)"), .text($0))) })
        )
    }
}
