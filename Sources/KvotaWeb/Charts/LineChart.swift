import Plot

/// Values over ordered categories (months, weeks): a line per series with a dot per value, each dot with its
/// tooltip.
struct LineChart {
    let title: String
    let categories: [String]
    let series: [Chart.Series]
    let format: Chart.Format
    var width = 640.0
    var height = 280.0

    func node(_ t: Localizer) -> Node<HTML.BodyContext> {
        let plot = ChartPlot(width: width, height: height, legend: series.count > 1)
        let scale = ChartScale(values: series.flatMap(\.values))
        let step = categories.count > 1 ? (plot.right - plot.left) / Double(categories.count - 1) : 0
        func x(_ index: Int) -> Double { categories.count > 1 ? plot.left + Double(index) * step : (plot.left + plot.right) / 2 }
        var marks: [Node<HTML.BodyContext>] = [
            Chart.valueAxis(scale, format: format, t, left: plot.left, right: plot.right, top: plot.top, bottom: plot.bottom),
            plot.categoryLabels(categories, at: x),
        ]
        for (index, line) in series.enumerated() {
            let points = line.values.enumerated().map { "\(Chart.format(x($0.offset + line.start))),\(Chart.format(scale.position($0.element, from: plot.bottom, to: plot.top)))" }
            marks.append(Chart.element("polyline", [("points", points.joined(separator: " ")), ("fill", "none"),
                                                    ("stroke", Chart.colour(index)), ("stroke-width", "2"), ("class", "series")]))
            for (offset, value) in line.values.enumerated() {
                let position = offset + line.start
                marks.append(Chart.element("circle", [("cx", Chart.format(x(position))), ("cy", Chart.format(scale.position(value, from: plot.bottom, to: plot.top))),
                                                      ("r", "3.5"), ("fill", Chart.colour(index))],
                                           [Chart.tooltip("\(line.name) · \(categories[safe: position] ?? ""): \(format.text(value, t))")]))
            }
        }
        if series.count > 1 { marks.append(Chart.legend(series.map(\.name), y: height - 8, left: plot.left)) }
        return Chart.frame(width: width, height: height, label: title, marks)
    }
}

/// Where the marks go inside a chart: margins for the value labels on the left, the category labels below, and the
/// legend at the bottom.
struct ChartPlot {
    let width: Double
    let height: Double
    let left = 100.0
    let top = 12.0
    var right: Double { width - 12 }
    let bottom: Double

    init(width: Double, height: Double, legend: Bool) {
        self.width = width
        self.height = height
        self.bottom = height - (legend ? 48 : 28)
    }

    func categoryLabels(_ categories: [String], at x: (Int) -> Double) -> Node<HTML.BodyContext> {
        // Every label when they fit, else every n-th, so long series stay readable.
        let every = max(1, Int((Double(categories.count) * 60 / (right - left)).rounded(.up)))
        return Chart.element("g", [("class", "axis categories")], categories.enumerated().compactMap { index, name in
            index % every == 0 ? Chart.text(name, x: x(index), y: bottom + 16) : nil
        })
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
