import Plot

/// Values per category as bars: side by side per series, or stacked into one bar per category (a part-of-whole
/// view such as revenue by channel per month). Each bar segment has its tooltip.
struct BarChart {
    let title: String
    let categories: [String]
    let series: [Chart.Series]
    let format: Chart.Format
    var stacked = false
    var width = 640.0
    var height = 280.0
    /// Where a click on a category's bars leads (the records behind them).
    var link: ((Int) -> String?)? = nil

    func node(_ t: Localizer) -> Node<HTML.BodyContext> {
        let rows = series.count > 1 ? (Chart.legendLayout(series.map(\.name), left: 100, right: width - 12).last?.row ?? 0) + 1 : 0
        let height = height + Double(max(0, rows - 1)) * 18
        let plot = ChartPlot(width: width, height: height, legend: series.count > 1, legendRows: rows)
        let totals = categories.indices.map { index in series.reduce(0) { $0 + max(0, $1.values[safe: index] ?? 0) } }
        let scale = ChartScale(values: stacked ? totals : series.flatMap(\.values))
        let slot = (plot.right - plot.left) / Double(max(1, categories.count))
        let barWidth = stacked ? slot * 0.6 : slot * 0.8 / Double(max(1, series.count))
        func center(_ index: Int) -> Double { plot.left + slot * (Double(index) + 0.5) }
        var marks: [Node<HTML.BodyContext>] = [
            Chart.valueAxis(scale, format: format, t, left: plot.left, right: plot.right, top: plot.top, bottom: plot.bottom),
            plot.categoryLabels(categories, at: center),
        ]
        for index in categories.indices {
            var base = 0.0
            for (number, line) in series.enumerated() {
                let value = line.values[safe: index] ?? 0
                let from = stacked ? base : 0
                let to = stacked ? base + max(0, value) : value
                if stacked { base = to }
                let y1 = scale.position(from, from: plot.bottom, to: plot.top), y2 = scale.position(to, from: plot.bottom, to: plot.top)
                let x = stacked ? center(index) - barWidth / 2
                    : plot.left + slot * Double(index) + slot * 0.1 + barWidth * Double(number)
                marks.append(Chart.linked(link?(index), Chart.element(
                    "rect", [("x", Chart.format(x)), ("y", Chart.format(min(y1, y2))), ("width", Chart.format(barWidth)),
                             ("height", Chart.format(abs(y1 - y2))), ("fill", Chart.colour(number)), ("class", "bar")],
                    [Chart.tooltip("\(line.name) · \(categories[index]): \(format.text(value, t))")])))
            }
        }
        if series.count > 1 { marks.append(Chart.legend(series.map(\.name), y: height - 8, left: plot.left, right: plot.right)) }
        return Chart.frame(width: width, height: height, label: title, marks)
    }
}
