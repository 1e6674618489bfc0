import Foundation
import KvotaCore
import Plot

/// What the server-drawn charts share: the data's shape, how values are written, the colours, and the SVG frame
/// with its title for screen readers. Charts are SVG inside the page: no script, no external file; every mark has a
/// native tooltip (`<title>`) with the value as the reader's locale writes it.
enum Chart {
    struct Series {
        let name: String
        let values: [Double]
        /// The category the first value belongs to: a line that begins later (a run-rate from today on).
        var start = 0
        /// Drawn dashed: a forecast rather than what happened.
        var dashed = false
        /// The palette entry to draw in, when not the series' place in the list.
        var colour: Int?
    }

    /// A shaded range between two bounds (a forecast's interval), in the colour of the series it belongs to.
    struct Band {
        let name: String
        let low: [Double]
        let high: [Double]
        var start = 0
        /// The index of the series whose colour it takes.
        var series = 0
    }

    /// How a value is written on axes and in tooltips.
    enum Format {
        case number
        /// Whole units of `currency` (the axis of a revenue chart needs no cents).
        case money(Currency)
        case percent

        func text(_ value: Double, _ t: Localizer) -> String {
            switch self {
            case .number: t.decimal(value)
            case .money(let currency):
                t.money(Money(minorUnits: Int64((value * pow(10, Double(currency.minorUnitDigits))).rounded()), currency: currency),
                        showMinorUnits: false)
            case .percent: t.percent(value)
            }
        }
    }

    /// Okabe–Ito colours: told apart by readers with any common colour blindness.
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

    static func colour(_ index: Int) -> String { palette[index % palette.count] }

    /// The `<svg>` around a chart's marks, sized by its view box so it scales to the page.
    static func frame(width: Double, height: Double, label: String, _ content: [Node<HTML.BodyContext>]) -> Node<HTML.BodyContext> {
        .element(named: "svg", nodes: [
            .attribute(named: "xmlns", value: "http://www.w3.org/2000/svg"),
            .attribute(named: "viewBox", value: "0 0 \(format(width)) \(format(height))"),
            .attribute(named: "class", value: "chart"),
            .attribute(named: "role", value: "img"),
            .attribute(named: "aria-label", value: label),
            .element(named: "title", text: label),
        ] + content)
    }

    static func element(_ name: String, _ attributes: [(String, String)], _ children: [Node<HTML.BodyContext>] = []) -> Node<HTML.BodyContext> {
        .element(named: name, nodes: attributes.map { .attribute(named: $0.0, value: $0.1, ignoreIfValueIsEmpty: false) } + children)
    }

    static func text(_ content: String, x: Double, y: Double, anchor: String = "middle", className: String = "label") -> Node<HTML.BodyContext> {
        element("text", [("x", format(x)), ("y", format(y)), ("text-anchor", anchor), ("class", className)], [.text(content)])
    }

    /// A mark that leads to the records behind it when it has somewhere to go.
    static func linked(_ href: String?, _ mark: Node<HTML.BodyContext>) -> Node<HTML.BodyContext> {
        guard let href else { return mark }
        return element("a", [("href", href), ("class", "drill")], [mark])
    }

    static func tooltip(_ content: String) -> Node<HTML.BodyContext> {
        .element(named: "title", text: content)
    }

    /// Where each legend entry goes: its x and its row, rows wrapping at `right` so a long legend stays inside the chart.
    static func legendLayout(_ names: [String], left: Double, right: Double) -> [(x: Double, row: Int)] {
        var x = left, row = 0
        var places: [(x: Double, row: Int)] = []
        for name in names {
            let width = 24 + Double(name.count) * 6.5
            if x > left && x + width - 10 > right { x = left; row += 1 }
            places.append((x, row))
            x += width
        }
        return places
    }

    /// The legend under a chart: a swatch and name per series, its last row at `y`.
    static func legend(_ names: [String], colours: [Int]? = nil, y: Double, left: Double, right: Double) -> Node<HTML.BodyContext> {
        let places = legendLayout(names, left: left, right: right)
        let rows = (places.last?.row ?? 0) + 1
        var nodes: [Node<HTML.BodyContext>] = []
        for (index, name) in names.enumerated() {
            let x = places[index].x, rowY = y - Double(rows - 1 - places[index].row) * 18
            nodes.append(element("rect", [("x", format(x)), ("y", format(rowY - 9)), ("width", "10"), ("height", "10"),
                                         ("fill", colour(colours?[index] ?? index))]))
            nodes.append(text(name, x: x + 14, y: rowY, anchor: "start", className: "legend"))
        }
        return element("g", [("class", "legend")], nodes)
    }

    /// Horizontal grid lines with the value axis's labels on the left.
    static func valueAxis(_ scale: ChartScale, format: Format, _ t: Localizer, left: Double, right: Double, top: Double,
                          bottom: Double) -> Node<HTML.BodyContext> {
        element("g", [("class", "axis")], scale.ticks.flatMap { tick -> [Node<HTML.BodyContext>] in
            let y = scale.position(tick, from: bottom, to: top)
            return [element("line", [("x1", Chart.format(left)), ("x2", Chart.format(right)), ("y1", Chart.format(y)), ("y2", Chart.format(y)),
                                     ("class", tick == 0 ? "zero" : "grid")]),
                    text(format.text(tick, t), x: left - 6, y: y + 4, anchor: "end")]
        })
    }

    /// Numbers in SVG attributes: at most two decimals, a point, no exponent.
    static func format(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.2f", rounded)
    }
}
