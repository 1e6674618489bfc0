import Foundation
import Hummingbird
import KvotaCore
import KvotaStore
import Plot

/// The analyses, one page each; the raw value is the page's and the API's name.
enum AnalysisPage: String, CaseIterable, Sendable {
    case dynamics, abc, xyz
    case abcXyz = "abc-xyz"
    case migration, territory, channels, concentration, products, retention, funnel

    var title: UIKey {
        switch self {
        case .dynamics: .analyticsDynamics
        case .abc: .analyticsAbc
        case .xyz: .analyticsXyz
        case .abcXyz: .analyticsAbcXyz
        case .migration: .analyticsMigration
        case .territory: .analyticsTerritory
        case .channels: .analyticsChannels
        case .concentration: .analyticsConcentration
        case .products: .analyticsProducts
        case .retention: .analyticsRetention
        case .funnel: .analyticsFunnel
        }
    }

    var about: UIKey {
        switch self {
        case .dynamics: .analyticsDynamicsAbout
        case .abc: .analyticsAbcAbout
        case .xyz: .analyticsXyzAbout
        case .abcXyz: .analyticsAbcXyzAbout
        case .migration: .analyticsMigrationAbout
        case .territory: .analyticsTerritoryAbout
        case .channels: .analyticsChannelsAbout
        case .concentration: .analyticsConcentrationAbout
        case .products: .analyticsProductsAbout
        case .retention: .analyticsRetentionAbout
        case .funnel: .analyticsFunnelAbout
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
    var categories: [ProductCategory] = []
    /// The reps a filter may offer (nil for someone who sees only their own numbers), and the teams (directors only).
    var managers: [(value: String, label: String)]?
    var teams: [Team] = []

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
    var csvPath: String { csvPath(api: analysis.rawValue) }

    /// This page's query as CSV from the API's `api` (an analysis' own, or one of its parts).
    func csvPath(api: String) -> String {
        "/api/v1/analytics/\(api)?" + ListQuery.encode(given.filter { $0.0 != "format" } + [("format", "csv")])
    }

    /// The form above an analysis: its own controls first, then the window and the filters every analysis takes.
    func filters(_ own: [Node<HTML.FormContext>], names: [String], window: DateWindow) -> Node<HTML.BodyContext> {
        filters(own, names: names, windows: [(page.t(.analyticsFrom), "from", window.from), (page.t(.analyticsTo), "to", window.through)])
    }

    /// The same with other date fields (migration compares two windows).
    func filters(_ own: [Node<HTML.FormContext>], names: [String], windows: [(label: String, name: String, day: LocalDate)],
                 csv: String? = nil) -> Node<HTML.BodyContext> {
        let t = page.t
        let controls = names + windows.map(\.name) + ["region", "channel", "category", "manager", "team"]
        return .group(
            problems(except: Set(controls)),
            .form(.class("filters"), .method(.get), .action(SiteURL.analysis(analysis, query: "").path),
                  .forEach(own) { .div($0) },
                  .forEach(windows) { window in
                      .div(field(window.label, name: window.name, type: .date, value: value(window.name) ?? window.day.iso, error: errors[window.name],
                                 required: false))
                  },
                  .unwrap(managers) { options in optional(t(.analyticsDimManager), "manager", options) },
                  .if(!teams.isEmpty, optional(t(.analyticsDimTeam), "team", teams.map { (String($0.id.rawValue), $0.name) })),
                  .if(!regions.isEmpty, optional(t(.analyticsDimRegion), "region", CustomerLists.regionOptions(regions))),
                  .if(!channels.isEmpty, optional(t(.analyticsDimChannel), "channel", channels.map { (String($0.id.rawValue), $0.name) })),
                  .if(!categories.isEmpty, optional(t(.analyticsDimCategory), "category",
                                                    categories.map { (String($0.id.rawValue), $0.name) })),
                  .button(.type(.submit), .text(t(.analyticsShow)))),
            .p(.a(.href(csv ?? csvPath), .attribute(named: "download", value: ""), .text(t(.analyticsCsv))), .text(" · "),
               .a(.href((csv ?? csvPath).replacingOccurrences(of: "format=csv", with: "format=xlsx")), .attribute(named: "download", value: ""),
                  .text(t(.analyticsXlsx))))
        )
    }

    private func optional(_ label: String, _ name: String, _ options: [(value: String, label: String)]) -> Node<HTML.FormContext> {
        .div(selectField(label, name: name, options: [("", page.t(.analyticsAll))] + options, selected: value(name), error: errors[name]))
    }

    /// The orders behind a figure: the list of counted orders in the window, with this analysis' filters and `extra`.
    func orders(window: DateWindow, _ extra: [(String, String)]) -> String {
        let carried = given.filter { ["region", "channel", "team", "category"].contains($0.0) && !extra.map(\.0).contains($0.0) }
            + given.filter { $0.0 == "manager" }.map { ("owner", $0.1) }
        return SiteURL.list(.orders, query: ListQuery.encode([("from", window.from.iso), ("to", window.through.iso), ("sales", "true")]
            + carried + extra)).path
    }

    /// This page with some parameters replaced (nil drops one).
    func link(_ changes: [String: String?]) -> String {
        var pairs = given.filter { !changes.keys.contains($0.0) }
        for (name, value) in changes.sorted(by: { $0.key < $1.key }) { if let value { pairs.append((name, value)) } }
        return SiteURL.analysis(analysis, query: ListQuery.encode(pairs)).path
    }

    func select(_ label: String, _ name: String, _ options: [(value: String, label: String)], default: String) -> Node<HTML.FormContext> {
        selectField(label, name: name, options: options, selected: value(name) ?? `default`, error: errors[name])
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
