import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Testing

/// Every analysis has a page that shows what the API answers for the same query, and its cells, bars and rows open
/// the records behind them: the orders a territory's bar links to are exactly the orders the analysis counted.
@Suite struct AnalyticsDrillDownTests {
    struct OrderList: Decodable {
        struct Item: Decodable { let id: Int64 }
        let items: [Item]
        let next: String?
    }

    /// Every order the list answers for `query`, page by page.
    static func orders(_ client: any TestClientProtocol, _ query: String, token: String) async throws -> [Int64] {
        try await records(client, "orders", query, token: token)
    }

    /// Every record of a list's answer for `query`, page by page.
    static func records(_ client: any TestClientProtocol, _ list: String, _ query: String, token: String) async throws -> [Int64] {
        var ids: [Int64] = [], cursor: String?
        repeat {
            let page = try await client.get("/api/v1/\(list)?\(query)&limit=500" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token)
            #expect(page.status == .ok, "\(query): \(page.text)")
            let list = try page.json(OrderList.self)
            ids += list.items.map(\.id)
            cursor = list.next
        } while cursor != nil
        return ids
    }

    static func hrefs(_ html: String, starting prefix: String) -> [String] {
        html.components(separatedBy: "href=\"").dropFirst().compactMap { part in
            let link = String(part.prefix { $0 != "\"" }).htmlUnescaped
            return link.hasPrefix(prefix) ? link : nil
        }
    }

