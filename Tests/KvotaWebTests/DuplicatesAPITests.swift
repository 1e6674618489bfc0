import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// Likely duplicates are flagged and can be merged; what pointed at the duplicate follows it into the survivor.
@Suite struct DuplicatesAPITests {
    static let flag = HTTPField.Name("Kvota-Likely-Duplicates")!

    struct Made: Decodable { let id: Int64 }

    struct Duplicate: Decodable { let id: Int64; let reasons: [String] }

    struct Items<Item: Decodable>: Decodable { let items: [Item] }

    struct Channel: Codable, Equatable { var kind: String; var value: String; var label: String? = nil }

    struct NewContact: Encodable { let accountId: Int64; let name: String; var channels: [Channel] }

    struct ContactBody: Decodable { let id: Int64; let channels: [Channel]; let version: Int64 }

    @Test(arguments: TestDatabase.engines)
    func aContactWithAKnownPhoneIsFlaggedAndMergedKeepingItsHistory(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            let rep = try await client.token(for: org.rep)
            let first = try await client.post("/api/v1/contacts", json: NewContact(accountId: account, name: "Karin Holm", channels: [
                Channel(kind: "phone", value: "+46701234567")]), token: rep)
            #expect(first.headers[Self.flag] == nil)
            let karin = try first.json(ContactBody.self)
            let second = try await client.post("/api/v1/contacts", json: NewContact(accountId: account, name: "K. Holm", channels: [
                Channel(kind: "phone", value: "070-123 45 67"), Channel(kind: "email", value: "k.holm@nordic.example")]), token: rep)
            #expect(second.headers[Self.flag] == "\(karin.id)", "flagged on creation")
            let copy = try second.json(ContactBody.self)
            let found = try await client.get("/api/v1/contacts/\(copy.id)/duplicates", token: rep).json(Items<Duplicate>.self).items
            #expect(found.map(\.id) == [karin.id] && found[0].reasons == ["phone +46701234567"])

            let deal = try await records.deal(account: account, owner: org.rep.id)
            try await org.database.write { sql in
                try await sql.raw("UPDATE deals SET contact_id = \(bind: copy.id) WHERE id = \(bind: deal)").run()
            }
            let note = try await client.post("/api/v1/activities", json: NewNote(contactId: copy.id), token: rep).json(Made.self)

            let merged = try await client.post("/api/v1/contacts/\(karin.id)/merge", json: ["from": copy.id], token: rep,
                                               headers: [.ifMatch: "\"\(karin.version)\""])
            #expect(merged.status == .ok)
            #expect(try merged.json(ContactBody.self).channels == [Channel(kind: "phone", value: "+46701234567"),
                                                                   Channel(kind: "email", value: "k.holm@nordic.example")])
            #expect(try await client.get("/api/v1/contacts/\(copy.id)", token: rep).status == .notFound)
            struct Linked: Decodable { let contactId: Int64? }
            #expect(try await client.get("/api/v1/activities/\(note.id)", token: rep).json(Linked.self).contactId == karin.id)
            #expect(try await client.get("/api/v1/deals/\(deal)", token: rep).json(Linked.self).contactId == karin.id)
            struct Hit: Decodable { let id: Int64 }
            #expect(try await client.get("/api/v1/search?q=k.holm@nordic.example", token: rep).json(Items<Hit>.self).items.map(\.id) == [karin.id])
            let trail = try await org.database.auditTrail(entity: "contact", id: copy.id)
            #expect(trail.map(\.action) == ["create", "delete"]
                    && trail.last?.changes.contains { $0.field == "mergedInto" && $0.new == "contact \(karin.id)" } == true,
                    "the duplicate's history stays, and says where it went")
            #expect(try await client.post("/api/v1/contacts/\(karin.id)/merge", json: ["from": karin.id], token: rep)
                .problem().errors?.map(\.field) == ["from"])
        }
    }

    struct NewNote: Encodable { var kind = "note"; var subject = "Asked for a catalogue"; let contactId: Int64 }

    struct NewAccount: Encodable { let name: String; var tags: [String] = [] }

    struct AccountBody: Decodable { let id: Int64; let tags: [String] }

    @Test(arguments: TestDatabase.engines)
    func anAccountWithTheSameNameIsFlaggedAndMergedWithItsPeopleAndSales(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let rep = try await client.token(for: org.rep)
            let stranger = try await client.token(for: org.stranger)
            let original = try await client.post("/api/v1/accounts", json: NewAccount(name: "Nordic Tools AB", tags: ["vip"]), token: rep)
                .json(AccountBody.self)
            let theirs = try await client.post("/api/v1/accounts", json: NewAccount(name: "Nordic Tools AB"), token: stranger)
            #expect(theirs.headers[Self.flag] == nil, "a duplicate the caller cannot see is not named to them")
            let copy = try await client.post("/api/v1/accounts", json: NewAccount(name: "NORDIC TOOLS AB", tags: ["tender"]), token: rep)
            #expect(copy.headers[Self.flag] == "\(original.id)")
            let duplicate = try copy.json(AccountBody.self)
            let person = try await records.contact(account: duplicate.id)
            let order = try await records.order(account: duplicate.id, owner: org.rep.id)

            let merged = try await client.post("/api/v1/accounts/\(original.id)/merge", json: ["from": duplicate.id], token: rep)
            #expect(try merged.json(AccountBody.self).tags == ["tender", "vip"])
            struct Linked: Decodable { let accountId: Int64? }
            #expect(try await client.get("/api/v1/contacts/\(person)", token: rep).json(Linked.self).accountId == original.id)
            #expect(try await client.get("/api/v1/orders/\(order)", token: rep).json(Linked.self).accountId == original.id)
            #expect(try await client.get("/api/v1/accounts/\(duplicate.id)", token: rep).status == .notFound)
            let hidden = try await client.post("/api/v1/accounts/\(original.id)/merge", json: ["from": try theirs.json(AccountBody.self).id],
                                               token: rep)
            #expect(try hidden.problem().errors?.map(\.field) == ["from"])
        }
    }
}
