import KvotaCore
import Plot

/// Retention: active and repeat customers, how many of the previous period's came back, and the churn-risk list of
/// regular customers gone quiet for longer than their own rhythm, the biggest first.
struct RetentionPage {
    let form: AnalyticsForm
    let window: DateWindow
    let report: RetentionReport
    let currency: Currency

    func html() -> HTML {
        let t = form.page.t
        let title = t(.analyticsRetention)
        return Layout(page: form.page, title: title).document(.group(
            .h1(.text(title)),
            .p(.class("muted"), .text(t(.analyticsRetentionAbout))),
            form.filters([], names: ["limit"], window: window),
            AnalyticsForm.figures([(t(.analyticsActiveCustomers), form.count(report.activeCustomers)),
                                   (t(.analyticsRepeatRate), form.percent(report.repeatRate)),
                                   (t(.analyticsRetained, ["from": report.previousFrom, "to": report.previousTo]),
                                    form.count(report.retained) + " / " + form.count(report.previousActive)),
                                   (t(.analyticsRetentionRate), form.percent(report.retentionRate)),
                                   (t(.analyticsChurnRisk), form.count(report.churnRiskCount))]),
            .h2(.text(t(.analyticsChurnRisk))),
            report.churnRisk.isEmpty ? .p(.class("muted"), .text(t(.analyticsNoChurnRisk))) : .group(
                .p(.class("muted"), .text(t(.analyticsItemsShown, ["shown": form.count(report.churnRisk.count), "total": form.count(report.churnRiskCount)]))),
                .table(.class("list"),
                       .thead(.tr(.th(.text(t(.analyticsDimAccount))), .th(.text(t(.colOwner))), .th(.text(t(.analyticsLastOrder))),
                                  .th(.class("number"), .text(t(.analyticsDaysSince))), .th(.class("number"), .text(t(.analyticsMedianGap))),
                                  .th(.class("number"), .text(t(.analyticsThreshold))), .th(.class("number"), .text(t(.analyticsPreviousRevenue))))),
                       .tbody(.forEach(report.churnRisk) { row in
                           .tr(.td(.a(.href(SiteURL.account(id: row.id).path), .text(row.name))), .td(.text(row.ownerName ?? "")),
                               .td(.a(.href(SiteURL.list(.orders, query: ListQuery.encode([("account", String(row.id))])).path),
                                      .text((try? LocalDate(iso: row.lastOrder)).map(t.date) ?? row.lastOrder))),
                               .td(.class("number"), .text(form.count(row.daysSince))),
                               .td(.class("number"), .text(row.medianGapDays.map { t.decimal($0) } ?? t(.analyticsNa))),
                               .td(.class("number"), .text(t.decimal(row.thresholdDays))),
                               .td(.class("number"), .text(form.money(row.previousRevenue, currency))))
                       }))
            )
        ))
    }
}
