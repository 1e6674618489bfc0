import KvotaCore
import Plot

/// The ABC×XYZ matrix: nine cells of how much an item brings (A, B, C) by how steadily (X, Y, Z), as a heat map
/// and a table; a cell opens the items in it.
struct ABCXYZPage {
    struct Cell: Sendable {
        let abc: ABCClass
        let xyz: XYZClass
        let members: [ABCXYZReport.Member]
    }

    let form: AnalyticsForm
    let query: XYZReport.Query
    let report: ABCXYZReport?
    /// The cell asked for with `abc` and `xyz`, with its items.
    let cell: Cell?
    let currency: Currency

    func html() -> HTML {
        let t = form.page.t
        let title = t(.analyticsAbcXyz)
        return Layout(page: form.page, title: title).document(.group(
            .h1(.text(title)),
            .p(.class("muted"), .text(t(.analyticsAbcXyzAbout))),
            form.filters([form.select(t(.analyticsSubject), "subject", AnalyticsForm.subjects(t), default: "customer"),
                          form.select(t(.analyticsMeasure), "measure", AnalyticsForm.measures(t, [.revenue, .quantity]), default: "revenue")],
                         names: ["subject", "measure", "abc", "xyz"], window: query.shared.window),
            .unwrap(report) { report in .group(heatMap(report), table(report)) },
            .unwrap(cell) { members($0) }
        ))
    }

    private func cellLink(_ abc: String, _ xyz: String) -> String { form.link(["abc": abc, "xyz": xyz]) }

    private func heatMap(_ report: ABCXYZReport) -> Node<HTML.BodyContext> {
        let t = form.page.t
        let rows = ABCClass.allCases.map(\.rawValue), columns = XYZClass.allCases.map(\.rawValue)
        let counts = rows.map { a in columns.map { x in Double(report.cells.first { $0.abc == a && $0.xyz == x }?.count ?? 0) } }
        return AnalyticsForm.figure(t(.analyticsAbcXyzCounts), HeatMapChart(
            title: t(.analyticsAbcXyzCounts), rows: rows, columns: columns, values: counts, format: .number, cell: 56, showValues: true,
            link: { r, c in cellLink(rows[r], columns[c]) }).node(t))
    }

    private func table(_ report: ABCXYZReport) -> Node<HTML.BodyContext> {
        let t = form.page.t
        return .table(.class("list"),
                      .thead(.tr(.th(.text("ABC")), .th(.text("XYZ")), .th(.class("number"), .text(t(.analyticsCount))),
                                 .th(.class("number"), .text(t(.analyticsShare))))),
                      .tbody(.forEach(report.cells) { cell in
                          .tr(.td(.text(cell.abc)), .td(.text(cell.xyz)),
                              .td(.class("number"), .a(.href(cellLink(cell.abc, cell.xyz)), .text(form.count(cell.count)))),
                              .td(.class("number"), .text(form.percent(cell.valueShare))))
                      }))
    }

    private func members(_ cell: Cell) -> Node<HTML.BodyContext> {
        let t = form.page.t
        let value = AnalyticsForm.ValueText(measure: query.measure, currency: currency, t: t)
        return .section(
            .h2(.text(t(.analyticsCellItems, ["cell": cell.abc.rawValue + cell.xyz.rawValue]))),
            cell.members.isEmpty ? .p(.class("muted"), .text(t(.listNone))) : .table(
                .class("list"),
                .thead(.tr(.th(.class("number"), .text(t(.analyticsRank))),
                           .th(.text(query.subject == .customer ? t(.analyticsDimAccount) : t(.analyticsDimProduct))),
                           .th(.class("number"), .text(t(DynamicsPage.label(query.measure)))), .th(.class("number"), .text(t(.analyticsCv))))),
                .tbody(.forEach(cell.members) { member in
                    .tr(.td(.class("number"), .text(form.count(member.rank))),
                        .td(AnalyticsForm.subjectLink(query.subject, id: member.id, name: member.name)),
                        .td(.class("number"), .text(value.text(member.value))), .td(.class("number"), .text(form.percent(member.cv))))
                }))
        )
    }
}
