import Foundation
import KvotaCore
import Plot

/// "My day": the first page after signing in. What is due today and overdue, missed calls to return and new leads
/// waiting for a first answer (each with how long it has waited), and open deals with nothing planned next.
struct MyDayPage {
    let page: PageContext
    let day: MyDay
    let now: Date
    var ownSources: [OwnLeadSource] = []
    /// The company's answer times: a new lead's (`leadResponseSeconds`) and a missed call's (`callbackSeconds`).
    var thresholds = SalesThresholds()
    /// For those who take requests: whether they are on shift (nil: not theirs to switch).
    var onShift: Bool?

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.navMyDay)).document(.group(
            .h1(.text(t(.navMyDay))),
            .unwrap(onShift) { shift($0) },
            section(t(.mydayOverdue), day.overdue, empty: t(.mydayNoneOverdue), table: plannedTable(day.overdue.items, overdue: true)),
            section(t(.mydayDueToday), day.dueToday, empty: t(.mydayNoneDue), table: plannedTable(day.dueToday.items, overdue: false)),
            section(t(.mydayCallbacks), day.callbacks, empty: t(.mydayNoneCallbacks), table: callbackTable()),
            section(t(.mydayNewLeads), day.newLeads, empty: t(.mydayNoneLeads), table: leadTable()),
            section(t(.mydayIdleDeals), day.dealsWithoutNextStep, empty: t(.mydayNoneIdle), table: idleDealTable())
        ))
    }

    /// On shift, new requests come by round-robin; off shift (at lunch, at a meeting) they go to the others.
    private func shift(_ on: Bool) -> Node<HTML.BodyContext> {
        let t = page.t
        return .form(.class("shift"), .action(SiteURL.myShift.path), .method(.post),
                     csrfField(page.csrfToken), .input(.type(.hidden), .name("on"), .value(String(!on))),
                     .span(.class(on ? "on-shift" : "off-shift"), .text(t(on ? .shiftOn : .shiftOff))), .text(" "),
                     .button(.type(.submit), .class("quiet"), .text(t(on ? .shiftGoOff : .shiftGoOn))))
    }

    /// A list under its heading with how many there are; when there are more than the page shows, it says so.
    private func section<Item>(_ title: String, _ list: MyDay.Capped<Item>, empty: String,
                               table: Node<HTML.BodyContext>) -> Node<HTML.BodyContext> {
        let t = page.t
        return .section(
            .h2(.text(title), .if(list.total > 0, .span(.class("muted"), .text(" · \(t.number(Int64(list.total)))")))),
            list.total == 0 ? .p(.class("muted"), .text(empty)) : table,
            .if(list.total > list.items.count, .p(.class("muted"), .text(t(.mydayShowingFirst, [
                "shown": t.number(Int64(list.items.count)), "total": t.number(Int64(list.total))]))))
        )
    }

    private func header(_ keys: [UIKey], numberAt: Int? = nil) -> Node<HTML.TableContext> {
        .thead(.tr(.forEach(keys.enumerated()) { index, key in
            .th(.if(index == numberAt, .class("number")), .text(page.t(key)))
        }))
    }

    private func cell(_ key: UIKey, _ content: Node<HTML.BodyContext>, number: Bool = false) -> Node<HTML.TableRowContext> {
        .td(.attribute(named: "data-label", value: page.t(key)), .if(number, .class("number")), content)
    }

    private func plannedTable(_ items: [MyDay.Planned], overdue: Bool) -> Node<HTML.BodyContext> {
        .table(.class("list"),
               header([.colDue, .colKind, .colSubject, .colAbout]),
               .tbody(.forEach(items) { plannedRow($0, overdue: overdue) }))
    }

    /// Overdue rows show their date; today's show the time, marked late once it has passed.
    private func plannedRow(_ item: MyDay.Planned, overdue: Bool) -> Node<HTML.TableContext> {
        let t = page.t
        let due = item.activity.dueAt
        let lateToday = !overdue && (due.map { $0 < now } ?? false)
        return .tr(
            cell(.colDue, .group(
                .text(due.map { overdue ? t.dateTime($0) : t.time($0) } ?? t(.commonNone)),
                .if(lateToday, .span(.class("late"), .text(" · \(t(.mydayLate))"))))),
            cell(.colKind, .text(t(item.activity.kind.label))),
            cell(.colSubject, .text(item.activity.subject)),
            cell(.colAbout, .text(item.about ?? t(.commonNone)))
        )
    }

    private func callbackTable() -> Node<HTML.BodyContext> {
        .table(.class("list"),
               header([.colMissedAt, .colNumber, .colAbout, .colWaiting]),
               .tbody(.forEach(day.callbacks.items) { callbackRow($0) }))
    }

    private func callbackRow(_ callback: MyDay.Callback) -> Node<HTML.TableContext> {
        let t = page.t
        let number = callback.call.call?.externalNumber ?? ""
        return .tr(
            cell(.colMissedAt, .text(t.dateTime(callback.call.occurredAt))),
            cell(.colNumber, .group(.a(.href("tel:\(number)"), .text(number)), ClickToCallRoutes.button(number, page: page, returnPath: SiteURL.home.path))),
            cell(.colAbout, .text(callback.about ?? t(.commonNone))),
            cell(.colWaiting, waiting(since: callback.call.occurredAt, limit: thresholds.callbackSeconds))
        )
    }

    private func leadTable() -> Node<HTML.BodyContext> {
        .table(.class("list"),
               header([.colReceived, .colLead, .colSource, .colWaiting]),
               .tbody(.forEach(day.newLeads.items) { leadRow($0) }))
    }

    private func leadRow(_ lead: Lead) -> Node<HTML.TableContext> {
        let t = page.t
        return .tr(
            cell(.colReceived, .text(t.dateTime(lead.receivedAt))),
            cell(.colLead, .group(.text(lead.name), .unwrap(lead.companyName) { .span(.class("muted"), .text(" · \($0)")) })),
            cell(.colSource, .text(lead.source.label(t, own: ownSources))),
            cell(.colWaiting, waiting(since: lead.receivedAt, limit: thresholds.leadResponseSeconds))
        )
    }

    /// How long something has waited, marked when past the answer time.
    private func waiting(since start: Date, limit: Int) -> Node<HTML.BodyContext> {
        let seconds = Int(now.timeIntervalSince(start))
        let over = seconds > limit
        return .span(.if(over, .class("late")),
                     .if(over, .attribute(named: "title", value: page.t(.mydayOverSla, ["m": String(max(1, limit / 60))]))),
                     .text(page.t.duration(seconds)))
    }

    private func idleDealTable() -> Node<HTML.BodyContext> {
        .table(.class("list"),
               header([.colDeal, .colAccount, .colStage, .colAmount, .colLastActivity], numberAt: 3),
               .tbody(.forEach(day.dealsWithoutNextStep.items) { idleDealRow($0) }))
    }

    private func idleDealRow(_ idle: MyDay.IdleDeal) -> Node<HTML.TableContext> {
        let t = page.t
        return .tr(
            cell(.colDeal, .text(idle.deal.title)),
            cell(.colAccount, .text(idle.accountName)),
            cell(.colStage, .text(idle.stageName)),
            cell(.colAmount, .text(t.money(idle.deal.amount, showMinorUnits: false)), number: true),
            cell(.colLastActivity, .text(idle.lastActivityAt.map(t.dateTime) ?? t(.commonNever)))
        )
    }
}
