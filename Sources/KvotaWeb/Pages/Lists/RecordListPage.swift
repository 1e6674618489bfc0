import KvotaCore
import KvotaStore
import Plot

/// One record list, the same for every kind: saved views, filters, a table sorted by a column header, the next
/// page, and the export of exactly what the filters show. Kinds supply the controls, columns and cells
/// (`ListScreen`); this draws them.
struct RecordListPage {
    struct Column {
        let label: String
        /// The `sort=` key a click on the header orders by; nil for a column the list cannot sort by.
        var sort: String? = nil
        /// Right-aligned figures.
        var numeric = false
        /// A first click orders it largest or newest first (figures and dates); names go A to Z.
        var descendingFirst: Bool? = nil

        static func date(_ label: String, sort: String? = nil) -> Column {
            Column(label: label, sort: sort, descendingFirst: true)
        }
    }

    struct Control {
        enum Kind {
            case search
            case date
            case select([(value: String, label: String)])
        }
        let name: String
        let label: String
        let kind: Kind
    }

    let page: PageContext
    let list: RecordListName
    let controls: [Control]
    /// The query the page shows, without its page cursor: filters, order and anything else the list was given.
    let query: [(String, String)]
    let sort: ListSort
    let columns: [Column]
    let rows: [[Node<HTML.BodyContext>]]
    let next: String?
    let views: [SavedView]
    /// Problems with the filters, by parameter; those of a control show at it, the rest above the table.
    var errors: [String: String] = [:]
    var viewName = ""
    var viewError: String?
    var create: (label: String, url: SiteURL)?
    var canExport = false

    /// The kind imports from a file (activities do not) and the user may add records of it.
    private var canImport: Bool {
        list != .activities && page.actor.map { AccessPolicy.scope($0, .create, list.kind) != .nothing } == true
    }

