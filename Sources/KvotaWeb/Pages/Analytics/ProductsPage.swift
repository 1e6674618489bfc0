import KvotaCore
import Plot

/// Product profitability: the matrix of revenue class × margin class (products that sell much and earn little sit
/// in A×C), per category the sums and margin %, and the products with their classes; a cell lists its products.
struct ProductsPage {
    let form: AnalyticsForm
    let window: DateWindow
    let report: ProductsReport
    /// The cell asked for with `abcRevenue` and `abcMargin`.
    let cell: (revenue: ABCClass, margin: ABCClass)?
    let currency: Currency

    func html() -> HTML {
        let t = form.page.t
        let title = t(.analyticsProducts)
        return Layout(page: form.page, title: title).document(.group(
            .h1(.text(title)),
            .p(.class("muted"), .text(t(.analyticsProductsAbout))),
            form.filters([], names: ["limit", "abcRevenue", "abcMargin"], window: window),
            heatMap(),
            categories(),
            products()
        ))
    }

    private func heatMap() -> Node<HTML.BodyContext> {
        let t = form.page.t
        let classes = ABCClass.allCases.map(\.rawValue)
        let values = classes.map { r in classes.map { m in Double(report.matrix.first { $0.abcRevenue == r && $0.abcMargin == m }?.products ?? 0) } }
        return AnalyticsForm.figure(t(.analyticsProfitMatrix), HeatMapChart(
            title: t(.analyticsProfitMatrix), rows: classes.map { t(.analyticsRevenue) + " " + $0 }, columns: classes, values: values,
            format: .number, cell: 56, showValues: true,
            link: { r, c in form.link(["abcRevenue": classes[r], "abcMargin": classes[c]]) }).node(t))
    }

    private func categories() -> Node<HTML.BodyContext> {
        let t = form.page.t
        return .section(
            .h2(.text(t(.analyticsDimCategory))),
            .table(.class("list"),
                   .thead(.tr(.th(.text(t(.analyticsDimCategory))), .th(.class("number"), .text(t(.analyticsSubjectProduct))),
                              .th(.class("number"), .text(t(.analyticsRevenue))), .th(.class("number"), .text(t(.analyticsMargin))),
                              .th(.class("number"), .text(t(.analyticsMarginPct))), .th(.class("number"), .text(t(.analyticsQuantity))))),
                   .tbody(.forEach(report.categories) { row in
                       .tr(.td(row.id.map { .a(.href(form.link(["category": String($0)])), .text(row.name)) } ?? .text(t(.analyticsNone))),
                           .td(.class("number"), .text(form.count(row.products))), .td(.class("number"), .text(form.money(row.revenue, currency))),
                           .td(.class("number"), .text(form.money(row.margin, currency))), .td(.class("number"), .text(form.percent(row.marginPct))),
                           .td(.class("number"), .text(t.decimal(Double(row.quantity) / 1_000))))
                   }))
        )
    }

    private func products() -> Node<HTML.BodyContext> {
        let t = form.page.t
        let items = report.items.filter { cell == nil || ($0.abcRevenue == cell!.revenue.rawValue && $0.abcMargin == cell!.margin.rawValue) }
        let shown = Array(items.prefix(200))
        return .section(
            .h2(.text(cell.map { t(.analyticsCellItems, ["cell": $0.revenue.rawValue + "×" + $0.margin.rawValue]) } ?? t(.analyticsSubjectProduct))),
            .p(.class("muted"), .text(t(.analyticsItemsShown, ["shown": form.count(shown.count), "total": form.count(cell == nil ? report.itemCount : items.count)]))),
            .table(.class("list"),
                   .thead(.tr(.th(.text(t(.analyticsDimProduct))), .th(.class("number"), .text(t(.analyticsRevenue))),
                              .th(.class("number"), .text(t(.analyticsMargin))), .th(.class("number"), .text(t(.analyticsMarginPct))),
                              .th(.class("number"), .text(t(.analyticsQuantity))), .th(.text("ABC " + t(.analyticsRevenue))),
                              .th(.text("ABC " + t(.analyticsMargin))), .th(.text("XYZ")))),
                   .tbody(.forEach(shown) { row in
                       .tr(.td(.text(row.name)), .td(.class("number"), .text(form.money(row.revenue, currency))),
                           .td(.class("number"), .text(form.money(row.margin, currency))), .td(.class("number"), .text(form.percent(row.marginPct))),
                           .td(.class("number"), .text(t.decimal(Double(row.quantity) / 1_000))), .td(.text(row.abcRevenue)),
                           .td(.text(row.abcMargin)), .td(.text(row.xyz ?? "—")))
                   }))
        )
    }
}
