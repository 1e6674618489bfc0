import KvotaCore
import Plot

/// Customer category migration: how customers moved between A, B, C (and buying nothing) from the first period to
/// the second, as a heat map with the counterparties of a cell under it, and the moves per account owner.
struct MigrationPage {
    struct Cell: Sendable {
        let from: CustomerCategory?
        let to: CustomerCategory?
        let customers: [MigrationReport.CustomerRow]
    }

    let form: AnalyticsForm
    let query: MigrationReport.Query
    let report: MigrationReport
    let cell: Cell?
    let currency: Currency

    func html() -> HTML {
        let t = form.page.t
        let title = t(.analyticsMigration)
        let windows: [(label: String, name: String, day: LocalDate)] = [
            (t(.analyticsP1From), "p1From", query.p1.from), (t(.analyticsP1To), "p1To", query.p1.through),
            (t(.analyticsP2From), "p2From", query.p2.from), (t(.analyticsP2To), "p2To", query.p2.through),
        ]
        return Layout(page: form.page, title: title).document(.group(
            .h1(.text(title)),
            .p(.class("muted"), .text(t(.analyticsMigrationAbout))),
            form.filters([], names: ["from", "to"], windows: windows, csv: form.csvPath(api: cell == nil ? "migration" : "migration/customers")),
            AnalyticsForm.figures([(t(.analyticsCustomers), form.count(report.customers)), (t(.analyticsDowngradesCount), form.count(report.downgrades)),
                                   (t(.analyticsUpgrades), form.count(report.upgrades)), (t(.analyticsLost), form.count(report.lost)),
                                   (t(.analyticsNewcomers), form.count(report.newcomers))]),
            heatMap(),
            .unwrap(cell) { customers($0) },
            managers()
        ))
    }

    private func name(_ category: CustomerCategory) -> String {
        category == .none ? form.page.t(.analyticsNoPurchases) : category.rawValue
    }

    private func heatMap() -> Node<HTML.BodyContext> {
        let t = form.page.t
        let categories = CustomerCategory.allCases
        let values = categories.map { from in
            categories.map { to in Double(report.matrix.first { $0.from == from.rawValue && $0.to == to.rawValue }?.customers ?? 0) }
        }
        let caption = t(.analyticsMigrationMatrix, ["p1": report.p1.from + "…" + report.p1.to, "p2": report.p2.from + "…" + report.p2.to])
        return AnalyticsForm.figure(caption, HeatMapChart(
            title: caption, rows: categories.map(name), columns: categories.map(name), values: values, format: .number, cell: 64,
            showValues: true, link: { r, c in form.link(["from": categories[r].rawValue, "to": categories[c].rawValue]) }).node(t))
    }

    private func customers(_ cell: Cell) -> Node<HTML.BodyContext> {
        let t = form.page.t
        let heading = t(.analyticsMigrationCell, ["from": cell.from.map(name) ?? "*", "to": cell.to.map(name) ?? "*"])
        return .section(
            .h2(.text(heading)),
            cell.customers.isEmpty ? .p(.class("muted"), .text(t(.listNone))) : .table(
                .class("list"),
                .thead(.tr(.th(.text(t(.analyticsDimAccount))), .th(.text(t(.colOwner))), .th(.text("P1")), .th(.text("P2")),
                           .th(.class("number"), .text(t(.analyticsP1Revenue))), .th(.class("number"), .text(t(.analyticsP2Revenue))))),
                .tbody(.forEach(cell.customers) { row in
                    .tr(.td(.a(.href(SiteURL.account(id: row.id).path), .text(row.name))), .td(.text(row.ownerName ?? "")),
                        .td(.text(name(CustomerCategory(rawValue: row.from) ?? CustomerCategory.none))), .td(.text(name(CustomerCategory(rawValue: row.to) ?? CustomerCategory.none))),
                        .td(.class("number"), .text(form.money(row.p1Revenue, currency))),
                        .td(.class("number"), .text(form.money(row.p2Revenue, currency))))
                }))
        )
    }

    private func managers() -> Node<HTML.BodyContext> {
        let t = form.page.t
        guard report.managers.count > 1 || query.accountOwner != nil else { return .empty }
        return .section(
            .h2(.text(t(.analyticsMigrationManagers))),
            .table(.class("list"),
                   .thead(.tr(.th(.text(t(.analyticsDimManager))), .th(.class("number"), .text(t(.analyticsCustomers))),
                              .th(.class("number"), .text(t(.analyticsDowngradesCount))), .th(.class("number"), .text(t(.analyticsUpgrades))),
                              .th(.class("number"), .text(t(.analyticsLost))), .th(.class("number"), .text(t(.analyticsNewcomers))))),
                   .tbody(.forEach(report.managers) { row in
                       .tr(.td(row.id.map { .a(.href(form.link(["manager": String($0)])), .text(row.name)) } ?? .text(t(.analyticsNone))),
                           .td(.class("number"), .text(form.count(row.customers))), .td(.class("number"), .text(form.count(row.downgrades))),
                           .td(.class("number"), .text(form.count(row.upgrades))), .td(.class("number"), .text(form.count(row.lost))),
                           .td(.class("number"), .text(form.count(row.newcomers))))
                   }))
        )
    }
}
