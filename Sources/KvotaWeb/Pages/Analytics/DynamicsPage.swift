import KvotaCore
import Plot

/// Sales dynamics: the chart of a measure by period (with the same periods a year earlier beside it when nothing is
/// broken down, one line per key when something is) and the table under it.
struct DynamicsPage {
    let form: AnalyticsForm
    let query: DynamicsReport.Query
    let report: DynamicsReport
    let currency: Currency

    func html() -> HTML {
        let t = form.page.t
        let title = t(.analyticsDynamics)
        let measures: [(String, String)] = SalesMeasure.allCases.map { ($0.rawValue, t(Self.label($0))) }
        let grains: [(String, String)] = GrainParameter.allCases.map { ($0.rawValue, t(Self.label($0))) }
        let dimensions: [(String, String)] = [("", t(.analyticsByNone))] + SalesDimension.allCases.map { ($0.rawValue, t(Self.label($0))) }
        return Layout(page: form.page, title: title).document(.group(
            .h1(.text(title)),
            .p(.class("muted"), .text(t(.analyticsDynamicsAbout))),
            form.filters([form.select(t(.analyticsMeasure), "measure", measures, default: query.measure.rawValue),
                          form.select(t(.analyticsGrain), "grain", grains, default: "month"),
                          form.select(t(.analyticsBy), "by", dimensions, default: "")],
                         names: ["measure", "grain", "by"], window: query.shared.window),
            AnalyticsForm.figure(t(Self.label(query.measure)), chart()),
            table()
        ))
    }

    private var format: Chart.Format { query.measure.isMoney ? .money(currency) : .number }

    /// Money in major units and quantities in whole units, as the chart's axis counts them.
    private func plotted(_ value: Int64) -> Double {
        AnalyticsForm.ValueText(measure: query.measure, currency: currency, t: form.page.t).plotted(value)
    }

    private func chart() -> Node<HTML.BodyContext> {
        let t = form.page.t
        let periods = report.series.first?.points.map(\.period) ?? []
        let series: [Chart.Series]
        if query.by == nil, let total = report.series.first {
            series = [.init(name: t(Self.label(query.measure)), values: total.points.map { plotted($0.value) }),
                      .init(name: t(.analyticsYearEarlier), values: total.points.map { plotted($0.yoyValue) })]
        } else {
            series = report.series.map { .init(name: name($0), values: $0.points.map { plotted($0.value) }) }
        }
        return LineChart(title: t(Self.label(query.measure)), categories: periods, series: series, format: format).node(t)
    }

    private func name(_ series: DynamicsReport.Series) -> String {
        switch series.key {
        case "other": form.page.t(.analyticsOther)
        case "none": form.page.t(.analyticsNone)
        default: series.name
        }
    }

    private func text(_ value: Int64) -> String {
        let t = form.page.t
        switch query.measure {
        case .revenue, .margin: return t.money(Money(minorUnits: value, currency: currency), showMinorUnits: false)
        case .quantity: return t.decimal(Double(value) / 1_000)
        default: return t.number(value)
        }
    }

    private func table() -> Node<HTML.BodyContext> {
        let t = form.page.t
        guard query.by != nil else {
            let points = report.series.first?.points ?? []
            return .table(.class("list"),
                          .thead(.tr(.th(.text(t(.analyticsPeriod))), .th(.class("number"), .text(t(.analyticsValue))),
                                     .th(.class("number"), .text(t(.analyticsPrevious))), .th(.class("number"), .text(t(.analyticsChange))),
                                     .th(.class("number"), .text(t(.analyticsYearEarlier))), .th(.class("number"), .text(t(.analyticsChange))))),
                          .tbody(.forEach(points) { point in
                              .tr(.td(.text(point.period), .if(point.partial, .span(.class("muted"), .text(" (" + t(.analyticsPartial) + ")")))),
                                  .td(.class("number"), .text(text(point.value))), .td(.class("number"), .text(text(point.previous))),
                                  .td(.class("number"), .text(t.change(point.changePct))), .td(.class("number"), .text(text(point.yoyValue))),
                                  .td(.class("number"), .text(t.change(point.yoyPct))))
                          }))
        }
        let periods = report.series.first?.points.map(\.period) ?? []
        return .table(.class("list"),
                      .thead(.tr(.th(.text(t(Self.label(query.by!)))), .forEach(periods) { .th(.class("number"), .text($0)) })),
                      .tbody(.forEach(report.series) { series in
                          .tr(.td(link(series)), .forEach(series.points) { .td(.class("number"), .text(text($0.value))) })
                      }))
    }

    /// A customer's name opens the customer; a rep's opens the orders they own.
    private func link(_ series: DynamicsReport.Series) -> Node<HTML.BodyContext> {
        guard let id = Int64(series.key) else { return .text(name(series)) }
        switch query.by {
        case .account: return .a(.href(SiteURL.account(id: id).path), .text(series.name))
        case .manager: return .a(.href(SiteURL.list(.orders, query: "owner=\(id)").path), .text(series.name))
        default: return .text(series.name)
        }
    }

    static func label(_ measure: SalesMeasure) -> UIKey {
        switch measure {
        case .revenue: .analyticsRevenue
        case .margin: .analyticsMargin
        case .quantity: .analyticsQuantity
        case .orders: .analyticsOrders
        case .dealsWon: .analyticsDealsWon
        case .newCustomers: .analyticsNewCustomers
        }
    }

    static func label(_ grain: GrainParameter) -> UIKey {
        switch grain {
        case .day: .analyticsGrainDay
        case .week: .analyticsGrainWeek
        case .month: .analyticsGrainMonth
        case .quarter: .analyticsGrainQuarter
        case .halfYear: .analyticsGrainHalfYear
        case .year: .analyticsGrainYear
        }
    }

    static func label(_ dimension: SalesDimension) -> UIKey {
        switch dimension {
        case .manager: .analyticsDimManager
        case .team: .analyticsDimTeam
        case .region: .analyticsDimRegion
        case .channel: .analyticsDimChannel
        case .category: .analyticsDimCategory
        case .product: .analyticsDimProduct
        case .account: .analyticsDimAccount
        }
    }
}
