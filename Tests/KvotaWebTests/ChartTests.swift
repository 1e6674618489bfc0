import Foundation
import KvotaCore
import Plot
import Testing
@testable import KvotaWeb

/// The server-drawn SVG charts: round axes, marks where the values put them, tooltips in the reader's locale,
/// stacked bars that add up, funnels as wide as their counts, heat maps shaded by value, and labels escaped.
@Suite struct ChartTests {
    static func svg(_ node: Node<HTML.BodyContext>) -> String { node.render() }

    static func numbers(_ svg: String, _ element: String, _ attribute: String) -> [Double] {
        let pattern = try! NSRegularExpression(pattern: "<\(element)[^>]*?\\s\(attribute)=\"([-0-9.]+)\"")
        return pattern.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)).map {
            Double((svg as NSString).substring(with: $0.range(at: 1)))!
        }
    }

    @Test func axesEndOnRoundNumbers() {
        #expect(ChartScale(values: [0, 87]).ticks == [0, 20, 40, 60, 80, 100])
        #expect(ChartScale(values: [3, 1_234]).ticks == [0, 500, 1_000, 1_500])
        let negative = ChartScale(values: [-30, 70])
        #expect(negative.minimum == -40 && negative.maximum == 80 && negative.ticks.contains(0))
        #expect(ChartScale(values: []).ticks.count >= 2, "an empty chart still has an axis")
        #expect(ChartScale(values: [0, 0]).maximum > 0)
    }

    @Test func aLineChartPutsEachValueWhereItBelongsWithALocaleTooltip() {
        let chart = LineChart(title: "Выручка", categories: ["янв", "фев", "мар"],
                              series: [.init(name: "2026", values: [0, 50, 100])], format: .money(.EUR), width: 400, height: 200)
        let svg = Self.svg(chart.node(Localizer(.ru)))
        let plot = ChartPlot(width: 400, height: 200, legend: false)
        #expect(svg.contains(#"role="img""#) && svg.contains(#"aria-label="Выручка""#))
        #expect(Self.numbers(svg, "circle", "cx") == [plot.left, (plot.left + plot.right) / 2, plot.right])
        let ys = Self.numbers(svg, "circle", "cy")
        #expect(ys.first == plot.bottom && ys.last == plot.top, "zero on the axis, the largest at the top")
        #expect(svg.contains("<title>2026 · мар: 100\u{A0}€</title>"))
        #expect(!svg.contains("class=\"legend\""), "one series needs no legend")
    }

    @Test func stackedBarsAddUpAndGroupedBarsStandSideBySide() {
        let data: [Chart.Series] = [.init(name: "Direct", values: [30, 10]), .init(name: "Dealer", values: [70, 0])]
        let stacked = Self.svg(BarChart(title: "By channel", categories: ["Jan", "Feb"], series: data, format: .number, stacked: true,
                                        width: 400, height: 240).node(Localizer(.en)))
        let heights = Self.numbers(stacked, "rect", "height").filter { $0 > 10 || $0 == 0 }
        let plot = ChartPlot(width: 400, height: 240, legend: true)
        // January's two segments together reach 100, the top of the axis.
        #expect(abs(heights[0] + heights[1] - (plot.bottom - plot.top)) < 0.05)
        #expect(stacked.contains("<title>Dealer · Jan: 70</title>") && stacked.contains(">Direct</text>"), "tooltips and a legend")

        let grouped = Self.svg(BarChart(title: "By channel", categories: ["Jan", "Feb"], series: data, format: .number,
                                        width: 400, height: 240).node(Localizer(.en)))
        let bars = grouped.components(separatedBy: "<rect").filter { $0.contains(#"class="bar""#) }
        let xs = bars.compactMap { $0.firstMatch(of: #/ x="([-0-9.]+)"/#).flatMap { Double($0.1) } }
        #expect(bars.count == 4 && Set(xs).count == 4, "four bars, each in its own place")
    }

    @Test func aFunnelIsAsWideAsItsCountsAndShowsTheConversion() {
        let funnel = FunnelChart(title: "Воронка", stages: [.init(name: "Новые", count: 200), .init(name: "Предложение", count: 50)],
                                 width: 640)
        let svg = Self.svg(funnel.node(Localizer(.ru)))
        let widths = Self.numbers(svg, "rect", "width")
        #expect(widths.count == 2 && abs(widths[0] / widths[1] - 4) < 0.01)
        #expect(svg.contains("50 · 25\u{A0}%"), "the count and the share of the stage before")
    }

    @Test func aHeatMapShadesByValueAndEscapesItsLabels() {
        let map = HeatMapChart(title: "Activity", rows: ["<Mon>", "Tue"], columns: ["9", "10"], values: [[0, 8], [4, 2]],
                               format: .number, showValues: true)
        let svg = Self.svg(map.node(Localizer(.sv)))
        let opacities = Self.numbers(svg, "rect", "fill-opacity")
        #expect(opacities == [0.06, 1, 0.53, 0.3])
        #expect(svg.contains("&lt;Mon&gt;") && !svg.contains("<Mon>"))
        #expect(svg.contains("<title>Tue · 9: 4</title>"))
    }
}
