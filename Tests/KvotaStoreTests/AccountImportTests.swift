import Foundation
import KvotaCore
import KvotaImport
import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

/// `kvota import accounts`: every row or none, problems named by row, column and value, and a second import of the
/// same file updates instead of duplicating.
@Suite struct AccountImportTests {
    static let file = """
        External ID;Name;Legal ID;Region;Owner;Tags;Notes
        A-1;ООО «Ромашка»;7701234567;msk;anna@kvota.test;VIP, tender;Звонить до 10
        A-2;Nordic Tools AB;556677-8899;SE;;;
        """

    static func setUp(_ database: Database) async throws -> Actor {
        let admin = try await database.addUser(UserDraft(name: "Admin", email: "admin@kvota.test", role: .admin), passwordHash: "x",
                                               by: nil, at: Date())
        _ = try await database.addUser(UserDraft(name: "Anna", email: "Anna@Kvota.test", role: .rep), passwordHash: "x", by: nil, at: Date())
        try await database.write { sql in
            try await sql.raw("INSERT INTO regions (code, name) VALUES ('MSK', 'Москва'), ('SE', 'Sweden')").run()
        }
        return try await database.signedInUser(admin.id)!.1
    }

    static func accounts(_ database: Database) async throws -> [String] {
        try await database.read { sql in
            try await sql.raw("SELECT name FROM accounts ORDER BY external_id").all().map { try $0.decode(column: "name", as: String.self) }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aWindows1251FileImportsAndASecondImportUpdates(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await Self.setUp(database)
            let data = Self.file.data(using: .windowsCP1251)!
            let dry = try await Importer.run(kind: "accounts", file: data, dryRun: true, into: database, by: actor, at: Date())
            #expect(dry.created == 2 && dry.problems.isEmpty && !dry.written)
            #expect(try await Self.accounts(database).isEmpty, "a dry run writes nothing")

            let report = try await Importer.run(kind: "accounts", file: data, dryRun: false, into: database, by: actor, at: Date())
            #expect(report.created == 2 && report.written)
            #expect(try await Self.accounts(database) == ["ООО «Ромашка»", "Nordic Tools AB"])
            let admin = actor
            let romashka = try await database.read { sql in
                try await sql.raw("SELECT id FROM accounts WHERE external_id = 'A-1'").first()!.decode(column: "id", as: Int64.self)
            }
            let imported = [try await database.account(Account.ID(romashka), for: admin)]
            #expect(imported.first?.tags == ["tender", "vip"] && imported.first?.notes == "Звонить до 10" && imported.first?.legalID == "7701234567")

            let changed = Self.file.replacingOccurrences(of: "Nordic Tools AB", with: "Nordic Tools Sverige AB").data(using: .utf8)!
            let again = try await Importer.run(kind: "accounts", file: changed, dryRun: false, into: database, by: actor, at: Date())
            #expect(again.created == 0 && again.updated == 1 && again.unchanged == 1, "the external ids make it an update of the one renamed")
            #expect(try await Self.accounts(database) == ["ООО «Ромашка»", "Nordic Tools Sverige AB"])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aFileWithProblemsNamesEachAndWritesNothing(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await Self.setUp(database)
            let file = "\u{FEFF}name,legal_id,region,owner\n"
                + "Good AB,111,SE,\n"
                + ",222,,\n"
                + "\n"
                + "Bad Region AB,333,Atlantis,nobody@kvota.test\n"
                + "Same Legal AB,111,,\n"
            let report = try await Importer.run(kind: "accounts", file: Data(file.utf8), dryRun: false, into: database, by: actor, at: Date())
            #expect(!report.written && report.created == 1)
            #expect(Set(report.problems.map { "\($0.row) \($0.column) \($0.value)" })
                    == ["3 name ", "5 region Atlantis", "5 owner nobody@kvota.test", "6 legal_id 111"], "the blank line is row 4")
            #expect(try await Self.accounts(database).isEmpty, "nothing is half-written")

            await #expect(throws: ImportFailure.self) {
                try await Importer.run(kind: "accounts", file: Data("Company\tColour\nAcme\tred\n".utf8), dryRun: true, into: database,
                                       by: actor, at: Date())
            }
            let mapped = try await Importer.run(kind: "accounts", file: Data("Company\tColour\nAcme\tred\n".utf8), mapping: ["Colour": "-"],
                                                dryRun: false, into: database, by: actor, at: Date())
            #expect(mapped.created == 1, "tab-separated, mapped: Company is the name, Colour skipped")
        }
    }
}
