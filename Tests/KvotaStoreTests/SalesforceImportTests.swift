import Foundation
import KvotaCore
import KvotaImport
import KvotaSheets
import KvotaStore
import KvotaTestSupport
import Testing

/// `kvota import deals EXPORT.zip --format salesforce`: a Data Export's accounts, contacts and opportunities in one
/// transaction, linked by their Salesforce ids, owners through the export's users.
@Suite struct SalesforceImportTests {
    /// docs/import/salesforce zipped in a folder, as Salesforce sends it.
    static func export(_ objects: [String] = ["Account", "Contact", "Product2", "PricebookEntry", "Opportunity", "OpportunityHistory",
                                              "OpportunityLineItem", "User"]) throws -> Data {
        try ZipFiles.archive(objects.map { object in
            ("WE_00D5g000004ABCD_1/\(object).csv", try OrderImportTests.example("salesforce/\(object).csv"))
        })
    }

    static func run(_ kind: String, _ file: Data, _ database: Database, _ actor: Actor) async throws -> ImportReport {
        try await Importer.run(kind: kind, file: file, format: .salesforce, dryRun: false, into: database, by: actor, at: Date())
    }

    @Test(arguments: TestDatabase.engines)
    func aDataExportBringsAccountsContactsAndOpportunities(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await HubSpotImportTests.setUp(database)
            let report = try await Self.run("deals", try Self.export(), database, actor)
            #expect(report.written && report.created == 4, "\(report.problems)")
            #expect(report.related == [.init(kind: "accounts", created: 2, updated: 0, unchanged: 0),
                                       .init(kind: "contacts", created: 2, updated: 0, unchanged: 0),
                                       .init(kind: "products", created: 3, updated: 0, unchanged: 0),
                                       .init(kind: "stage_history", created: 0, updated: 4, unchanged: 0),
                                       .init(kind: "deal_lines", created: 0, updated: 2, unchanged: 0)])
            #expect(report.skippedRows == 1, "the deleted account")
            #expect(report.ignoredColumns.contains("Opportunity.ForecastCategory") && report.ignoredColumns.contains("Account.BillingCity"))

            let maja = try #require(try await database.user(email: "maja@kvota.test"))
            let accounts = try await database.accounts(AccountFilter(), for: actor).items
            let nordlicht = try #require(accounts.first { $0.name == "Nordlicht GmbH" })
            #expect(accounts.count == 2 && nordlicht.ownerID == maja.id && nordlicht.externalID == "salesforce:0015g00000NrdA1AAJ")
            let people = try await database.contacts(ContactFilter(), for: actor).items
            #expect(people.first { $0.name == "Erik Holm" }?.phone == "+46701234567")

            let stages = Dictionary(uniqueKeysWithValues: try await database.pipelines(for: actor).flatMap(\.1).map { ($0.id, $0.name) })
            let byTitle = Dictionary(uniqueKeysWithValues: try await database.deals(DealFilter(), for: actor).items.map { ($0.title, $0) })
            let q1 = try #require(byTitle["Nordlicht – Q1 tools"])
            #expect(stages[q1.stageID] == "Offer" && q1.accountID == nordlicht.id && q1.ownerID == maja.id, "Qualification (10 %)")
            #expect(q1.contactID == people.first { $0.name == "Anna Becker" }?.id && q1.forecastCategory == .pipeline)
            #expect(stages[byTitle["Nordlicht – service contract"]!.stageID] == "Negotiation", "Negotiation/Review (90 %)")
            #expect(byTitle["Baltic Freight – racking"]?.status == .won && byTitle["Nordlicht – spare parts"]?.lossReason == "other")
            let created = try #require(byTitle["Baltic Freight – racking"]?.createdAt)
            #expect(created == Date(timeIntervalSince1970: 1_788_251_400), "2026-09-01T08:30:00.000Z")

            // OpportunityHistory: Prospecting, Qualification and Needs Analysis (10-20 %) are Offer, Negotiation/Review
            // Negotiation, Closed Won Won; a row that changed the amount only is no new stage.
            let history = try await database.read { sql in
                try await sql.raw("""
                    SELECT d.title, s.name, h.entered_at, h.user_id FROM deal_stage_history h JOIN deals d ON d.id = h.deal_id
                    JOIN stages s ON s.id = h.stage_id ORDER BY d.title, h.entered_at
                    """).all().map { row in
                        [try row.decode(column: "title", as: String.self), try row.decode(column: "name", as: String.self),
                         String(try row.decode(column: "entered_at", as: Int64.self) / 1000),
                         String(try row.decode(column: "user_id", as: Int64?.self) ?? 0)]
                    }
            }
            #expect(history.filter { $0[0] == "Baltic Freight – racking" }.map { [$0[1], $0[2]] }
                    == [["Offer", "1788251400"], ["Negotiation", "1792508400"], ["Won", "1794751200"]])
            #expect(history.filter { $0[0] == "Nordlicht – service contract" }.map(\.[1]) == ["Offer", "Negotiation"])
            #expect(history.filter { $0[0] == "Nordlicht – Q1 tools" }.map(\.[1]) == ["Offer"])
            #expect(history.allSatisfy { $0[3] == String(maja.id.rawValue) }, "entered by the export's user")
            try await SalesRollupsTests.expectExact(database, "a Salesforce export with stage history")

            // OpportunityLineItem: the products by their code (else their Salesforce id), priced from the price book.
            let racking = try #require(try await database.products(ProductFilter(), for: actor).items.first { $0.name == "Pallet racking bay" })
            #expect(racking.sku == "01t5g000001Pr03AAC" && racking.price.minorUnits == 420_000 && racking.unit == "bay")
            let rackingLines = try await database.dealLines(of: try #require(byTitle["Baltic Freight – racking"]).id, for: actor)
            #expect(rackingLines.map { [$0.quantityMilli, $0.unitPrice.minorUnits, $0.discountMinor] } == [[12_000, 420_000, 240_000]],
                    "12 × 4 200 with 2 400 off: the line's total price")
            let contract = try await database.deal(try #require(byTitle["Nordlicht – service contract"]).id, for: actor)
            let contractLines = try await database.dealLines(of: contract.id, for: actor)
            #expect(contract.amount.minorUnits == 730_050 && contractLines.count == 2)

            let again = try await Self.run("deals", try Self.export(), database, actor)
            #expect(again.written && again.created == 0 && again.unchanged == 4 && again.related.map(\.unchanged) == [2, 2, 3, 4, 2],
                    "\(again.problems)")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func oneObjectsFileOrAnExportWithoutItIsReadOrRefused(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await HubSpotImportTests.setUp(database)
            let accounts = try await Self.run("accounts", try OrderImportTests.example("salesforce/Account.csv"), database, actor)
            // Without User.csv an owner is its Salesforce id, which names no Kvota user.
            #expect(!accounts.written && Set(accounts.problems.map(\.column)) == ["OwnerId"], "\(accounts.problems)")
            #expect(accounts.problems.first?.reason == "no active user '0055g00000Mj1QaAAJ'")
            // A history row of an opportunity the export does not hold stops the whole export.
            var files = try ["Account", "Contact", "Opportunity", "User"].map { object in
                ("\(object).csv", try OrderImportTests.example("salesforce/\(object).csv"))
            }
            files.append(("OpportunityHistory.csv", Data("""
                "OpportunityId","CreatedDate","StageName","Probability","ForecastCategory"
                "0065g00000XyZ01AAB","2026-10-02T10:00:00.000Z","Prospecting","10","Pipeline"
                "0065g00000Gone0AAB","2026-10-03T10:00:00.000Z","Prospecting","10","Pipeline"
                """.utf8)))
            let orphan = try await Self.run("deals", try ZipFiles.archive(files), database, actor)
            #expect(!orphan.written && orphan.problems.map { "\($0.row) \($0.column) \($0.reason)" }
                    == ["3 OpportunityId no deal 'salesforce:0065g00000Gone0AAB'"], "\(orphan.problems)")
            #expect(try await database.deals(DealFilter(), for: actor).items.isEmpty)
            await #expect(throws: ImportFailure.layout("a Salesforce export is read by its API field names; it takes no mapping")) {
                try await Importer.run(kind: "deals", file: try Self.export(), mapping: ["Name": "title"], format: .salesforce, dryRun: true,
                                       into: database, by: actor, at: Date())
            }
            await #expect(throws: ImportFailure.unreadable("the export has no Opportunity.csv; it has Account.csv, User.csv")) {
                try await Self.run("deals", try Self.export(["Account", "User"]), database, actor)
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func leadsComeWithTheirSourcesAndStatusesAndConvertedOnesAreLeftToTheirRecords(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let actor = try await HubSpotImportTests.setUp(database)
            for created in [3, 0] {
                let report = try await Self.run("leads", try Self.export(["Lead", "User"]), database, actor)
                #expect(report.written && report.created == created && report.unchanged == 3 - created && report.skippedRows == 1,
                        "\(report.problems)")
            }
            let leads = Dictionary(uniqueKeysWithValues: try await database.leads(LeadFilter(), for: actor).items.map { ($0.name, $0) })
            let maja = try #require(try await database.user(email: "maja@kvota.test"))
            #expect(leads["Karin Nyström"]?.source == .webForm && leads["Karin Nyström"]?.status == .new && leads["Karin Nyström"]?.ownerID == maja.id)
            #expect(leads["Piotr Kowalski"]?.source == .event && leads["Piotr Kowalski"]?.status == .inWork)
            #expect(leads["Piotr Kowalski"]?.ownerID == nil, "a queue's lead has no owner")
            #expect(leads["Ann Smith"]?.status == .disqualified && leads["Ann Smith"]?.disqualifyReason == "other")
            #expect(leads["Anna Becker"] == nil, "converted: she came over as a contact")
        }
    }
}
