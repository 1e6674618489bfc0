import Plot

/// A matrix of values as shaded cells, such as activity by weekday and hour or customers moving between A/B/C
/// categories: the darker, the larger; each cell has its value in its tooltip, and in the cell when it fits.
struct HeatMapChart {
    let title: String
    let rows: [String]
    let columns: [String]
    /// `values[row][column]`.
    let values: [[Double]]
    let format: Chart.Format
    var cell = 28.0
    var showValues = false
    /// Where a click on a cell leads (the records behind it), by row and column.
    var link: ((Int, Int) -> String?)? = nil

    func node(_ t: Localizer) -> Node<HTML.BodyContext> {
        let left = 110.0, top = 24.0
        let width = left + Double(columns.count) * cell + 8, height = top + Double(rows.count) * cell + 8
        let largest = values.flatMap { $0 }.max() ?? 0
        var marks: [Node<HTML.BodyContext>] = columns.enumerated().map { index, name in
            Chart.text(name, x: left + (Double(index) + 0.5) * cell, y: top - 8)
        }
        for (r, name) in rows.enumerated() {
            let y = top + Double(r) * cell
            marks.append(Chart.text(name, x: left - 8, y: y + cell / 2 + 4, anchor: "end"))
            for c in columns.indices {
                let value = values[safe: r]?[safe: c] ?? 0
                let share = largest > 0 ? max(0, value) / largest : 0
                let rect = Chart.element("rect", [("x", Chart.format(left + Double(c) * cell + 1)), ("y", Chart.format(y + 1)),
                                                  ("width", Chart.format(cell - 2)), ("height", Chart.format(cell - 2)),
                                                  ("fill", Chart.colour(0)), ("fill-opacity", Chart.format(0.06 + 0.94 * share)),
                                                  ("class", "cell")],
                                         [Chart.tooltip("\(name) · \(columns[c]): \(format.text(value, t))")])
                marks.append(Chart.linked(link?(r, c), rect))
                if showValues {
                    marks.append(Chart.text(format.text(value, t), x: left + (Double(c) + 0.5) * cell, y: y + cell / 2 + 4,
                                            className: share > 0.55 ? "value inverse" : "value"))
                }
            }
        }
        return Chart.frame(width: width, height: height, label: title, marks)
    }
}
