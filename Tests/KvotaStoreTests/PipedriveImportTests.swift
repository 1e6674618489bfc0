import Foundation
import KvotaCore
import KvotaImport
import KvotaStore
import KvotaTestSupport
import Testing

/// `kvota import contacts|deals --format pipedrive`: Pipedrive's exports in the exporter's language, organisations
/// and persons linked by name and added when Kvota lacks them, several values of a cell joined.
@Suite struct PipedriveImportTests {
    static func run(_ kind: String, _ file: Data, _ database: Database, _ actor: Actor) async throws -> ImportReport {
        try await Importer.run(kind: kind, file: file, format: .pipedrive, dryRun: false, into: database, by: actor, at: Date())
    }

    @Test(arguments: TestDatabase.engines)
    func personsThenDealsBringTheirOrganisationsAlong(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await HubSpotImportTests.setUp(database)
            let persons = try await Self.run("contacts", try OrderImportTests.example("pipedrive-persons.csv"), database, actor)
            #expect(persons.written && persons.created == 2 && persons.ignoredColumns == ["Person - Etikett"], "\(persons.problems)")
            let ownerColumn = try await Importer.run(kind: "contacts", file: Data("Person - Name,Person - Owner\nX,Y\n".utf8), format: .pipedrive,
                                                     dryRun: true, into: database, by: actor, at: Date())
            #expect(ownerColumn.ignoredColumns == ["Person - Owner"], "a known field Kvota has no place for is listed, not dropped")
            #expect(persons.related == [.init(kind: "accounts", created: 1, updated: 0, unchanged: 0)])

            let deals = try await Self.run("deals", try OrderImportTests.example("pipedrive-deals.csv"), database, actor)
            #expect(deals.written && deals.created == 4, "\(deals.problems)")
            #expect(deals.related == [.init(kind: "accounts", created: 2, updated: 0, unchanged: 1),
                                      .init(kind: "contacts", created: 1, updated: 0, unchanged: 1)], "Lena is known by her email")

            let accounts = try await database.accounts(AccountFilter(), for: actor).items
            #expect(accounts.map(\.name).sorted() == ["Fjällvind AB", "Karhu Oy", "Nordlicht GmbH"])
            let people = try await database.contacts(ContactFilter(), for: actor).items
            let lena = try #require(people.first { $0.name == "Lena Sjöberg" })
            #expect(lena.channels.filter { $0.kind == .email }.map(\.value) == ["lena@fjallvind.se", "lena.sjoberg@gmail.com"],
                    "the Work and Home columns joined")
            #expect(lena.accountID == accounts.first { $0.name == "Fjällvind AB" }?.id)
            let mikko = try #require(people.first { $0.name == "Mikko Virtanen" })
            #expect(mikko.channels.filter { $0.kind == .email }.count == 2 && mikko.phone == "+358401234567")

            let stages = Dictionary(uniqueKeysWithValues: try await database.pipelines(for: actor).flatMap(\.1).map { ($0.id, $0.name) })
            let byTitle = Dictionary(uniqueKeysWithValues: try await database.deals(DealFilter(), for: actor).items.map { ($0.title, $0) })
            #expect(stages[byTitle["Fjällvind – winter stock"]!.stageID] == "Negotiation", "Proposal Made: 4th of 5 default stages")
            #expect(byTitle["Fjällvind – winter stock"]?.contactID == lena.id)
            #expect(stages[byTitle["Nordlicht – follow-up"]!.stageID] == "Offer" && byTitle["Nordlicht – follow-up"]?.contactID == nil)
            let won = try #require(byTitle["Fjällvind – spring tools"])
            #expect(won.status == .won && stages[won.stageID] == "Won")
            let lost = try #require(byTitle["Karhu Oy – pilot"])
            #expect(lost.status == .lost && lost.lossReason == "price" && lost.contactID == mikko.id)

            let again = try await Self.run("deals", try OrderImportTests.example("pipedrive-deals.csv"), database, actor)
            #expect(again.written && again.created == 0 && again.unchanged == 4, "\(again.problems)")
            #expect(again.related.map(\.unchanged) == [3, 2])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func headersInRussianAndAFileWithoutTitlesAreRead(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await HubSpotImportTests.setUp(database)
            let russian = """
                Сделка - Название;Сделка - Стоимость;Сделка - Этап;Сделка - Статус;Сделка - Ответственный;Организация - Название
                Поставка стеллажей;120000;Negotiation;open;Maja Lind;ООО «Склад»
                """
            let report = try await Self.run("deals", Data(russian.utf8), database, actor)
            #expect(report.written && report.created == 1 && report.related.first?.created == 1, "\(report.problems)")
            let deal = try #require(try await database.deals(DealFilter(), for: actor).items.first)
            #expect(deal.title == "Поставка стеллажей" && deal.amount.minorUnits == 12_000_000)

            // A mapping names the deal's id column; the second import finds the deal by it.
            let numbered = Data("Nummer;Deal - Title;Deal - Owner;Organization - Name\nA-7;Mapped;Maja Lind;ООО «Склад»\n".utf8)
            for created in [1, 0] {
                let mapped = try await Importer.run(kind: "deals", file: numbered, mapping: ["Nummer": "deal.id"], format: .pipedrive,
                                                    dryRun: false, into: database, by: actor, at: Date())
                #expect(mapped.written && mapped.created == created && mapped.unchanged == 1 - created, "\(mapped.problems)")
            }
            await #expect(throws: ImportFailure.self) {
                try await Importer.run(kind: "deals", file: Data(russian.utf8), mapping: ["Сделка - Статус": "deal.mood"], format: .pipedrive,
                                       dryRun: true, into: database, by: actor, at: Date())
            }
            await #expect(throws: ImportFailure.layout("a Pipedrive deals export needs a column for deal title (like 'Deal - Title')")) {
                try await Self.run("deals", Data("Organization - Name\nX\n".utf8), database, actor)
            }
        }
    }
}
