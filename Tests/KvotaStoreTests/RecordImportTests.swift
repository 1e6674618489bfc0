import Foundation
import KvotaCore
import KvotaImport
import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

/// `kvota import contacts|deals|calls` with the example files of docs/import: records named by their keys across
/// files, channels in national formats, stage rules, closing dates and custom fields; a second import of each file
/// updates what the first made.
@Suite struct RecordImportTests {
    static func example(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/import/\(name)"))
    }

    static func setUp(_ database: Database) async throws -> Actor {
        let admin = try await database.addUser(UserDraft(name: "Admin", email: "admin@kvota.test", role: .admin), passwordHash: "x",
                                               by: nil, at: Date())
        _ = try await database.addUser(UserDraft(name: "Anna Berg", email: "anna@example.com", role: .rep), passwordHash: "x",
                                       by: nil, at: Date())
        let actor = try await database.signedInUser(admin.id)!.1
        let records = try await TestRecords.make(database)
        _ = try await records.stage("Won", position: 2, outcome: "won", probability: 100)
        try await database.write { sql in
            try await sql.raw("INSERT INTO regions (code, name) VALUES ('SE-AB', 'Stockholm'), ('UA-30', 'Київ')").run()
            try await sql.raw("""
                INSERT INTO channels (code, name, kind) VALUES ('direct', 'Direct', 'direct'), ('dealer', 'Dealer / wholesale', 'dealer')
                """).run()
        }
        _ = try await database.addCustomField(CustomField(id: 0, kind: .deal, key: "tender_no", label: "Tender no.", type: .text),
                                              by: actor, at: Date())
        return actor
    }

    static func run(_ kind: String, _ file: Data, into database: Database, by actor: Actor) async throws -> ImportReport {
        try await Importer.run(kind: kind, file: file, dryRun: false, into: database, by: actor, at: Date())
    }

    @Test(arguments: TestDatabase.engines)
    func contactsDealsAndCallsFindEachOtherAndASecondImportUpdates(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await Self.setUp(database)
            for kind in ["accounts", "contacts", "deals", "calls"] {
                let report = try await Self.run(kind, try Self.example("\(kind).csv"), into: database, by: actor)
                #expect(report.written && report.created == 2 && report.updated == 0, "\(kind): \(report.problems)")
            }
            let contacts = try await database.contacts(ContactFilter(), for: actor).items.sorted { $0.name < $1.name }
            #expect(contacts.map(\.phone) == ["+46812345 67".replacingOccurrences(of: " ", with: ""), "+380441234567"])
            #expect(contacts.last?.channels.map(\.value) == ["+380441234567", "olena@romashka.ua", "zakupivli@romashka.ua", "@olena_k"])

            let deals = try await database.deals(DealFilter(), for: actor).items.sorted { $0.title < $1.title }
            let workshop = try #require(deals.first { $0.title == "Workshop tools 2027" })
            #expect(workshop.amount == Money(minorUnits: 12_500_000, currency: try Currency("SEK")) && workshop.contactID == contacts.first?.id)
            #expect(workshop.custom["tender_no"] == .text("T-2026-77"))
            #expect(workshop.createdAt == Date(timeIntervalSince1970: 1_790_805_600), "2026-10-01 in Stockholm")
            let won = try #require(deals.first { $0.status == .won })
            #expect(won.contactID == contacts.last?.id)
            #expect(won.closedAt.map { LocalDate($0, in: TimeZone(identifier: "Europe/Stockholm")!) } == (try LocalDate(year: 2026, month: 11, day: 2)))
            #expect(try await database.orders(OrderFilter(), for: actor).items.isEmpty, "an imported won deal makes no draft order")

            let calls = try await database.activities(ActivityFilter(kind: .call), for: actor).items.sorted { $0.occurredAt < $1.occurredAt }
            #expect(calls.map(\.contactID) == contacts.map(\.id), "each call found its contact by the number")
            #expect(calls.first?.call?.talkSeconds == 275 && calls.last?.call?.disposition == .missed && calls.last?.call?.direction == .inbound)

            for kind in ["contacts", "deals", "calls"] {
                let again = try await Self.run(kind, try Self.example("\(kind).csv"), into: database, by: actor)
                #expect(again.written && again.created == 0 && again.updated == 0 && again.unchanged == 2,
                        "\(kind): the same file again changes nothing; \(again.problems)")
            }
            #expect(try await database.contacts(ContactFilter(), for: actor).items.count == 2)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func problemsAreNamedAtTheirColumns(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await Self.setUp(database)
            _ = try await Self.run("accounts", try Self.example("accounts.csv"), into: database, by: actor)
            let deals = """
                title,account,stage,amount,owner,closed,custom.tender_no
                Good,CRM-1001,Offer,"1 000",anna@example.com,,
                No stage,CRM-1001,Signed,12,anna@example.com,,
                Bad amount,Nobody AB,Offer,"12,345",nobody@example.com,,
                Open but closed,CRM-1001,Offer,1,anna@example.com,2026-11-01,
                """
            let report = try await Self.run("deals", Data(deals.utf8), into: database, by: actor)
            #expect(!report.written)
            #expect(Set(report.problems.map { "\($0.row) \($0.column)" })
                    == ["3 stage", "4 account", "4 amount", "4 owner", "5 closed"], "\(report.problems)")
            let colour = try await Self.run("deals", Data("title;account;owner;custom.colour\nX;CRM-1001;anna@example.com;red\n".utf8),
                                            into: database, by: actor)
            #expect(colour.problems.map { "\($0.row) \($0.column) \($0.reason)" } == ["2 custom.colour no such field"])
            #expect(try await database.deals(DealFilter(), for: actor).items.isEmpty)

            // A name two accounts share names neither.
            for _ in 0..<2 { _ = try await database.addAccount(AccountDraft(name: "Twin AB"), by: actor, at: Date()) }
            let twins = try await Self.run("contacts", Data("name;account\nEva;twin ab\n".utf8), into: database, by: actor)
            #expect(twins.problems.map { "\($0.column) \($0.reason)" } == ["account 2 accounts are called 'twin ab'; give its id or another key"])

            let calls = "started;direction;number\n2026-13-01 10:00;sideways;+46 8 1\n"
            let callReport = try await Self.run("calls", Data(calls.utf8), into: database, by: actor)
            #expect(Set(callReport.problems.map(\.column)) == ["started", "direction"], "\(callReport.problems)")
        }
    }
}
