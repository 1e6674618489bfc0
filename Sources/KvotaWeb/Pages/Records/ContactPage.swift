import Foundation
import KvotaCore
import Plot

/// A contact: who they are and how to reach them (every phone, email and messenger, each a link that opens it),
/// their deals, what is planned with them, quick actions and the timeline of everything done with them.
struct ContactPage {
    let page: PageContext
    let contact: Contact
    let accountName: String?
    let deals: [Deal]
    var quick: QuickActions
    let timeline: TimelineWindow

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: contact.name).document(.group(
            .h1(.text(contact.name)),
            .div(.class("record"),
                 .div(.class("record-main"), facts(), quick.openTasksSection(), quick.formsSection(),
                      timeline.section(path: SiteURL.contact(id: contact.id.rawValue).path, t)),
                 .aside(.class("record-side"), channels(), dealsSection()))
        ))
    }

    private func facts() -> Node<HTML.BodyContext> {
        let t = page.t
        return .dl(.class("facts"),
                   .dt(.text(t(.colAccount))),
                   .dd(.unwrap(contact.accountID) { id in .a(.href(SiteURL.account(id: id.rawValue).path), .text(accountName ?? "#\(id.rawValue)")) }),
                   .dt(.text(t(.colPosition))), .dd(.text(contact.position ?? t(.commonNone))),
                   .dt(.text(t(.colCreated))), .dd(.text(t.dateTime(contact.createdAt))))
    }

    private func channels() -> Node<HTML.BodyContext> {
        let t = page.t
        // The first phone and email are on the contact itself; older records may have nothing else.
        var all = contact.channels
        if all.isEmpty {
            all = [contact.phone.map { ContactChannel(kind: .phone, value: $0) }, contact.email.map { ContactChannel(kind: .email, value: $0) }]
                .compactMap { $0 }
        }
        return .section(
            .h2(.text(t(.contactChannels))),
            all.isEmpty ? .p(.class("muted"), .text(t(.commonNone))) : .ul(.class("channels"), .forEach(all) { channel in
                .li(.span(.class("muted"), .text(t(channel.kind.label) + (channel.label.map { " (\($0))" } ?? "") + ": ")),
                    Self.link(channel),
                    .if(channel.kind == .phone, ClickToCallRoutes.button(channel.value, page: page,
                                                                         returnPath: SiteURL.contact(id: contact.id.rawValue).path)))
            })
        )
    }

    /// A phone as `tel:` (click to call on a phone), an email as `mailto:`; messenger handles as they are.
    static func link(_ channel: ContactChannel) -> Node<HTML.BodyContext> {
        switch channel.kind {
        case .phone: .a(.href("tel:\(channel.value)"), .text(channel.value))
        case .email: .a(.href("mailto:\(channel.value)"), .text(channel.value))
        default: .text(channel.value)
        }
    }

    private func dealsSection() -> Node<HTML.BodyContext> {
        let t = page.t
        return .section(
            .h2(.text(t(.accountDeals))),
            deals.isEmpty ? .p(.class("muted"), .text(t(.accountNoDeals))) : .ul(.forEach(deals) { deal in
                .li(.a(.href(SiteURL.deal(id: deal.id.rawValue).path), .text(deal.title)),
                    .text(" · \(t.money(deal.amount, showMinorUnits: false)) · \(t(deal.status.label))"))
            })
        )
    }
}
