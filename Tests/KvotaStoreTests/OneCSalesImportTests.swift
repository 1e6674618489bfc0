import Foundation
import KvotaCore
import KvotaImport
import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

/// `kvota import orders --format 1c`: a 1C sales report (Windows-1251, semicolons, decimal commas, group headings
/// and totals) becomes orders with revenue and cost to the kopeck, adding the customers and products Kvota lacks.
@Suite struct OneCSalesImportTests {
    /// docs/import's accounts and products, and the two managers the report names.
    static func setUp(_ database: Database) async throws -> Actor {
        let actor = try await OrderImportTests.setUp(database)
        for (name, email) in [("Петренко Олена", "olena@kvota.test"), ("Иванов Сергей", "sergey@kvota.test")] {
            _ = try await database.addUser(UserDraft(name: name, email: email, role: .rep), passwordHash: "x", by: nil, at: Date())
        }
        return actor
    }

    static func run(_ file: Data, dryRun: Bool = false, _ database: Database, _ actor: Actor) async throws -> ImportReport {
        try await Importer.run(kind: "orders", file: file, format: .oneC, dryRun: dryRun, into: database, by: actor, at: Date())
    }

    /// Each order's external id, total, and its lines' quantity, price, discount, net and cost.
    static func orders(_ database: Database) async throws -> [String: (total: Int64, lines: [[Int64]])] {
        try await database.read { sql in
            var result: [String: (total: Int64, lines: [[Int64]])] = [:]
            for row in try await sql.raw("""
                SELECT o.external_id, o.total_minor, l.quantity_milli, l.unit_price_minor, l.discount_minor, l.net_minor, l.cost_base_minor
                FROM orders o JOIN order_lines l ON l.order_id = o.id ORDER BY o.id, l.id
                """).all() {
                let key = try row.decode(column: "external_id", as: String.self)
                let line = try ["quantity_milli", "unit_price_minor", "discount_minor", "net_minor", "cost_base_minor"].map {
                    try row.decode(column: $0, as: Int64.self)
                }
                let total = try row.decode(column: "total_minor", as: Int64.self)
                result[key, default: (total, [])].lines.append(line)
            }
            return result
        }
    }

    /// How many orders, accounts and products there are.
    static func counts(_ database: Database) async throws -> [Int] {
        var counts: [Int] = []
        for table in ["orders", "accounts", "products"] {
            counts.append(try await database.read {
                try await $0.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()!.decode(column: "n", as: Int.self)
            })
        }
        return counts
    }

