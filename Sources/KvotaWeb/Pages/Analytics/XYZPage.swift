import KvotaCore
import Plot

/// XYZ analysis: how many products or customers are steady (X), seasonal or uneven (Y) or irregular (Z), and each
/// one's mean, standard deviation and coefficient of variation, the steadiest first.
struct XYZPage {
    let form: AnalyticsForm
    let query: XYZReport.Query
    /// Nil when the window cannot be classified (the reason is on the form).
    let report: XYZReport?
    let currency: Currency

    func html() -> HTML {
        let t = form.page.t
        let title = t(.analyticsXyz)
        let classes: [(String, String)] = [("", t(.analyticsAll))] + XYZClass.allCases.map { ($0.rawValue, $0.rawValue) }
        return Layout(page: form.page, title: title).document(.group(
            .h1(.text(title)),
            .p(.class("muted"), .text(t(.analyticsXyzAbout))),
            form.filters([form.select(t(.analyticsSubject), "subject", AnalyticsForm.subjects(t), default: "customer"),
                          form.select(t(.analyticsMeasure), "measure", AnalyticsForm.measures(t, [.revenue, .quantity]), default: "revenue"),
                          form.select(t(.analyticsClass), "class", classes, default: "")],
                         names: ["subject", "measure", "class"], window: query.shared.window),
            .unwrap(report) { report in
                .group(
                    .table(.class("list"),
                           .thead(.tr(.th(.text(t(.analyticsClass))), .th(.class("number"), .text(t(.analyticsCount))))),
                           .tbody(.forEach(report.classes) { row in
                               .tr(.td(.a(.href(form.link(["class": row.class])), .text(row.class))),
                                   .td(.class("number"), .text(t.number(Int64(row.count)))))
                           })),
                    .p(.a(.href(SiteURL.analysis(.abcXyz, query: ListQuery.encode(form.given.filter { $0.0 != "class" })).path),
                          .text(t(.analyticsAbcXyz)))),
                    items(report)
                )
            }
        ))
    }

    private func items(_ report: XYZReport) -> Node<HTML.BodyContext> {
        let t = form.page.t
        let value = AnalyticsForm.ValueText(measure: query.measure, currency: currency, t: t)
        return .group(
            .p(.class("muted"), .text(t(.analyticsItemsShown, ["shown": t.number(Int64(report.items.count)), "total": t.number(Int64(report.itemCount))]))),
            .table(.class("list"),
                   .thead(.tr(.th(.text(query.subject == .customer ? t(.analyticsDimAccount) : t(.analyticsDimProduct))),
                              .th(.class("number"), .text(t(.analyticsMonthlyMean))), .th(.class("number"), .text(t(.analyticsStdDev))),
                              .th(.class("number"), .text(t(.analyticsCv))), .th(.text(t(.analyticsClass))))),
                   .tbody(.forEach(report.items) { item in
                       .tr(.td(AnalyticsForm.subjectLink(query.subject, id: item.id, name: item.name)),
                           .td(.class("number"), .text(value.text(item.mean))), .td(.class("number"), .text(value.text(item.stdDev))),
                           .td(.class("number"), .text(item.cv.map { t.percent($0, fractionDigits: 1) } ?? t(.analyticsNa))),
                           .td(.text(item.class)))
                   }))
        )
    }
}
