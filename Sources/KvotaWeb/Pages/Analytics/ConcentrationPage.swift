import KvotaCore
import Plot

/// Concentration risk: how much of the revenue the largest customers hold (the top share, the top five's, the
/// HHI), whether that crosses the alert thresholds, and the largest customers as bars.
struct ConcentrationPage {
    let form: AnalyticsForm
    let window: DateWindow
    let report: ConcentrationReport
    let currency: Currency

    func html() -> HTML {
        let t = form.page.t
        let title = t(.analyticsConcentration)
        let value = AnalyticsForm.ValueText(measure: .revenue, currency: currency, t: t)
        let customers = report.topCustomers
        return Layout(page: form.page, title: title).document(.group(
            .h1(.text(title)),
            .p(.class("muted"), .text(t(.analyticsConcentrationAbout))),
            form.filters([], names: ["top"], window: window),
            .p(.class(report.alert ? "flash error" : "muted"), .attribute(named: "role", value: report.alert ? "alert" : ""),
               .text(t(report.alert ? .analyticsConcentrationAlertWindow : .analyticsConcentrationOkWindow,
                       ["share": form.percent(report.topShare), "hhi": t.number(Int64(report.hhi.rounded())),
                        "limit": form.percent(report.thresholds["topShare"]), "hhiLimit": t.number(Int64((report.thresholds["hhi"] ?? 0).rounded()))]))),
            AnalyticsForm.figures([(t(.analyticsRevenue), form.money(report.total, currency)), (t(.analyticsCustomers), form.count(report.customers)),
                                   (t(.analyticsTopShare), form.percent(report.topShare)), (t(.analyticsTop5Share), form.percent(report.top5Share)),
                                   ("HHI", t.number(Int64(report.hhi.rounded())))]),
            customers.isEmpty ? .empty : AnalyticsForm.figure(t(.analyticsTopCustomers), BarChart(
                title: t(.analyticsTopCustomers), categories: customers.map { String($0.name.prefix(14)) },
                series: [.init(name: t(.analyticsShare), values: customers.map(\.share))], format: .percent,
                link: { SiteURL.account(id: customers[$0].id).path }).node(t)),
            .table(.class("list"),
                   .thead(.tr(.th(.class("number"), .text(t(.analyticsRank))), .th(.text(t(.analyticsDimAccount))),
                              .th(.class("number"), .text(t(.analyticsRevenue))), .th(.class("number"), .text(t(.analyticsShare))))),
                   .tbody(.forEach(Array(customers.enumerated())) { index, customer in
                       .tr(.td(.class("number"), .text(form.count(index + 1))),
                           .td(.a(.href(SiteURL.account(id: customer.id).path), .text(customer.name))),
                           .td(.class("number"), .text(value.text(customer.revenue))), .td(.class("number"), .text(form.percent(customer.share))))
                   }))
        ))
    }
}
