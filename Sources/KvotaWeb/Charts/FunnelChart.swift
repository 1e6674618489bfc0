import Plot

/// A sales funnel: a centred bar per stage as wide as the deals that reached it, with the count and the conversion
/// from the stage before beside it.
struct FunnelChart {
    struct Stage {
        let name: String
        let count: Int
    }

    let title: String
    let stages: [Stage]
    var width = 640.0

    func node(_ t: Localizer) -> Node<HTML.BodyContext> {
        let row = 34.0, labelWidth = 150.0, valueWidth = 150.0
        let height = max(row, Double(stages.count) * row) + 8
        let widest = Double(stages.map(\.count).max() ?? 0)
        let available = width - labelWidth - valueWidth
        var marks: [Node<HTML.BodyContext>] = []
        for (index, stage) in stages.enumerated() {
            let barWidth = widest > 0 ? max(2, Double(stage.count) / widest * available) : 2
            let y = 4 + Double(index) * row
            let conversion = index > 0 && stages[index - 1].count > 0
                ? Double(stage.count) / Double(stages[index - 1].count) : nil
            let value = t.number(Int64(stage.count)) + (conversion.map { " · " + t.percent($0) } ?? "")
            marks.append(Chart.text(stage.name, x: labelWidth - 8, y: y + row / 2 + 4, anchor: "end"))
            marks.append(Chart.element("rect", [("x", Chart.format(labelWidth + (available - barWidth) / 2)), ("y", Chart.format(y + 3)),
                                                ("width", Chart.format(barWidth)), ("height", Chart.format(row - 6)),
                                                ("fill", Chart.colour(0)), ("class", "bar")],
                                       [Chart.tooltip("\(stage.name): \(value)")]))
            marks.append(Chart.text(value, x: width - valueWidth + 8, y: y + row / 2 + 4, anchor: "start"))
        }
        return Chart.frame(width: width, height: height, label: title, marks)
    }
}