    func html() -> HTML {
        let t = page.t
        let title = t(list.section.label)
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title)),
            .div(.class("actions"),
                 .unwrap(create) { .a(.class("button"), .href($0.url.path), .text($0.label)) },
                 .if(canImport, .a(.class("button quiet"), .href(SiteURL.imports(kind: list.rawValue).path), .text(t(.listImport)))),
                 .if(canExport, .a(.class("button quiet"), .href(exportPath("csv")), .attribute(named: "download", value: ""), .text(t(.listExport)))),
                 .if(canExport, .a(.class("button quiet"), .href(exportPath("xlsx")), .attribute(named: "download", value: ""),
                                   .text(t(.listExportXlsx))))),
            savedViews(),
            filters(),
            otherErrors(),
            rows.isEmpty ? .p(.class("muted"), .text(t(.listNone))) : table(),
            .unwrap(next) { cursor in
                .p(.a(.href(SiteURL.list(list, query: ListQuery.encode(query + [("cursor", cursor)])).path), .attribute(named: "rel", value: "next"),
                      .text(t(.listNextPage))))
            }
        ))
    }

    private var currentQuery: String { ListQuery.encode(query) }

    /// `/api/v1/deals?…&format=csv`: the API list of the same name answers the same query (DESIGN.md: one set of rules).
    private func exportPath(_ format: String) -> String {
        "/api/v1/\(list.rawValue)?" + ListQuery.encode(query + [("format", format)])
    }

    private func savedViews() -> Node<HTML.BodyContext> {
        let t = page.t
        return .div(
            .class("views"),
            .nav(.class("tabs"), .attribute(named: "aria-label", value: t(.listViews)),
                 .a(.href(list.url.path), .if(query.isEmpty, .attribute(named: "aria-current", value: "page")), .text(t(.listAll))),
                 .forEach(views) { view in
                     .span(.class("view"),
                           .a(.href(SiteURL.list(list, query: view.query).path),
                              .if(view.query == currentQuery && !query.isEmpty, .attribute(named: "aria-current", value: "page")),
                              .text(view.name)),
                           .form(.method(.post), .action(SiteURL.savedViewDelete(list, id: view.id.rawValue).path), .class("inline"),
                                 .attribute(named: "data-confirm", value: t(.listDeleteViewConfirm, ["name": view.name])),
                                 csrfField(page.csrfToken),
                                 .button(.type(.submit), .class("quiet icon"),
                                         .attribute(named: "aria-label", value: t(.listDeleteView, ["name": view.name])),
                                         .attribute(named: "title", value: t(.listDeleteView, ["name": view.name])), .text("×"))))
                 }),
            .if(!query.isEmpty || viewError != nil, .element(named: "details", nodes: [
                viewError == nil ? .empty : .attribute(named: "open"),
                .element(named: "summary", text: t(.listSaveView)),
                .form(.class("filters"), .method(.post), .action(SiteURL.savedViews(list).path),
                      csrfField(page.csrfToken),
                      .input(.type(.hidden), .name("query"), .value(currentQuery)),
                      .div(field(t(.listViewName), name: "name", id: "view-name", type: .text, value: viewName, error: viewError)),
                      .button(.type(.submit), .text(t(.commonSave)))),
            ]))
        )
    }

    private func filters() -> Node<HTML.BodyContext> {
        let t = page.t
        let values = Dictionary(query, uniquingKeysWith: { first, _ in first })
        let named = Set(controls.map(\.name))
        return .form(
            .class("filters"), .method(.get), .action(list.url.path),
            .forEach(controls) { control in
                let value = values[control.name] ?? ""
                switch control.kind {
                case .search, .date:
                    return .div(field(control.label, name: control.name, id: "filter-\(control.name)",
                                      type: control.kind.isSearch ? .search : .date, value: value, error: errors[control.name], required: false))
                case .select(let options):
                    return .div(selectField(control.label, name: control.name, id: "filter-\(control.name)",
                                            options: [("", t(.listAny))] + options, selected: value, error: errors[control.name]))
                }
            },
            // What the controls do not show (the order, custom-field filters from a saved view) goes along unchanged.
            .forEach(query.filter { !named.contains($0.0) }) { name, value in .input(.type(.hidden), .name(name), .value(value)) },
            .div(.class("actions"),
                 .button(.type(.submit), .text(t(.listApply))),
                 .a(.class("button quiet"), .href(list.url.path), .text(t(.listReset))))
        )
    }

    private func otherErrors() -> Node<HTML.BodyContext> {
        let controlNames = Set(controls.map(\.name))
        let others = errors.filter { !controlNames.contains($0.key) }.sorted { $0.key < $1.key }
        guard !others.isEmpty else { return .empty }
        return .div(.class("flash error"), .attribute(named: "role", value: "alert"),
                    .p(.text(page.t(.listProblems))),
                    .ul(.forEach(others) { name, reason in .li(.code(.text(name)), .text(": " + reason)) }))
    }

    private func table() -> Node<HTML.BodyContext> {
        .table(
            .class("list"),
            .thead(.tr(.forEach(columns) { header($0) })),
            .tbody(.forEach(rows) { cells in
                .tr(.forEach(Array(zip(columns, cells))) { column, cell in
                    .td(.if(column.numeric, .class("number")), .attribute(named: "data-label", value: column.label), cell)
                })
            })
        )
    }

    /// A sortable header links to the same query in its order, or the other way round when it is the current one.
    private func header(_ column: Column) -> Node<HTML.TableRowContext> {
        guard let key = column.sort else { return .th(.if(column.numeric, .class("number")), .text(column.label)) }
        let current = sort.key == key
        let target = current ? sort.reversed : ListSort(key, descending: column.descendingFirst ?? column.numeric)
        let link = SiteURL.list(list, query: ListQuery.encode(query.filter { $0.0 != "sort" } + [("sort", target.text)]))
        return .th(
            .if(column.numeric, .class("number")),
            .if(current, .attribute(named: "aria-sort", value: sort.descending ? "descending" : "ascending")),
            .a(.href(link.path), .attribute(named: "title", value: page.t(.listSortBy, ["column": column.label])),
               .text(column.label), .if(current, .span(.attribute(named: "aria-hidden", value: "true"), .text(sort.descending ? " ↓" : " ↑"))))
        )
    }
}

extension RecordListPage.Control.Kind {
    var isSearch: Bool {
        if case .search = self { return true }
        return false
    }
}
