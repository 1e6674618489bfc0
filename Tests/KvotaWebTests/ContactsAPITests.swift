import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `/api/v1/contacts`: phones stored in E.164 and found in any format, and an account the caller cannot see reads as
/// missing.
@Suite struct ContactsAPITests {
    struct ContactBody: Decodable {
        let id: Int64
        let accountId: Int64?
        let name: String
        let phone: String?
        let email: String?
        let version: Int64
    }

    struct Items: Decodable {
        let items: [ContactBody]
    }

    struct NewContact: Encodable {
        var accountId: Int64?
        var name: String?
        var phone: String?
        var email: String?
    }

    @Test(arguments: TestDatabase.engines)
    func phonesAreStoredInE164AndFoundInAnyFormat(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            let rep = try await client.token(for: org.rep)
            let created = try await client.post("/api/v1/contacts", json: NewContact(accountId: account, name: "Nils Ek",
                                                                                      phone: "070-123 45 67", email: " nils@acme.se "), token: rep)
            #expect(created.status == .created)
            let nils = try created.json(ContactBody.self)
            #expect(nils.phone == "+46701234567" && nils.email == "nils@acme.se")

            for query in ["%2B46%2070%20123%2045%2067", "0701234567", "NILS", "nils@acme.se"] {
                let found = try await client.get("/api/v1/contacts?q=\(query)", token: rep).json(Items.self)
                #expect(found.items.map(\.id) == [nils.id], "search \(query)")
            }
            let cleared = try await client.send(.patch, "/api/v1/contacts/\(nils.id)", json: ["phone": String?.none], token: rep)
            #expect(try cleared.json(ContactBody.self).phone == nil)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func badInputNamesEveryFieldAndAnotherRepsAccountReadsAsMissing(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let teammates = try await records.account(owner: org.teammate.id)
            let rep = try await client.token(for: org.rep)
            let bad = try await client.post("/api/v1/contacts", json: NewContact(accountId: teammates, name: "", phone: "call me",
                                                                                  email: "nils at acme"), token: rep)
            #expect(bad.status == .unprocessableContent)
            let errors = try bad.problem().errors ?? []
            #expect(Set(errors.map(\.field)) == ["name", "phone", "email", "accountId"])
            #expect(errors.contains(.init(field: "accountId", reason: "no account \(teammates)")), "the same words as for no account at all")
            #expect(try await org.database.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM contacts").first()!.decode(column: "n", as: Int.self)
            } == 0)
            let noAccount = try await client.post("/api/v1/contacts", json: NewContact(name: "Orphan"), token: rep)
            #expect(try noAccount.problem().errors == [.init(field: "accountId", reason: "is required")])
        }
    }
}
