import KvotaCore
import Plot

/// The funnel of one pipeline: how many of the deals created in the window reached each stage, converted and dropped
/// off, how long stays lasted; of the deals closed in it the win rate, average won deal, cycle and loss reasons.
struct FunnelPage {
    let form: AnalyticsForm
    let window: DateWindow
    let pipelines: [(id: Int64, name: String)]
    let report: FunnelReport?
    let currency: Currency

    func html() -> HTML {
        let t = form.page.t
        let title = t(.analyticsFunnel)
        let choices = pipelines.map { (String($0.id), $0.name) }
        return Layout(page: form.page, title: title).document(.group(
            .h1(.text(title)),
            .p(.class("muted"), .text(t(.analyticsFunnelAbout))),
            form.filters(choices.count > 1 ? [form.select(t(.boardPipeline), "pipeline", choices, default: report.map { String($0.pipelineId) } ?? "")] : [],
                         names: ["pipeline"], window: window),
            .unwrap(report) { report in .group(stages(report), closedSection(report), lossReasons(report)) }
        ))
    }

    /// The deals of the pipeline behind a figure: the cohort created in the window (that reached a stage), or the
    /// deals closed in it.
    private func deals(_ report: FunnelReport, _ extra: [(String, String)]) -> String {
        let owner = form.given.filter { $0.0 == "manager" }.map { ("owner", $0.1) }
        return SiteURL.list(.deals, query: ListQuery.encode([("pipeline", String(report.pipelineId))] + owner + extra)).path
    }

    private func cohort(_ report: FunnelReport, reached stage: Int64) -> String {
        deals(report, [("createdFrom", window.from.iso), ("createdTo", window.through.iso), ("reached", String(stage))])
    }

    private func closed(_ report: FunnelReport, _ status: StageOutcome) -> String {
        deals(report, [("status", status.rawValue), ("closedFrom", window.from.iso), ("closedTo", window.through.iso)])
    }

    private func stages(_ report: FunnelReport) -> Node<HTML.BodyContext> {
        let t = form.page.t
        let days = { (value: Double?) in value.map { t.decimal($0) } ?? t(.analyticsNa) }
        return .group(
            .p(.text(t(.analyticsDealsCreated, ["count": form.count(report.created)]))),
            AnalyticsForm.figure(report.pipeline, FunnelChart(title: report.pipeline,
                                                              stages: report.stages.map { .init(name: $0.name, count: $0.reached) }).node(t)),
            .table(.class("list"),
                   .thead(.tr(.th(.text(t(.colStage))), .th(.class("number"), .text(t(.analyticsReached))),
                              .th(.class("number"), .text(t(.analyticsConversion))), .th(.class("number"), .text(t(.analyticsDropOff))),
                              .th(.class("number"), .text(t(.analyticsMeanDays))), .th(.class("number"), .text(t(.analyticsMedianDays))))),
                   .tbody(.forEach(report.stages) { row in
                       .tr(.td(.a(.href(cohort(report, reached: row.stageId)), .text(row.name))),
                           .td(.class("number"), .text(form.count(row.reached))), .td(.class("number"), .text(form.percent(row.conversion))),
                           .td(.class("number"), .text(form.count(row.dropOff))), .td(.class("number"), .text(days(row.meanDays))),
                           .td(.class("number"), .text(days(row.medianDays))))
                   }))
        )
    }

    private func closedSection(_ report: FunnelReport) -> Node<HTML.BodyContext> {
        let t = form.page.t
        let c = report.closed
        return .section(
            .h2(.text(t(.analyticsClosedInWindow))),
            .p(.a(.href(closed(report, .won)), .text(t(.analyticsWon) + ": " + form.count(c.won))), .text(" · "),
               .a(.href(closed(report, .lost)), .text(t(.analyticsLostDeals) + ": " + form.count(c.lost)))),
            AnalyticsForm.figures([(t(.analyticsWinRateCount), form.percent(c.winRateCount)), (t(.analyticsWinRateAmount), form.percent(c.winRateAmount)),
                                   (t(.analyticsAverageWon), c.averageWon.map { form.money($0, currency) } ?? t(.analyticsNa)),
                                   (t(.analyticsCycle), c.cycleMedianDays.map { t.decimal($0) } ?? t(.analyticsNa))])
        )
    }

    private func lossReasons(_ report: FunnelReport) -> Node<HTML.BodyContext> {
        let t = form.page.t
        guard !report.lossReasons.isEmpty else { return .empty }
        return .section(
            .h2(.text(t(.analyticsLossReasons))),
            .table(.class("list"),
                   .thead(.tr(.th(.text(t(.analyticsReason))), .th(.class("number"), .text(t(.analyticsCount))),
                              .th(.class("number"), .text(t(.analyticsAmount))))),
                   .tbody(.forEach(report.lossReasons) { row in
                       .tr(.td(.a(.href(closed(report, .lost)), .text(row.reason ?? t(.analyticsNone)))),
                           .td(.class("number"), .text(form.count(row.count))), .td(.class("number"), .text(form.money(row.amount, currency))))
                   }))
        )
    }
}
