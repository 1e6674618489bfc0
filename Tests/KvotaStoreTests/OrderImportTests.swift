import Foundation
import KvotaCore
import KvotaImport
import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

/// `kvota import orders`: one row per line, grouped into orders by external id; accounts and products named by any
/// of their keys; lines priced and converted like the API's; a second import replaces instead of duplicating.
@Suite struct OrderImportTests {
    static func example(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/import/\(name)"))
    }

    /// The accounts and products of docs/import, and a krona rate for the base currency (EUR).
    static func setUp(_ database: Database) async throws -> Actor {
        let admin = try await database.addUser(UserDraft(name: "Admin", email: "admin@kvota.test", role: .admin), passwordHash: "x",
                                               by: nil, at: Date())
        let actor = try await database.signedInUser(admin.id)!.1
        try await database.write { sql in
            try await sql.raw("INSERT INTO regions (code, name) VALUES ('SE-AB', 'Stockholm'), ('UA-30', 'Київ')").run()
            try await sql.raw("""
                INSERT INTO channels (code, name, kind) VALUES ('direct', 'Direct', 'direct'), ('dealer', 'Dealer / wholesale', 'dealer')
                """).run()
            try await sql.raw("INSERT INTO exchange_rates (currency, valid_from, base_micros) VALUES ('SEK', 20260101, 90000)").run()
        }
        for kind in ["accounts", "products"] {
            let report = try await Importer.run(kind: kind, file: try example("\(kind).csv"), dryRun: false, into: database, by: actor, at: Date())
            #expect(report.written, "\(report.problems)")
        }
        return actor
    }

    static func orders(_ database: Database, _ actor: Actor) async throws -> [Order] {
        try await database.orders(OrderFilter(), for: actor).items.sorted { $0.number < $1.number }
    }

