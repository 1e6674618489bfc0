import KvotaCore
import Plot

/// Territory (the region tree, each region with everything under it) or channels: revenue as bars, and per row the
/// sums, customers, average order, share and growth; every bar and name opens the orders behind it.
struct SegmentPage {
    let form: AnalyticsForm
    let kind: SegmentReport.Kind
    let window: DateWindow
    let report: SegmentReport
    let currency: Currency

    func html() -> HTML {
        let t = form.page.t
        let title = t(kind == .territory ? .analyticsTerritory : .analyticsChannels)
        return Layout(page: form.page, title: title).document(.group(
            .h1(.text(title)),
            .p(.class("muted"), .text(t(kind == .territory ? .analyticsTerritoryAbout : .analyticsChannelsAbout))),
            form.filters([], names: [], window: window),
            chart(),
            table()
        ))
    }

    private func name(_ row: SegmentReport.Row) -> String { row.id == nil ? form.page.t(.analyticsNone) : row.name }

    /// The orders behind a row; orders without a region or channel have no filter that finds them alone.
    private func orders(_ row: SegmentReport.Row) -> String? {
        guard let id = row.id else { return nil }
        return form.orders(window: window, [(kind == .territory ? "region" : "channel", String(id))])
    }

    /// Top-level regions (or every channel), largest first: the bars add up to the total.
    private func chart() -> Node<HTML.BodyContext> {
        let t = form.page.t
        let rows = report.items.filter { $0.level == 0 }
        guard !rows.isEmpty else { return .empty }
        let value = AnalyticsForm.ValueText(measure: .revenue, currency: currency, t: t)
        return AnalyticsForm.figure(t(.analyticsRevenue), BarChart(
            title: t(.analyticsRevenue), categories: rows.map(name),
            series: [.init(name: t(.analyticsRevenue), values: rows.map { value.plotted($0.revenue) }),
                     .init(name: t(.analyticsPrevious), values: rows.map { value.plotted($0.previousRevenue) }),
                     .init(name: t(.analyticsYearEarlier), values: rows.map { value.plotted($0.yoyRevenue) })],
            format: .money(currency), link: { orders(rows[$0]) }).node(t))
    }

    private func table() -> Node<HTML.BodyContext> {
        let t = form.page.t
        let headers: [UIKey] = [.analyticsRevenue, .analyticsShare, .analyticsMargin, .analyticsMarginPct, .analyticsOrders, .analyticsActiveCustomers,
                                .analyticsNewCustomers, .analyticsAverageOrder, .analyticsGrowth, .analyticsYoy]
        return .table(
            .class("list"),
            .thead(.tr(.th(.text(t(kind == .territory ? .analyticsDimRegion : .analyticsDimChannel))),
                       .forEach(headers) { .th(.class("number"), .text(t($0))) })),
            .tbody(.forEach(report.items) { row in
                .tr(.td(.class("indent-\(min(row.level, 3))"), orders(row).map { .a(.href($0), .text(name(row))) } ?? .text(name(row))),
                    .td(.class("number"), .text(form.money(row.revenue, currency))), .td(.class("number"), .text(form.percent(row.share))),
                    .td(.class("number"), .text(form.money(row.margin, currency))), .td(.class("number"), .text(form.percent(row.marginPct))),
                    .td(.class("number"), .text(t.number(row.orders))), .td(.class("number"), .text(form.count(row.activeCustomers))),
                    .td(.class("number"), .text(form.count(row.newCustomers))),
                    .td(.class("number"), .text(row.averageOrder.map { form.money($0, currency) } ?? t(.analyticsNa))),
                    .td(.class("number"), .text(t.change(row.growthPct))), .td(.class("number"), .text(t.change(row.yoyPct))))
            }))
    }
}
