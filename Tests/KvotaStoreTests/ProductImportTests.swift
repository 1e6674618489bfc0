import Foundation
import KvotaCore
import KvotaImport
import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

/// `kvota import products`: categories made from their paths, prices with a decimal comma, and a second import that
/// reprices (into the price history) instead of duplicating.
@Suite struct ProductImportTests {
    @Test(arguments: TestDatabase.engines)
    func productsComeWithTheirCategoriesAndAReimportReprices(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let admin = try await database.addUser(UserDraft(name: "Admin", email: "admin@kvota.test", role: .admin), passwordHash: "x",
                                                   by: nil, at: Date())
            let actor = try await database.signedInUser(admin.id)!.1
            let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/import/products.csv")
            let data = try Data(contentsOf: example)
            let first = try await Importer.run(kind: "products", file: data, dryRun: false, into: database, by: actor, at: Date())
            #expect(first.created == 2 && first.written, "\(first.problems)")
            let tree = try await database.productCategories().map(\.name)
            #expect(Set(tree) == ["Tools", "Hand tools", "Fasteners", "Screws"])
            let screws = try await database.products(ProductFilter(text: "SCR-M8"), for: actor).items
            #expect(screws.first?.price == Money(minorUnits: 119_000, currency: try Currency("SEK")))

            let repriced = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "1 190,00", with: "1 290,00")
            let later = Date().addingTimeInterval(3 * 86_400)  // a price list imported again a few days on
            let second = try await Importer.run(kind: "products", file: Data(repriced.utf8), dryRun: false, into: database, by: actor, at: later)
            #expect(second.created == 0 && second.updated == 1 && second.unchanged == 1, "only the screws are repriced")
            #expect(try await database.productCategories().count == 4, "the paths found what the first import made")
            let history = try await database.productPrices(screws[0].id, for: actor).map(\.price.minorUnits)
            #expect(history == [129_000, 119_000])

            let bad = "sku;name;category;price;currency;active\nX-1;Thing;Misc;12,345;SEK;maybe\nX-1;Thing again;Misc;1;SEK;no\n"
            let report = try await Importer.run(kind: "products", file: Data(bad.utf8), dryRun: true, into: database, by: actor, at: Date())
            #expect(Set(report.problems.map { "\($0.row) \($0.column)" }) == ["2 price", "2 active", "3 sku"], "\(report.problems)")
        }
    }
}
