import KvotaCore
import Plot

/// ABC analysis: the class summary, the Pareto curve (cumulative share by rank) and the largest items.
struct ABCPage {
    let form: AnalyticsForm
    let query: ABCReport.Query
    let report: ABCReport
    let currency: Currency

    func html() -> HTML {
        let t = form.page.t
        let title = t(.analyticsAbc)
        let classes: [(String, String)] = [("", t(.analyticsAll))] + ABCClass.allCases.map { ($0.rawValue, $0.rawValue) }
        return Layout(page: form.page, title: title).document(.group(
            .h1(.text(title)),
            .p(.class("muted"), .text(t(.analyticsAbcAbout))),
            form.filters([form.select(t(.analyticsSubject), "subject", AnalyticsForm.subjects(t), default: "customer"),
                          form.select(t(.analyticsMeasure), "measure", AnalyticsForm.measures(t, [.revenue, .margin, .quantity]), default: "revenue"),
                          form.select(t(.analyticsClass), "class", classes, default: "")],
                         names: ["subject", "measure", "class"], window: query.shared.window),
            summary(),
            AnalyticsForm.figure(t(.analyticsPareto), pareto()),
            items()
        ))
    }

    private func text(_ value: Int64) -> String {
        AnalyticsForm.ValueText(measure: query.measure, currency: currency, t: form.page.t).text(value)
    }

    private func summary() -> Node<HTML.BodyContext> {
        let t = form.page.t
        return .table(.class("list"),
                      .thead(.tr(.th(.text(t(.analyticsClass))), .th(.class("number"), .text(t(.analyticsCount))),
                                 .th(.class("number"), .text(t(DynamicsPage.label(query.measure)))), .th(.class("number"), .text(t(.analyticsShare))))),
                      .tbody(.forEach(report.classes) { row in
                          .tr(.td(.a(.href(link(class: row.class)), .text(row.class))), .td(.class("number"), .text(t.number(Int64(row.count)))),
                              .td(.class("number"), .text(text(row.value))), .td(.class("number"), .text(t.percent(row.share, fractionDigits: 1))))
                      }))
    }

    /// The same analysis listing one class.
    private func link(class name: String) -> String {
        SiteURL.analysis(.abc, query: ListQuery.encode(form.given.filter { $0.0 != "class" } + [("class", name)])).path
    }

    /// The cumulative share at up to a hundred evenly spaced ranks, from the listed items (the largest first).
    private func pareto() -> Node<HTML.BodyContext> {
        let t = form.page.t
        let items = report.items
        let step = max(1, items.count / 100)
        let sampled = items.enumerated().filter { $0.offset % step == 0 || $0.offset == items.count - 1 }.map(\.element)
        return LineChart(title: t(.analyticsPareto), categories: sampled.map { String($0.rank) },
                         series: [.init(name: t(.analyticsCumulative), values: sampled.map(\.cumulativeShare))], format: .percent).node(t)
    }

    private func items() -> Node<HTML.BodyContext> {
        let t = form.page.t
        let subject = query.subject == .customer ? t(.analyticsDimAccount) : t(.analyticsDimProduct)
        return .group(
            .p(.class("muted"), .text(t(.analyticsItemsShown, ["shown": t.number(Int64(report.items.count)), "total": t.number(Int64(report.itemCount))]))),
            .table(.class("list"),
                   .thead(.tr(.th(.class("number"), .text(t(.analyticsRank))), .th(.text(subject)),
                              .th(.class("number"), .text(t(DynamicsPage.label(query.measure)))), .th(.class("number"), .text(t(.analyticsShare))),
                              .th(.class("number"), .text(t(.analyticsCumulative))), .th(.text(t(.analyticsClass))))),
                   .tbody(.forEach(report.items) { item in
                       .tr(.td(.class("number"), .text(t.number(Int64(item.rank)))),
                           .td(query.subject == .customer ? .a(.href(SiteURL.account(id: item.id).path), .text(item.name)) : .text(item.name)),
                           .td(.class("number"), .text(text(item.value))), .td(.class("number"), .text(t.percent(item.share, fractionDigits: 1))),
                           .td(.class("number"), .text(t.percent(item.cumulativeShare, fractionDigits: 1))), .td(.text(item.class)))
                   }))
        )
    }
}
