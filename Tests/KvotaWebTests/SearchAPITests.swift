import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

/// `GET /api/v1/search`: one box for a customer's name, phone in any format, email or legal id, over what the caller sees.
@Suite struct SearchAPITests {
    struct Hit: Decodable, Hashable { let kind: String; let id: Int64; let title: String; let path: String }

    struct Hits: Decodable {
        let items: [Hit]
        var found: Set<String> { Set(items.map { "\($0.kind) \($0.title)" }) }
    }

    struct Made: Decodable { let id: Int64 }

    struct NewAccount: Encodable { let name: String; var legalId: String?; var ownerId: Int64? }

    struct NewContact: Encodable { let accountId: Int64; let name: String; var phone: String?; var email: String? }

    struct NewLead: Encodable { var source = "web_form"; let name: String; var companyName: String?; var phone: String? }

    struct NewDeal: Encodable { let title: String; let accountId: Int64 }

    @Test(arguments: TestDatabase.engines)
    func findsByWordsPhoneEmailAndLegalIDAmongVisibleRecords(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            _ = try await TestRecords.make(org.database)
            let rep = try await client.token(for: org.rep)
            let stranger = try await client.token(for: org.stranger)
            let director = try await client.token(for: org.director)
            let tools = try await client.post("/api/v1/accounts", json: NewAccount(name: "Nordic Tools AB", legalId: "556677-8899"), token: rep)
                .json(Made.self)
            _ = try await client.post("/api/v1/contacts", json: NewContact(accountId: tools.id, name: "Karin Holm", phone: "+46 70 123 45 67",
                                                                           email: "Karin@NordicTools.example"), token: rep)
            _ = try await client.post("/api/v1/leads", json: NewLead(name: "Örjan Åberg", companyName: "Göteborgs Verktyg", phone: "0701234567"),
                                      token: rep)
            let deal = try await client.post("/api/v1/deals", json: NewDeal(title: "Tools for the new plant", accountId: tools.id), token: rep)
                .json(Made.self)
            let theirs = try await client.post("/api/v1/accounts", json: NewAccount(name: "Nordic Timber"), token: stranger).json(Made.self)

            func search(_ q: String, _ token: String, _ extra: String = "") async throws -> Hits {
                let encoded = FormEncoding.escape(q)
                return try await client.get("/api/v1/search?q=\(encoded)\(extra)", token: token).json(Hits.self)
            }
            #expect(try await search("tool", rep).found == ["account Nordic Tools AB", "deal Tools for the new plant"])
            #expect(try await search("nordic to", rep).found == ["account Nordic Tools AB"], "every word starts a word of the name")
            #expect(try await search("070-123 45 67", rep).found == ["contact Karin Holm", "lead Örjan Åberg"], "any phone format")
            #expect(try await search("karin@nordictools.EXAMPLE", rep).found == ["contact Karin Holm"])
            #expect(try await search("556677 8899", rep).found == ["account Nordic Tools AB"])
            #expect(try await search("goteborgs", rep).found == ["lead Örjan Åberg"], "accents folded")
            #expect(try await search("nordic", rep).found == ["account Nordic Tools AB"], "not the stranger's timber merchant")
            #expect(try await search("nordic", director).found == ["account Nordic Tools AB", "account Nordic Timber"])
            #expect(try await search("nordic", director, "&kind=account&limit=1").items.count == 1)
            #expect(try await search("tools", rep, "&kind=deal").items.map(\.path) == ["/api/v1/deals/\(deal.id)"])

            _ = try await client.send(.patch, "/api/v1/accounts/\(tools.id)", json: ["name": "Baltic Hardware"], token: rep)
            #expect(try await search("nordic", rep).items.isEmpty, "a rename is found by its new name only")
            #expect(try await search("baltic", rep).found == ["account Baltic Hardware"])
            #expect(try await client.delete("/api/v1/accounts/\(theirs.id)", token: director).status == .noContent)
            #expect(try await search("timber", director).items.isEmpty)

            let bad = try await client.get("/api/v1/search?q=a&kind=order&limit=0", token: rep)
            #expect(Set(try bad.problem().errors?.map(\.field) ?? []) == ["q", "kind", "limit"])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func migrationsSixAndSevenIndexRecordsThatAlreadyExist(engine: DatabaseEngine) async throws {
        let (url, cleanup) = try await TestDatabase.make(engine, migrated: false)
        let database = try await Database.open(url)
        try await Migrator.migrate(database, through: 5)
        let records = try await TestRecords.make(database)
        let account = try await records.account(owner: nil, name: "Lindqvist Bygg")
        let contact = try await database.write { sql in
            try await sql.raw("""
                INSERT INTO contacts (account_id, name, phone, email, created_at, updated_at)
                VALUES (\(bind: account), 'Per Lindqvist', '+46701112233', 'Per@Lindqvist.example', 0, 0) RETURNING id
                """).first()!.decode(column: "id", as: Int64.self)
        }
        #expect(try await Migrator.migrate(database).map(\.number) == Array(6...Migrations.latest))
        let admin = Actor(userID: 1, role: .admin, teamID: nil)
        #expect(try await database.search("lindq", limit: 5, for: admin).map(\.id) == [account, contact])
        #expect(try await database.contact(Contact.ID(contact), for: admin).channels
                == [ContactChannel(kind: .phone, value: "+46701112233"), ContactChannel(kind: .email, value: "per@lindqvist.example")],
                "migration 7 makes the phone and email channels")
        try await database.rebuildSearchIndex()
        #expect(try await database.search("per@lindqvist", limit: 5, for: admin).map(\.id) == [contact])
        await database.close()
        try await cleanup()
    }

    /// One word answers in the term index's order — the whole word before longer words it starts, then the oldest
    /// record — with each record once however many of its words match, and only records the caller sees.
    @Test(arguments: TestDatabase.engines)
    func oneWordAnswersTheBestMatchesFirstEachRecordOnce(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let rep = try await client.token(for: org.rep)
            let stranger = try await client.token(for: org.stranger)
            for name in ["Steelco", "Steel Steela Steelb Steelc Steeld", "Steele Trading"] {
                _ = try await client.post("/api/v1/accounts", json: NewAccount(name: name), token: rep)
            }
            _ = try await client.post("/api/v1/accounts", json: NewAccount(name: "Steel Hidden"), token: stranger)
            func titles(_ limit: Int) async throws -> [String] {
                try await client.get("/api/v1/search?q=steel&kind=account&limit=\(limit)", token: rep).json(Hits.self).items.map(\.title)
            }
            // Five terms of the second account come before "steele": the second page of the index finds the next record.
            #expect(try await titles(2) == ["Steel Steela Steelb Steelc Steeld", "Steelco"])
            #expect(try await titles(10) == ["Steel Steela Steelb Steelc Steeld", "Steelco", "Steele Trading"])
            #expect(try await titles(1) == ["Steel Steela Steelb Steelc Steeld"])
            // Two words: the records having both, whichever is typed first.
            for q in ["steel%20trad", "trad%20steel"] {
                #expect(try await client.get("/api/v1/search?q=\(q)&kind=account", token: rep).json(Hits.self).items.map(\.title)
                        == ["Steele Trading"], "\(q)")
            }
        }
    }
}
