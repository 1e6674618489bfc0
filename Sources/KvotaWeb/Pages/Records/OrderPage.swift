import Foundation
import KvotaCore
import Plot

/// An order: its facts, its lines with products, quantities, prices and discounts, "confirm" for a draft when the
/// reader may change orders, and the audit trail as a timeline.
struct OrderPage {
    struct Line {
        let line: OrderLine
        let sku: String
        let name: String
    }

    let page: PageContext
    let order: Order
    let accountName: String
    let dealTitle: String?
    let ownerName: String?
    let channelName: String?
    let regionName: String?
    let lines: [Line]
    let baseCurrency: Currency
    let canConfirm: Bool
    let timeline: TimelineWindow

    func html() -> HTML {
        let t = page.t
        let title = "\(t(.colOrder)) \(order.number)"
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title), .text(" "), .span(.class("badge"), .text(t(order.status.label)))),
            facts(),
            .if(canConfirm, .form(.method(.post), .action(SiteURL.orderConfirm(id: order.id.rawValue).path),
                                  csrfField(page.csrfToken), .input(.type(.hidden), .name("version"), .value(String(order.version))),
                                  .input(.type(.hidden), .name("return"), .value(SiteURL.order(id: order.id.rawValue).path)),
                                  .div(.class("actions"), .button(.type(.submit), .class("good"), .text(t(.deskConfirm)))))),
            .h2(.text(t(.orderLines))),
            lines.isEmpty ? .p(.class("muted"), .text(t(.orderNoLines))) : linesTable(),
            timeline.section(path: SiteURL.order(id: order.id.rawValue).path, t)
        ))
    }

    private func facts() -> Node<HTML.BodyContext> {
        let t = page.t
        let total = Money(minorUnits: order.totalMinor, currency: order.currency)
        var rows: [(String, Node<HTML.BodyContext>)] = [
            (t(.colDate), .text(t.date(order.orderedOn))),
            (t(.colAccount), .a(.href(SiteURL.account(id: order.accountID.rawValue).path), .text(accountName))),
            (t(.colTotal), .text(t.money(total))),
        ]
        if order.currency != baseCurrency {
            rows.append((t(.orderTotalBase, ["currency": baseCurrency.code]),
                         .text(t.money(Money(minorUnits: order.totalBaseMinor, currency: baseCurrency)))))
        }
        if let deal = order.dealID {
            rows.append((t(.colDeal), .a(.href(SiteURL.deal(id: deal.rawValue).path), .text(dealTitle ?? "#\(deal.rawValue)"))))
        }
        rows.append((t(.colOwner), .text(ownerName ?? t(.commonNone))))
        rows.append((t(.colChannel), .text(channelName ?? t(.commonNone))))
        rows.append((t(.colRegion), .text(regionName ?? t(.commonNone))))
        return .dl(.class("facts"), .forEach(rows) { label, value in .group(.dt(.text(label)), .dd(value)) })
    }

    private func linesTable() -> Node<HTML.BodyContext> {
        let t = page.t
        let money = { (minor: Int64) in t.money(Money(minorUnits: minor, currency: order.currency)) }
        let headers: [(String, Bool)] = [(t(.colSku), false), (t(.colProduct), false), (t(.colQuantity), true), (t(.colPrice), true),
                                         (t(.colDiscount), true), (t(.colLineTotal), true)]
        return .table(
            .class("list"),
            .thead(.tr(.forEach(headers) { label, numeric in .th(.if(numeric, .class("number")), .text(label)) })),
            .tbody(.forEach(lines) { row in
                let cells: [String] = [row.sku, row.name, t.decimal(Double(row.line.quantityMilli) / 1000), money(row.line.unitPriceMinor),
                                       row.line.discountMinor == 0 ? "" : money(row.line.discountMinor), money(row.line.netMinor)]
                return .tr(.forEach(Array(zip(headers, cells))) { header, cell in
                    .td(.if(header.1, .class("number")), .attribute(named: "data-label", value: header.0), .text(cell))
                })
            })
        )
    }
}
