import Foundation
import KvotaCore
import KvotaStore
import Plot

/// A plan's measure as a chart: the cumulative actual through each checkpoint, the plan spread evenly over the period,
/// and the run-rate from the last actual to the period's end.
struct PlanChart {
    let plan: Plan
    let cumulative: PlanCumulative
    let figures: PlanFigures

    /// Cumulative actual through each checkpoint, the plan spread evenly over the period, and the run-rate from today to
    /// the period's end.
    func node(_ measure: PlanMeasure, _ progress: PlanProgress) -> Node<HTML.BodyContext> {
        let t = figures.t
        let days = cumulative.days
        let actual = cumulative.actuals[measure] ?? []
        let scale = measure.isMoney ? pow(10, Double(figures.currency.minorUnitDigits)) : measure == .quantity ? 1000 : 1
        func unit(_ value: Int64) -> Double { Double(value) / scale }
        var series = [
            Chart.Series(name: t(.planLine), values: days.map { unit(PlanProgress.evenShare(of: progress.target, plan.period, through: $0)) }),
            Chart.Series(name: t(.planCumulative), values: actual.map(unit)),
        ]
        if let last = actual.last, actual.count < days.count, progress.daysElapsed > 0 {
            // The run-rate goes on from the last actual point at the pace so far.
            let from = days[actual.count - 1]
            let perDay = Double(last) / Double(progress.daysElapsed)
            let rest = days[(actual.count - 1)...].map { unit(Int64((Double(last) + perDay * Double(from.days(until: $0))).rounded())) }
            series.append(Chart.Series(name: t(.planRunRate), values: Array(rest), start: actual.count - 1))
        }
        // A month's or week's days by their number; longer periods by their date.
        let labels = days.map { [.month, .week].contains(plan.period.grain) ? String($0.day) : t.date($0) }
        let format: Chart.Format = measure.isMoney ? .money(figures.currency) : .number
        return .element(named: "figure", nodes: [
            .class("chart"),
            LineChart(title: "\(figures.label(of: measure)): \(t(.planCumulative))", categories: labels, series: series, format: format).node(t),
        ])
    }
}
