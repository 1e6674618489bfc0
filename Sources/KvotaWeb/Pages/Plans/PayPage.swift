import Foundation
import KvotaCore
import KvotaStore
import Plot

/// A month's payouts as payroll sees them: per person the fixed part, each bonus, clawbacks and the total, approved
/// or worked out to date, each with its statement; the month's total, the payroll CSV, and approval of a closed month
/// for whoever may approve.
struct PayPage {
    let page: PageContext
    let period: Period
    let asked: String?
    let asOf: LocalDate
    let payouts: [Payout]
    let figures: PlanFigures
    let canApprove: Bool

    func html() -> HTML {
        let t = page.t
        let title = t(.payPageTitle, ["period": period.label])
        let open = payouts.filter { $0.approvedAt == nil }
        let closed = asOf >= period.end
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title)),
            PlansTab.nav(page, current: .pay),
            .form(.class("filters"), .method(.get), .action(SiteURL.pay(period: nil).path),
                  field(t(.payMonth), name: "period", type: .text, value: asked ?? period.label),
                  .button(.type(.submit), .class("quiet"), .text(t(.plansShow)))),
            payouts.isEmpty ? .p(.class("muted"), .text(t(.payNone))) : .group(
                .table(.class("list"),
                       .thead(.tr(.th(.text(t(.payPerson))), .forEach(PayStatement.Kind.allCases) { .th(.class("number"), .text(figures.kind($0))) },
                                  .th(.class("number"), .text(t(.payTotal))), .th(.text(t(.payStatus))))),
                       .tbody(.forEach(payouts) { row($0) }),
                       .tfoot(.tr(.th(.text(t(.payTotal))), .forEach(PayStatement.Kind.allCases) { kind in
                           .td(.class("number"), .text(figures.money(payouts.reduce(0) { $0 + sum($1.statement, kind) })))
                       }, .td(.class("number"), .text(figures.money(payouts.reduce(0) { $0 + $1.statement.total }))), .td()))),
                .div(.class("actions"),
                     .a(.class("button quiet"), .href(SiteURL.payCSV(period: period.label).path), .text(t(.payCSV))),
                     .if(canApprove && closed && !open.isEmpty,
                         .form(.class("inline"), .method(.post), .action(SiteURL.payApprove.path), csrfField(page.csrfToken),
                               .input(.type(.hidden), .name("period"), .value(period.label)),
                               .button(.type(.submit), .class("good"), .text(t(.payApprove, ["count": String(open.count)])))))),
                .if(canApprove && !closed && !open.isEmpty, .p(.class("muted"), .text(t(.payApproveLater)))),
                .h2(.text(t(.payStatements))),
                .forEach(payouts) { payout in
                    .element(named: "details", nodes: [
                        .element(named: "summary", nodes: [.text("\(figures.user(payout.userID)) · \(figures.money(payout.statement.total))")]),
                        figures.statement(payout.statement),
                    ])
                })
        ))
    }

    private func row(_ payout: Payout) -> Node<HTML.TableContext> {
        let t = page.t
        let status = payout.approvedAt.map { t(.payApproved, ["date": t.date(LocalDate($0, in: t.timeZone))]) }
            ?? t(.payToDate, ["date": t.date(min(asOf, period.end.adding(days: -1)))])
        return .tr(.td(.attribute(named: "data-label", value: t(.payPerson)), .text(figures.user(payout.userID))),
                   .forEach(PayStatement.Kind.allCases) { kind in
                       .td(.class("number"), .attribute(named: "data-label", value: figures.kind(kind)), .text(figures.money(sum(payout.statement, kind))))
                   },
                   .td(.class("number"), .attribute(named: "data-label", value: t(.payTotal)), .text(figures.money(payout.statement.total))),
                   .td(.attribute(named: "data-label", value: t(.payStatus)), .text(status)))
    }

    private func sum(_ statement: PayStatement, _ kind: PayStatement.Kind) -> Int64 {
        statement.lines.filter { $0.kind == kind }.reduce(0) { $0 + $1.amount }
    }
}
