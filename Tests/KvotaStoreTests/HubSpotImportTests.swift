import Foundation
import KvotaCore
import KvotaImport
import KvotaStore
import KvotaTestSupport
import Testing

/// `kvota import accounts|contacts|deals --format hubspot`: HubSpot's exports with their property labels, Record IDs
/// linking contacts and deals to companies, and deal stages by HubSpot's internal ids or labels.
@Suite struct HubSpotImportTests {
    /// A pipeline "Sales" with Offer (50 %), Negotiation (85 %), Won and Lost, and the owner the exports name.
    static func setUp(_ database: Database) async throws -> Actor {
        let admin = try await database.addUser(UserDraft(name: "Admin", email: "admin@kvota.test", role: .admin), passwordHash: "x",
                                               by: nil, at: Date())
        _ = try await database.addUser(UserDraft(name: "Maja Lind", email: "maja@kvota.test", role: .rep), passwordHash: "x", by: nil, at: Date())
        let records = try await TestRecords.make(database)
        _ = try await records.stage("Negotiation", position: 2, outcome: "open", probability: 85)
        _ = try await records.stage("Won", position: 3, outcome: "won", probability: 100)
        _ = try await records.stage("Lost", position: 4, outcome: "lost", probability: 0)
        return try await database.signedInUser(admin.id)!.1
    }

    static func run(_ kind: String, _ file: Data, _ database: Database, _ actor: Actor) async throws -> ImportReport {
        try await Importer.run(kind: kind, file: file, format: .hubspot, dryRun: false, into: database, by: actor, at: Date())
    }

    @Test(arguments: TestDatabase.engines)
    func companiesContactsAndDealsComeOverLinked(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await Self.setUp(database)
            let companies = try await Self.run("accounts", try OrderImportTests.example("hubspot-companies.csv"), database, actor)
            #expect(companies.written && companies.created == 2, "\(companies.problems)")
            #expect(companies.ignoredColumns == ["Company Domain Name", "Phone Number", "City", "Country/Region", "Create Date"])
            let contacts = try await Self.run("contacts", try OrderImportTests.example("hubspot-contacts.csv"), database, actor)
            #expect(contacts.written && contacts.created == 3, "\(contacts.problems)")
            let deals = try await Self.run("deals", try OrderImportTests.example("hubspot-deals.csv"), database, actor)
            #expect(deals.written && deals.created == 4, "\(deals.problems)")

            let accounts = try await database.accounts(AccountFilter(), for: actor).items
            let nordlicht = try #require(accounts.first { $0.name == "Nordlicht GmbH" })
            let baltic = try #require(accounts.first { $0.name == "Baltic Freight AB" })
            let maja = try #require(try await database.user(email: "maja@kvota.test"))
            #expect(nordlicht.ownerID == maja.id && nordlicht.segment == "Manufacturing" && nordlicht.externalID == "hubspot:8172349001")

            let people = try await database.contacts(ContactFilter(), for: actor).items
            #expect(people.first { $0.name == "Erik Holm" }?.accountID == baltic.id, "the first of the associated companies")
            #expect(people.first { $0.name == "Erik Holm" }?.phone == "+46701234567")
            #expect(people.first { $0.name == "info@nordlicht.de" }?.accountID == nordlicht.id, "no name: the email; no id: the company's name")

            let stages = Dictionary(uniqueKeysWithValues: try await database.pipelines(for: actor).flatMap(\.1).map { ($0.id, $0.name) })
            let byTitle = Dictionary(uniqueKeysWithValues: try await database.deals(DealFilter(), for: actor).items.map { ($0.title, $0) })
            let q1 = try #require(byTitle["Nordlicht – Q1 tools"])
            #expect(stages[q1.stageID] == "Offer" && q1.forecastCategory == .bestCase, "qualifiedtobuy (40 %) is the nearest open stage")
            #expect(q1.contactID == people.first { $0.name == "Anna Becker" }?.id && q1.amount.minorUnits == 1_250_000)
            let won = try #require(byTitle["Baltic Freight – racking"])
            #expect(won.status == .won && stages[won.stageID] == "Won" && won.accountID == baltic.id)
            let zone = try await database.companyTimeZone()
            #expect(won.closedAt.map { LocalDate($0, in: zone) } == (try LocalDate(year: 2026, month: 11, day: 15)), "closed on its close date")
            let lost = try #require(byTitle["Nordlicht – spare parts"])
            #expect(lost.status == .lost && lost.lossReason == "other", "HubSpot's lost deal without a reason")
            let sent = try #require(byTitle["Nordlicht – service contract"])
            #expect(stages[sent.stageID] == "Negotiation" && sent.forecastCategory == .commit && sent.amount.minorUnits == 730_050,
                    "a stage's label works as its id does")

            let again = try await Self.run("deals", try OrderImportTests.example("hubspot-deals.csv"), database, actor)
            #expect(again.written && again.created == 0 && again.updated == 0 && again.unchanged == 4, "\(again.problems)")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aStageKvotaCannotPlaceIsNamedAndNothingIsWritten(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await Self.setUp(database)
            let file = """
                Record ID,Deal Name,Deal Stage,Amount,Associated Company,Deal owner
                1,First,appointmentscheduled,100,Nobody Ltd,Maja Lind
                2,Second,98765432,100,Nobody Ltd,Maja Lind
                """
            _ = try await database.addAccount(AccountDraft(name: "Nobody Ltd"), by: actor, at: Date())
            let report = try await Self.run("deals", Data(file.utf8), database, actor)
            #expect(!report.written && report.problems.map { "\($0.row) \($0.column)" } == ["3 Deal Stage"], "\(report.problems)")
            #expect(report.problems.first?.reason == "no stage '98765432' in an active pipeline")
            #expect(try await database.deals(DealFilter(), for: actor).items.isEmpty)
            await #expect(throws: ImportFailure.self) {
                try await Importer.run(kind: "orders", file: Data(file.utf8), format: .hubspot, dryRun: true, into: database, by: actor, at: Date())
            }
        }
    }
}
