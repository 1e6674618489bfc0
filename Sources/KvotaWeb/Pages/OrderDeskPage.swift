import KvotaCore
import Plot

/// The order desk's queue: draft orders made from won deals, with the deal they came from and a confirm button.
struct OrderDeskPage {
    struct Row {
        let order: Order
        let accountName: String
        let ownerName: String?
    }

    let page: PageContext
    let rows: [Row]

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.deskTitle)).document(.group(
            .h1(.text(t(.deskTitle))),
            .p(.class("muted"), .text(t(.deskExplain))),
            rows.isEmpty ? .p(.text(t(.deskEmpty))) : .table(
                .class("list"),
                .thead(.tr(.th(.text(t(.colOrder))), .th(.text(t(.colDate))), .th(.text(t(.colAccount))), .th(.text(t(.colDeal))),
                           .th(.text(t(.colOwner))), .th(.class("number"), .text(t(.colTotal))), .th(.text(t(.colAction))))),
                .tbody(.forEach(rows) { row($0) }))
        ))
    }

    private func row(_ row: Row) -> Node<HTML.TableContext> {
        let t = page.t
        let order = row.order
        return .tr(
            .td(.attribute(named: "data-label", value: t(.colOrder)), .a(.href(SiteURL.order(id: order.id.rawValue).path), .text(order.number))),
            .td(.attribute(named: "data-label", value: t(.colDate)), .text(t.date(order.orderedOn))),
            .td(.attribute(named: "data-label", value: t(.colAccount)), .text(row.accountName)),
            .td(.attribute(named: "data-label", value: t(.colDeal)), .unwrap(order.dealID) { deal in
                .a(.href(SiteURL.deal(id: deal.rawValue).path), .text("#\(deal.rawValue)"))
            }),
            .td(.attribute(named: "data-label", value: t(.colOwner)), .text(row.ownerName ?? t(.commonNone))),
            .td(.class("number"), .attribute(named: "data-label", value: t(.colTotal)),
                .text(t.money(Money(minorUnits: order.totalMinor, currency: order.currency)))),
            .td(.form(.class("inline"), .method(.post), .action(SiteURL.orderConfirm(id: order.id.rawValue).path),
                      csrfField(page.csrfToken), .input(.type(.hidden), .name("version"), .value(String(order.version))),
                      .button(.type(.submit), .text(t(.deskConfirm)))))
        )
    }
}
