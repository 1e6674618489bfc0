import Foundation
import Hummingbird
import KvotaCore
import KvotaStore
import Plot

/// The analyses that have a page of their own (the others are in the API and as CSV until theirs land).
enum AnalysisPage: String, CaseIterable, Sendable {
    case dynamics, abc

    var title: UIKey {
        switch self {
        case .dynamics: .analyticsDynamics
        case .abc: .analyticsAbc
        }
    }

    var about: UIKey {
        switch self {
        case .dynamics: .analyticsDynamicsAbout
        case .abc: .analyticsAbcAbout
        }
    }
}

/// What every analysis page shares: the query as given (to refill the form and to build the CSV link to the same
/// analysis in the API), the problems with it, and the filter controls.
struct AnalyticsForm: Sendable {
    let page: PageContext
    let analysis: AnalysisPage
    /// The query's pairs as given, empty ones dropped.
    let given: [(String, String)]
    /// Problems with the query, by parameter, in the reader's language.
    var errors: [String: String] = [:]
    var regions: [Region] = []
    var channels: [Channel] = []

    init(page: PageContext, analysis: AnalysisPage, request: Request) {
        self.page = page
        self.analysis = analysis
        given = FormPairs.parse(request.uri.query ?? "").filter { !$0.1.isEmpty }
    }

    /// The parameters as the API reads them.
    var parameters: Parameters {
        var parameters = Parameters()
        for (name, value) in given { parameters[Substring(name)] = Substring(value) }
        return parameters
    }

    func value(_ name: String) -> String? { given.last { $0.0 == name }?.1 }

    /// The same analysis as CSV, from the API.
    var csvPath: String {
        "/api/v1/analytics/\(analysis.rawValue)?" + ListQuery.encode(given.filter { $0.0 != "format" } + [("format", "csv")])
    }

    /// The form above an analysis: its own controls first, then the window and the filters every analysis takes.
    func filters(_ own: [Node<HTML.FormContext>], names: [String], window: DateWindow) -> Node<HTML.BodyContext> {
        let t = page.t
        return .group(
            problems(except: Set(names + ["from", "to", "region", "channel"])),
            .form(.class("filters"), .method(.get), .action(SiteURL.analysis(analysis, query: "").path),
                  .group(own),
                  dateField(t(.analyticsFrom), name: "from", value: value("from") ?? window.from.iso),
                  dateField(t(.analyticsTo), name: "to", value: value("to") ?? window.through.iso),
                  .if(!regions.isEmpty, selectField(t(.analyticsDimRegion), name: "region",
                                                    options: [("", t(.analyticsAll))] + regions.map { (String($0.id.rawValue), $0.name) },
                                                    selected: value("region"), error: errors["region"])),
                  .if(!channels.isEmpty, selectField(t(.analyticsDimChannel), name: "channel",
                                                     options: [("", t(.analyticsAll))] + channels.map { (String($0.id.rawValue), $0.name) },
                                                     selected: value("channel"), error: errors["channel"])),
                  .button(.type(.submit), .text(t(.analyticsShow)))),
            .p(.a(.href(csvPath), .attribute(named: "download", value: ""), .text(t(.analyticsCsv))))
        )
    }

    func select(_ label: String, _ name: String, _ options: [(value: String, label: String)], default: String) -> Node<HTML.FormContext> {
        selectField(label, name: name, options: options, selected: value(name) ?? `default`, error: errors[name])
    }

    private func dateField(_ label: String, name: String, value: String) -> Node<HTML.FormContext> {
        field(label, name: name, type: .date, value: value, error: errors[name], required: false)
    }

    /// Problems that no control of the form shows at itself.
    private func problems(except controls: Set<String>) -> Node<HTML.BodyContext> {
        let others = errors.filter { !controls.contains($0.key) }.sorted { $0.key < $1.key }
        guard !others.isEmpty else { return .empty }
        return .div(.class("flash error"), .attribute(named: "role", value: "alert"),
                    .p(.text(page.t(.listProblems))),
                    .ul(.forEach(others) { name, reason in .li(.code(.text(name)), .text(": " + reason)) }))
    }

    /// A chart in a figure with its caption.
    static func figure(_ caption: String, _ chart: Node<HTML.BodyContext>) -> Node<HTML.BodyContext> {
        .element(named: "figure", nodes: [.class("chart"), .element(named: "figcaption", text: caption), chart])
    }
}

extension Localizer {
    /// A change as a signed per cent, or "n/a" against a zero base.
    func change(_ share: Double?) -> String {
        guard let share else { return self(.analyticsNa) }
        return (share > 0 ? "+" : "") + percent(share, fractionDigits: 1)
    }
}