    @Test(arguments: TestDatabase.engines)
    func linesBecomePricedOrdersAndASecondImportReplacesThem(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await Self.setUp(database)
            let file = try Self.example("orders.csv")
            let dry = try await Importer.run(kind: "orders", file: file, dryRun: true, into: database, by: actor, at: Date())
            #expect(dry.created == 2 && dry.problems.isEmpty && !dry.written, "\(dry.problems)")
            #expect(try await Self.orders(database, actor).isEmpty, "a dry run writes nothing")

            let report = try await Importer.run(kind: "orders", file: file, dryRun: false, into: database, by: actor, at: Date())
            #expect(report.created == 2 && report.written, "\(report.problems)")
            let orders = try await Self.orders(database, actor)
            #expect(orders.map(\.number) == ["2026-0141", "2026-0142"])
            let first = try #require(orders.first)
            // 12 × 249,00 + 2,5 × 1 150,00 − 100,00 kr, at 0,09 € a krona.
            #expect(first.totalMinor == 576_300 && first.totalBaseMinor == 51_867 && first.status == .paid)
            #expect(first.orderedOn == (try LocalDate(year: 2026, month: 11, day: 3)))
            #expect(first.regionID != nil, "the account's region")
            let lines = try await database.orderLines(of: first.id, for: actor)
            #expect(lines.map(\.quantityMilli) == [12_000, 2_500])
            #expect(lines.map(\.costBaseMinor) == [10_638, 11_700], "the product's cost at the time, in euros")
            let second = try #require(orders.last)
            #expect(second.totalMinor == 99_600, "the list price when the file gives none")
            let trail = try await database.auditTrail(entity: "order", id: first.id.rawValue)
            #expect(trail.map(\.action) == ["create"] && trail.first?.address == "import")

            let changed = String(decoding: file, as: UTF8.self).replacingOccurrences(of: "HAM-500;12;", with: "HAM-500;10;")
            let again = try await Importer.run(kind: "orders", file: Data(changed.utf8), dryRun: false, into: database, by: actor, at: Date())
            #expect(again.created == 0 && again.updated == 1 && again.unchanged == 1, "only the first order changed; \(again.problems)")
            let replaced = try await Self.orders(database, actor)
            #expect(replaced.count == 2 && replaced.first?.totalMinor == 526_500 && replaced.first?.version == 2)
            #expect(replaced.last?.version == 1, "the order the file repeats as it was is left alone")
            #expect(try await database.orderLines(of: first.id, for: actor).count == 2, "the lines replaced, not added")
            try await SalesRollupsTests.expectExact(database, "imported and imported again")

            let same = try await Importer.run(kind: "orders", file: Data(changed.utf8), dryRun: false, into: database, by: actor, at: Date())
            #expect(same.created == 0 && same.updated == 0 && same.unchanged == 2, "\(same.problems)")
            #expect(try await Self.orders(database, actor).map(\.version) == [2, 1])
            #expect(try await database.auditTrail(entity: "order", id: first.id.rawValue).map(\.action) == ["create", "update"],
                    "no audit line for an order left alone")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func everyProblemIsNamedAndNothingIsWritten(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await Self.setUp(database)
            let file = """
                Order ID,Order number,Date,Customer,Currency,SKU,Qty,Unit price
                X-1,N-1,2026-11-03,CRM-1001,SEK,HAM-500,1,"249,00"
                X-1,N-1,2026-11-04,CRM-1001,SEK,HAM-500,1,"249,00"
                X-2,N-2,2026-11-03,Nobody Ltd,SEK,NOPE,,"1,001"
                X-3,N-1,2026-11-03,CRM-1002,USD,SCR-M8,1,10
                """
            let report = try await Importer.run(kind: "orders", file: Data(file.utf8), dryRun: false, into: database, by: actor, at: Date())
            #expect(!report.written)
            #expect(Set(report.problems.map { "\($0.row) \($0.column)" })
                    == ["3 Date", "4 Customer", "4 SKU", "4 Qty", "4 Unit price", "5 Order number", "5 Currency"], "\(report.problems)")
            #expect(report.problems.first { $0.column == "Customer" }?.reason == "no account 'Nobody Ltd'")
            #expect(try await Self.orders(database, actor).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aLinesAmountAndCostAreKeptExactly(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await Self.setUp(database)
            let file = """
                Order ID;Date;Customer;Currency;SKU;Qty;Unit price;Line amount;Line cost
                A-1;2026-11-03;CRM-1001;SEK;HAM-500;3;249,00;700,00;296,00
                A-1;2026-11-03;CRM-1001;SEK;SCR-M8;7;;1 000,00;
                """
            let report = try await Importer.run(kind: "orders", file: Data(file.utf8), dryRun: false, into: database, by: actor, at: Date())
            #expect(report.written, "\(report.problems)")
            let order = try #require(try await Self.orders(database, actor).first)
            #expect(order.totalMinor == 170_000)
            let lines = try await database.orderLines(of: order.id, for: actor)
            // 3 × 249,00 − 47,00; 7 × 142,86 − 0,02; the first line's cost as given (296 kr at 0,09 €), the second's the product's.
            #expect(lines.map { [$0.unitPriceMinor, $0.discountMinor, $0.netMinor, $0.costBaseMinor] }
                    == [[24_900, 4_700, 70_000, 2_664], [14_286, 2, 100_000, 32_760]])

            let wrong = """
                Order ID;Date;Customer;Currency;SKU;Qty;Unit price;Discount;Line amount;Unit cost;Line cost
                B-1;2026-11-03;CRM-1001;SEK;HAM-500;3;249,00;;800,00;;
                B-1;2026-11-03;CRM-1001;SEK;HAM-500;3;249,00;10,00;700,00;;
                B-1;2026-11-03;CRM-1001;SEK;HAM-500;3;;10,00;700,00;;
                B-1;2026-11-03;CRM-1001;SEK;HAM-500;3;;;700,00;90,00;270,00
                """
            let problems = try await Importer.run(kind: "orders", file: Data(wrong.utf8), dryRun: false, into: database, by: actor, at: Date())
            #expect(problems.problems.map { "\($0.row) \($0.column)" } == ["2 Line amount", "3 Discount", "4 Discount", "5 Line cost"],
                    "\(problems.problems)")
            #expect(problems.problems[1].reason == "does not agree with quantity × price − amount (4700)")
        }
    }
}