    @Test(arguments: TestDatabase.engines)
    func theExampleReportBecomesOrdersWithItsCustomersAndProducts(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await Self.setUp(database)
            let file = try OrderImportTests.example("1c-sales.csv")
            let dry = try await Self.run(file, dryRun: true, database, actor)
            #expect(dry.problems.isEmpty && !dry.written && dry.created == 4, "\(dry.problems)")
            #expect(try await Self.counts(database) == [0, 2, 2], "a dry run writes nothing")

            let report = try await Self.run(file, database, actor)
            #expect(report.written && report.created == 4, "\(report.problems)")
            #expect(report.related == [.init(kind: "accounts", created: 2, updated: 0, unchanged: 1),
                                       .init(kind: "products", created: 2, updated: 0, unchanged: 1)])
            #expect(report.skippedRows == 5, "two day headings, two day totals and the grand total")
            #expect(report.ignoredColumns == ["Валовая прибыль", "Рентабельность, %"])

            let orders = try await Self.orders(database)
            #expect(orders.count == 4)
            let document = try #require(orders["1c:Реализация товаров и услуг УТ-000141 от 03.11.2026 10:15:02"])
            #expect(document.total == 398_800)
            // 12 × 249,00; 7 for 1 000,00: 142,86 each with 0,02 off, so the line is the report's revenue to the kopeck.
            #expect(document.lines == [[12_000, 24_900, 0, 298_800, 118_200], [7_000, 14_286, 2, 100_000, 41_300]])
            let byDay = orders.filter { $0.key.hasPrefix("1c:2026-11-05:") }
            #expect(byDay.map(\.value.total).sorted() == [24_900, 282_500], "the day's rows by customer and manager")

            let vector = try #require(try await database.accounts(AccountFilter(), for: actor).items.first { $0.name == "ООО «Вектор»" })
            #expect(vector.legalID == "7701234567")
            let sergey = try #require(try await database.user(email: "sergey@kvota.test"))
            #expect(vector.ownerID == sergey.id, "the manager of the customer's latest sale")
            let screwdriver = try #require(try await database.products(ProductFilter(), for: actor).items.first { $0.name.hasSuffix("PH2") })
            #expect(screwdriver.sku == "Отвёртка крестовая PH2" && screwdriver.price.minorUnits == 14_367 && screwdriver.unit == "шт")
            try await SalesRollupsTests.expectExact(database, "a 1C report imported")

            let again = try await Self.run(file, database, actor)
            #expect(again.written && again.created == 0 && again.updated == 0 && again.unchanged == 4, "\(again.problems)")
            #expect(again.related.map(\.unchanged) == [3, 3] && again.related.map(\.created) == [0, 0])
            #expect(try await Self.counts(database) == [4, 4, 4])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func withoutDocumentsTheOrdersAreTheDaysCustomersAndManagers(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await Self.setUp(database)
            // UTF-8, Ukrainian headers, monthly periods, a heading row per manager.
            let file = """
                Період;Менеджер;Контрагент;Номенклатура;Кількість;Виручка;Собівартість
                Листопад 2026 р.;Петренко Олена;;;;;
                ;;ТОВ «Ромашка»;HAM-500;2;498,00;197,00
                ;;ТОВ «Ромашка»;SCR-M8;1;1 190,00;520,00
                ;;Nordic Tools AB;HAM-500;3;747,00;295,50
                Разом;;;;6;2 435,00;1 012,50
                """
            let report = try await Self.run(Data(file.utf8), database, actor)
            #expect(report.written && report.created == 2 && report.skippedRows == 2, "\(report.problems)")
            let orders = try await Self.orders(database)
            #expect(orders.values.map(\.total).sorted() == [74_700, 168_800])
            #expect(orders.keys.allSatisfy { $0.hasPrefix("1c:2026-11-01:") }, "a month's rows are dated its first day")
            #expect(try await Self.counts(database) == [2, 2, 2], "every customer and product was known")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aReturnOrAnUnknownManagerStopsTheWholeReport(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await Self.setUp(database)
            let returned = """
                Период;Менеджер;Контрагент;Номенклатура;Количество;Выручка
                03.11.2026;Петренко Олена;ООО «Новый»;Новый товар;2;100,00
                04.11.2026;Петренко Олена;ООО «Новый»;Новый товар;-1;-50,00
                ;Петренко Олена;ООО «Новый»;Новый товар;1;50,00
                """
            let report = try await Self.run(Data(returned.utf8), database, actor)
            #expect(!report.written)
            #expect(report.problems.map { "\($0.row) \($0.column)" } == ["3 Количество", "3 Выручка", "4 Период"], "\(report.problems)")
            #expect(report.problems.first?.reason.contains("return") == true)

            let stranger = """
                Период;Менеджер;Контрагент;Номенклатура;Количество;Выручка
                03.11.2026;Петренко Олена;ООО «Новый»;Новый товар;2;100,00
                03.11.2026;Никто Никтович;ООО «Другой»;Новый товар;1;50,00
                """
            let unknown = try await Self.run(Data(stranger.utf8), database, actor)
            #expect(!unknown.written && unknown.problems.map(\.column) == ["Менеджер"], "\(unknown.problems)")
            #expect(unknown.problems.first?.reason == "no active user 'Никто Никтович'")
            #expect(try await Self.counts(database) == [0, 2, 2], "the customers and products before the failing step are rolled back too")

            let noProduct = "Контрагент;Количество;Выручка\nООО «Новый»;1;50\n"
            await #expect(throws: ImportFailure.layout("a 1C sales report needs a column for product")) {
                try await Self.run(Data(noProduct.utf8), database, actor)
            }
            await #expect(throws: ImportFailure.self) {
                try await Importer.run(kind: "accounts", file: Data(returned.utf8), format: .oneC, dryRun: true, into: database, by: actor, at: Date())
            }
        }
    }
}
