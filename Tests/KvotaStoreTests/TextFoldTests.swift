import Foundation
import KvotaCore
import KvotaImport
import KvotaStore
import KvotaTestSupport
import Testing

/// Searching and naming records in any case, in every script: SQLite's own LOWER folds ASCII only, so without
/// `TextFold` "север" found "ООО «Север»" on PostgreSQL and not on SQLite.
@Suite struct TextFoldTests {
    @Test(arguments: TestDatabase.engines)
    func listSearchesAndImportsFindNamesInAnyCase(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await OrderImportTests.setUp(database)
            for name in ["ООО «Север»", "ÖREBRO Trä AB", "Ärlig Bygg AB"] {
                _ = try await database.addAccount(AccountDraft(name: name), by: actor, at: Date())
            }
            func names(_ text: String) async throws -> [String] {
                try await database.accounts(AccountFilter(text: text), for: actor).items.map(\.name).sorted()
            }
            #expect(try await names("север") == ["ООО «Север»"])
            #expect(try await names("СЕВЕР") == ["ООО «Север»"])
            #expect(try await names("örebro trä") == ["ÖREBRO Trä AB"])
            #expect(try await names("ärlig") == ["Ärlig Bygg AB"])
            #expect(try await names("ромашка") == ["ТОВ «Ромашка»"], "an account from the import")
            #expect(try await names("bygg") == ["Ärlig Bygg AB"], "an ASCII search as before")
            #expect(try await database.products(ProductFilter(text: "HAMMER"), for: actor).items.map(\.sku) == ["HAM-500"])

            // The import names accounts by name in any case too.
            let file = "date;account;product;quantity;currency\n2026-11-03;ооо «СЕВЕР»;HAM-500;1;SEK\n2026-11-03;örebro trä ab;HAM-500;2;SEK\n"
            let report = try await Importer.run(kind: "orders", file: Data(file.utf8), dryRun: true, into: database, by: actor, at: Date())
            #expect(report.problems.isEmpty && report.created == 2, "\(report.problems)")
        }
    }
}
