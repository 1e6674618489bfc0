import KvotaCore
import KvotaStore
import Plot

/// The commercial director's page (and everyone's view of their own numbers): this month's revenue and margin against
/// the same days of the previous month and a year earlier, the customers moving most, those who dropped a class,
/// the concentration alert and the win rate; then the analyses.
struct OverviewPage {
    struct Mover: Sendable {
        let id: Int64
        let name: String
        let change: Int64
    }

    struct Model: Sendable {
        var revenue: DynamicsReport.Point?
        var margin: DynamicsReport.Point?
        var up: [Mover] = []
        var down: [Mover] = []
        var migration: MigrationReport?
        var downgraded: [MigrationReport.CustomerRow] = []
        var concentration: ConcentrationReport?
        var funnel: FunnelReport?
    }

    let page: PageContext
    let model: Model
    let currency: Currency

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.analyticsTitle)).document(.group(
            .h1(.text(t(.analyticsTitle))),
            .h2(.text(t(.analyticsThisMonth))),
            .div(.class("cards"), card(.analyticsRevenue, model.revenue), card(.analyticsMargin, model.margin)),
            .unwrap(model.concentration) { c in
                .p(.class(c.alert ? "flash error" : "muted"),
                   .text(t(c.alert ? .analyticsConcentrationAlert : .analyticsConcentrationOk,
                           ["share": t.percent(c.topShare, fractionDigits: 1), "hhi": t.number(Int64(c.hhi.rounded()))])))
            },
            .unwrap(model.funnel) { f in
                .p(.text(t(.analyticsWinRate, ["pipeline": f.pipeline]) + ": "
                         + t(.analyticsWinRateValue, ["count": f.closed.winRateCount.map { t.percent($0) } ?? t(.analyticsNa),
                                                      "amount": f.closed.winRateAmount.map { t.percent($0) } ?? t(.analyticsNa)])))
            },
            movers(.analyticsMoversUp, model.up),
            movers(.analyticsMoversDown, model.down),
            downgrades(),
            .h2(.text(t(.analyticsPages))),
            .ul(.li(.a(.href(SiteURL.forecast(query: "").path), .text(t(.forecastTitle))), .text(" — " + t(.forecastAbout))),
                .forEach(AnalysisPage.allCases) { analysis in
                .li(.a(.href(SiteURL.analysis(analysis, query: "").path), .text(t(analysis.title))), .text(" — " + t(analysis.about)))
            })
        ))
    }

    private func money(_ value: Int64) -> String { page.t.money(Money(minorUnits: value, currency: currency), showMinorUnits: false) }

    private func card(_ title: UIKey, _ point: DynamicsReport.Point?) -> Node<HTML.BodyContext> {
        let t = page.t
        guard let point else { return .empty }
        return .section(.class("card"),
                        .h3(.text(t(title))),
                        .p(.class("figure"), .text(money(point.value))),
                        .p(.class("muted"), .text(t(.analyticsVsPrevious, ["change": t.change(point.changePct)]))),
                        .p(.class("muted"), .text(t(.analyticsVsYear, ["change": t.change(point.yoyPct)]))))
    }

    private func movers(_ title: UIKey, _ movers: [Mover]) -> Node<HTML.BodyContext> {
        guard !movers.isEmpty else { return .empty }
        return .group(.h3(.text(page.t(title))),
                      .ul(.forEach(movers) { mover in
                          .li(.a(.href(SiteURL.account(id: mover.id).path), .text(mover.name)),
                              .text(" " + (mover.change > 0 ? "+" : "−") + money(abs(mover.change))))
                      }))
    }

    private func downgrades() -> Node<HTML.BodyContext> {
        let t = page.t
        guard let migration = model.migration else { return .empty }
        let title = t(.analyticsDowngrades, ["p1": migration.p1.from + "…" + migration.p1.to, "p2": migration.p2.from + "…" + migration.p2.to])
        return .group(.h3(.text(title)),
                      model.downgraded.isEmpty
                          ? .p(.class("muted"), .text(t(.analyticsNoDowngrades)))
                          : .ul(.forEach(model.downgraded) { row in
                              .li(.a(.href(SiteURL.account(id: row.id).path), .text(row.name)),
                                  .text(" \(row.from) → \(row.to == "none" ? "—" : row.to)"))
                          }))
    }
}