    @Test(arguments: TestDatabase.engines)
    func territoryAndChannelBarsOpenTheOrdersTheyCount(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            // A director's page narrowed to a team or a product category opens orders narrowed the same way.
            let team = try #require(fixture.head.teamID)
            let category = try #require(try await fixture.database.read { sql in
                try await sql.raw("""
                    SELECT p.category_id AS c FROM order_lines l JOIN products p ON p.id = l.product_id GROUP BY p.category_id
                    ORDER BY COUNT(*) DESC LIMIT 1
                    """).first()?.decode(column: "c", as: Int64.self)
            })
            let narrowings = [(fixture.director, ""), (fixture.director, "&team=\(team.rawValue)"), (fixture.director, "&category=\(category)"),
                              (fixture.head, "")]
            for (user, narrowing) in narrowings {
                let (session, _) = try await BrowserSignInTests.signIn(client, as: user, password: WebFixture.password)
                let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
                let token = try await client.token(for: user)
                for (kind, filter) in [("territory", "region"), ("channels", "channel")] {
                    let query = "from=2026-01-01&to=2026-09-30" + narrowing
                    let api = try await client.get("/api/v1/analytics/\(kind)?\(query)", token: token).json(AnalyticsSegmentsTests.Segments.self)
                    let page = try await client.get("/analytics/\(kind)?\(query)", headers: cookie)
                    #expect(page.status == .ok && page.text.contains("<svg"))
                    let links = Self.hrefs(page.text, starting: "/orders?")
                    let rows = api.items.filter { $0.id != nil }
                    #expect(!rows.isEmpty)
                    for row in rows {
                        let id = try #require(row.id)
                        let link = try #require(links.first { $0.hasSuffix("&\(filter)=\(id)") }, "\(kind) \(id) has a link to its orders")
                        #expect(link.contains("from=2026-01-01&to=2026-09-30&sales=true" + narrowing), "\(link)")
                        let behind = try await Self.orders(client, String(link.dropFirst("/orders?".count)), token: token)
                        #expect(Int64(Set(behind).count) == row.orders,
                                "\(user.role)\(narrowing) \(kind) \(id): \(behind.count) orders behind, \(row.orders) counted")
                    }
                }
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func cellsOpenTheirItems(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let (session, _) = try await BrowserSignInTests.signIn(client, as: fixture.director, password: WebFixture.password)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let token = try await client.token(for: fixture.director)
            let window = "from=2025-10-01&to=2026-09-30"

            // XYZ: the class counts are the API's.
            let xyz = try await client.get("/api/v1/analytics/xyz?subject=product&\(window)", token: token).json(AnalyticsClassesTests.XYZAnswer.self)
            let xyzPage = try await client.get("/analytics/xyz?subject=product&\(window)", headers: cookie)
            for row in xyz.classes { #expect(xyzPage.text.contains(">\(row.class)</a></td><td class=\"number\">\(row.count)</td>"), "XYZ \(row.class)") }

            // ABC×XYZ: a heat map whose cells link to themselves, and each cell's list holds as many items as the API counts.
            let matrix = try await client.get("/api/v1/analytics/abc-xyz?subject=customer&\(window)", token: token).json(AnalyticsClassesTests.MatrixAnswer.self)
            let matrixPage = try await client.get("/analytics/abc-xyz?subject=customer&\(window)", headers: cookie)
            #expect(matrixPage.text.contains("class=\"drill\""))
            for cell in matrix.cells where cell.count > 0 {
                let opened = try await client.get("/analytics/abc-xyz?subject=customer&\(window)&abc=\(cell.abc)&xyz=\(cell.xyz)", headers: cookie)
                let section = try #require(opened.text.components(separatedBy: "In cell \(cell.abc)\(cell.xyz)").last)
                #expect(section.components(separatedBy: "href=\"/accounts/").count - 1 == cell.count, "cell \(cell.abc)\(cell.xyz)")
            }

            // Migration: the figures and each cell's counterparties are the API's.
            let migration = try await client.get("/api/v1/analytics/migration", token: token).json(AnalyticsMigrationTests.Answer.self)
            let migrationPage = try await client.get("/analytics/migration", headers: cookie)
            #expect(migrationPage.text.contains("<dt>Dropped a class</dt><dd>\(migration.downgrades)</dd>"))
            #expect(migrationPage.text.contains("<dt>Started buying</dt><dd>\(migration.newcomers)</dd>"))
            for cell in migration.matrix where cell.customers > 0 {
                let list = try await client.get("/api/v1/analytics/migration/customers?from=\(cell.from)&to=\(cell.to)", token: token)
                    .json(AnalyticsMigrationTests.Customers.self)
                let opened = try await client.get("/analytics/migration?from=\(cell.from)&to=\(cell.to)", headers: cookie)
                let section = try #require(opened.text.components(separatedBy: "Customers moving").last)
                #expect(section.components(separatedBy: "href=\"/accounts/").count - 1 == cell.customers, "cell \(cell.from)→\(cell.to)")
                for row in list.items { #expect(section.contains("href=\"/accounts/\(row.id)\"")) }
                #expect(opened.text.contains("href=\"/api/v1/analytics/migration/customers?from=\(cell.from)&amp;to=\(cell.to)&amp;format=csv\""))
            }

            // Products: a cell of revenue class × margin class lists its products.
            let products = try await client.get("/api/v1/analytics/products?\(window)&limit=100000", token: token).json(AnalyticsClassesTests.ProductsAnswer.self)
            for cell in products.matrix where cell.products > 0 {
                let opened = try await client.get("/analytics/products?\(window)&abcRevenue=\(cell.abcRevenue)&abcMargin=\(cell.abcMargin)", headers: cookie)
                #expect(opened.text.contains("The \(min(cell.products, 200)) largest of \(cell.products) are listed."), "cell \(cell.abcRevenue)×\(cell.abcMargin)")
            }

            // Concentration, retention and the funnel show the API's figures.
            let concentration = try await client.get("/api/v1/analytics/concentration?\(window)&top=20", token: token)
                .json(AnalyticsSegmentsTests.ConcentrationAnswer.self)
            let concentrationPage = try await client.get("/analytics/concentration?\(window)", headers: cookie)
            #expect(concentrationPage.text.contains("<dt>HHI</dt><dd>\(Int(concentration.hhi.rounded()).formatted(.number.locale(Locale(identifier: "en_US"))))</dd>"))
            for customer in concentration.topCustomers { #expect(concentrationPage.text.contains("href=\"/accounts/\(customer.id)\"")) }
            let retention = try await client.get("/api/v1/analytics/retention?\(window)", token: token).json(AnalyticsRetentionTests.Answer.self)
            let retentionPage = try await client.get("/analytics/retention?\(window)", headers: cookie)
            #expect(retentionPage.text.contains("<dt>Churn risk</dt><dd>\(retention.churnRiskCount)</dd>"))
            for row in retention.churnRisk.prefix(200) { #expect(retentionPage.text.contains("href=\"/accounts/\(row.id)\"")) }
            let funnel = try await client.get("/api/v1/analytics/funnel?\(window)", token: token).json(AnalyticsFunnelTests.Answer.self)
            let funnelPage = try await client.get("/analytics/funnel?\(window)", headers: cookie)
            #expect(funnelPage.text.contains("Deals created in the period: \(funnel.created)"))
            // A stage opens the cohort's deals that reached it; won and lost open the deals closed in the window.
            let deals = Self.hrefs(funnelPage.text, starting: "/deals?")
            for stage in funnel.stages {
                #expect(funnelPage.text.contains("</a></td><td class=\"number\">\(stage.reached)</td>"), "stage \(stage.stageId)")
                let link = try #require(deals.first { $0.hasSuffix("&reached=\(stage.stageId)") })
                #expect(link.contains("createdFrom=2025-10-01&createdTo=2026-09-30"))
                let behind = try await Self.records(client, "deals", String(link.dropFirst("/deals?".count)), token: token)
                #expect(behind.count == stage.reached, "stage \(stage.stageId): \(behind.count) deals behind, \(stage.reached) reached")
            }
            for (status, count) in [("won", funnel.closed.won), ("lost", funnel.closed.lost)] {
                let link = try #require(deals.first { $0.contains("status=\(status)&closedFrom=") })
                let behind = try await Self.records(client, "deals", String(link.dropFirst("/deals?".count)), token: token)
                #expect(behind.count == count, "\(status): \(behind.count) deals behind, \(count) counted")
            }
        }
    }

    /// Like every list filter, a bad one is 422 with the field named.
    @Test(arguments: TestDatabase.engines)
    func theListsFiltersAreChecked(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let token = try await client.token(for: fixture.director)
            let backwards = try await client.get("/api/v1/orders?from=2026-05-01&to=2026-04-01", token: token)
            #expect(backwards.status == .unprocessableContent && backwards.text.contains("\"to\"") && backwards.text.contains("must not be before from"))
            let malformed = try await client.get("/api/v1/orders?from=May&sales=perhaps", token: token)
            #expect(malformed.status == .unprocessableContent && malformed.text.contains("YYYY-MM-DD") && malformed.text.contains("expected true or false"))
            let narrowed = try await client.get("/api/v1/orders?team=north&category=tools", token: token)
            #expect(narrowed.status == .unprocessableContent && narrowed.text.contains("\"team\"") && narrowed.text.contains("\"category\""))
            let deals = try await client.get("/api/v1/deals?createdFrom=2026-05-01&createdTo=2026-04-01&closedTo=soon&reached=first", token: token)
            #expect(deals.status == .unprocessableContent && deals.text.contains("must not be before createdFrom")
                    && deals.text.contains("\"closedTo\"") && deals.text.contains("\"reached\""))
            // Without `sales`, drafts and cancelled orders of the window are listed too.
            let everything = try await Self.orders(client, "from=2025-01-01&to=2026-11-20", token: token)
            let sales = try await Self.orders(client, "from=2025-01-01&to=2026-11-20&sales=true", token: token)
            let start = try LocalDate(iso: "2025-01-01")
            let counted = Set(fixture.raw.lines.filter { $0.day >= start }.map(\.order))
            #expect(Set(sales) == counted && Set(everything).isSuperset(of: counted))
        }
    }
}
