import Plot

/// Values over ordered categories (months, weeks): a line per series with a dot per value, each dot with its
/// tooltip.
struct LineChart {
    let title: String
    let categories: [String]
    let series: [Chart.Series]
    let format: Chart.Format
    var band: Chart.Band?
    var width = 640.0
    var height = 280.0

    func node(_ t: Localizer) -> Node<HTML.BodyContext> {
        let rows = series.count > 1 ? (Chart.legendLayout(series.map(\.name), left: 100, right: width - 12).last?.row ?? 0) + 1 : 0
        let height = height + Double(max(0, rows - 1)) * 18
        let plot = ChartPlot(width: width, height: height, legend: series.count > 1, legendRows: rows)
        let scale = ChartScale(values: series.flatMap(\.values) + (band.map { $0.low + $0.high } ?? []))
        let step = categories.count > 1 ? (plot.right - plot.left) / Double(categories.count - 1) : 0
        func x(_ index: Int) -> Double { categories.count > 1 ? plot.left + Double(index) * step : (plot.left + plot.right) / 2 }
        var marks: [Node<HTML.BodyContext>] = [
            Chart.valueAxis(scale, format: format, t, left: plot.left, right: plot.right, top: plot.top, bottom: plot.bottom),
            plot.categoryLabels(categories, at: x),
        ]
        func point(_ index: Int, _ value: Double) -> String {
            "\(Chart.format(x(index))),\(Chart.format(scale.position(value, from: plot.bottom, to: plot.top)))"
        }
        if let band, !band.low.isEmpty {
            let upper = band.high.enumerated().map { point($0.offset + band.start, $0.element) }
            let lower = band.low.enumerated().reversed().map { point($0.offset + band.start, $0.element) }
            marks.append(Chart.element("polygon", [("points", (upper + lower).joined(separator: " ")),
                                                   ("fill", Chart.colour(series[safe: band.series]?.colour ?? band.series)),
                                                   ("fill-opacity", "0.15"), ("stroke", "none"), ("class", "band")],
                                       [Chart.tooltip(band.name)]))
        }
        for (index, line) in series.enumerated() {
            let points = line.values.enumerated().map { point($0.offset + line.start, $0.element) }
            let colour = Chart.colour(line.colour ?? index)
            var attributes = [("points", points.joined(separator: " ")), ("fill", "none"), ("stroke", colour),
                              ("stroke-width", "2"), ("class", "series")]
            if line.dashed { attributes.append(("stroke-dasharray", "6 4")) }
            marks.append(Chart.element("polyline", attributes))
            for (offset, value) in line.values.enumerated() {
                let position = offset + line.start
                marks.append(Chart.element("circle", [("cx", Chart.format(x(position))), ("cy", Chart.format(scale.position(value, from: plot.bottom, to: plot.top))),
                                                      ("r", "3.5"), ("fill", colour)],
                                           [Chart.tooltip("\(line.name) · \(categories[safe: position] ?? ""): \(format.text(value, t))")]))
            }
        }
        if series.count > 1 {
            marks.append(Chart.legend(series.map(\.name), colours: series.enumerated().map { $0.element.colour ?? $0.offset }, y: height - 8,
                                      left: plot.left, right: plot.right))
        }
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

    init(width: Double, height: Double, legend: Bool, legendRows: Int = 1) {
        self.width = width
        self.height = height
        self.bottom = height - (legend ? 48 + Double(max(0, legendRows - 1)) * 18 : 28)
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
