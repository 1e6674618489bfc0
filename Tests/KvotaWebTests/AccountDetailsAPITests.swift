import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// What a rep keeps about a customer: tags, notes and addresses on accounts; every phone, email and handle of a contact.
@Suite struct AccountDetailsAPITests {
    struct Address: Codable, Equatable { var kind: String; var street: String?; var postcode: String?; var city: String?; var country: String? }

    struct AccountBody: Decodable { let id: Int64; let tags: [String]; let notes: String?; let addresses: [Address] }

    struct NewAccount: Encodable { let name: String; var tags: [String]?; var notes: String?; var addresses: [Address]? }

    struct Items<Item: Decodable>: Decodable { let items: [Item] }

    @Test(arguments: TestDatabase.engines)
    func accountsCarryTagsNotesAndAddresses(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let rep = try await client.token(for: org.rep)
            let made = try await client.post("/api/v1/accounts", json: NewAccount(
                name: "Nordic Tools AB", tags: ["VIP", " vip", "Tender"], notes: "Prefers calls before 10.",
                addresses: [Address(kind: "shipping", street: "Hamngatan 4", postcode: "411 14", city: "Göteborg", country: "se")]), token: rep)
            #expect(made.status == .created)
            let account = try made.json(AccountBody.self)
            #expect(account.tags == ["tender", "vip"] && account.notes == "Prefers calls before 10.")
            #expect(account.addresses == [Address(kind: "shipping", street: "Hamngatan 4", postcode: "411 14", city: "Göteborg", country: "SE")])
            _ = try await client.post("/api/v1/accounts", json: NewAccount(name: "Other AB"), token: rep)

            let tagged = try await client.get("/api/v1/accounts?tag=VIP", token: rep).json(Items<AccountBody>.self).items
            #expect(tagged.map(\.id) == [account.id] && tagged[0].addresses.count == 1, "lists carry the details too")

            let bad = try await client.post("/api/v1/accounts", json: NewAccount(name: "Bad AB", addresses: [
                Address(kind: "home", city: "Umeå"), Address(kind: "billing", postcode: "123"), Address(kind: "legal", city: "Oslo", country: "Norway"),
            ]), token: rep)
            #expect(Set(try bad.problem().errors?.map(\.field) ?? []) == ["addresses[0].kind", "addresses[1]", "addresses[2].country"])

            let cleared = try await client.send(.patch, "/api/v1/accounts/\(account.id)", json: ["tags": [String]()], token: rep)
            #expect(try cleared.json(AccountBody.self).tags.isEmpty && cleared.headers[.eTag] == "\"2\"")
            #expect(try await client.get("/api/v1/accounts?tag=vip", token: rep).json(Items<AccountBody>.self).items.isEmpty)
            let trail = try await org.database.auditTrail(entity: "account", id: account.id)
            #expect(trail.last?.changes.contains { $0.field == "tags" && $0.old == "tender, vip" && $0.new == nil } == true)
        }
    }

    struct Channel: Codable, Equatable { var kind: String; var value: String; var label: String? }

    struct ContactBody: Decodable { let id: Int64; let phone: String?; let email: String?; let channels: [Channel] }

    struct NewContact: Encodable { let accountId: Int64; var name = "Karin Holm"; var channels: [Channel]? }

    @Test(arguments: TestDatabase.engines)
    func aContactHasEveryPhoneEmailAndHandle(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            let rep = try await client.token(for: org.rep)
            let made = try await client.post("/api/v1/contacts", json: NewContact(accountId: account, channels: [
                Channel(kind: "phone", value: "070-123 45 67", label: "mobile"), Channel(kind: "email", value: "Karin@Nordic.example"),
                Channel(kind: "telegram", value: " @karin_holm "), Channel(kind: "phone", value: "08-123 456 78", label: "office"),
            ]), token: rep).json(ContactBody.self)
            #expect(made.phone == "+46701234567" && made.email == "karin@nordic.example", "the first of each kind")
            #expect(made.channels == [Channel(kind: "phone", value: "+46701234567", label: "mobile"),
                                      Channel(kind: "email", value: "karin@nordic.example"), Channel(kind: "telegram", value: "@karin_holm"),
                                      Channel(kind: "phone", value: "+46812345678", label: "office")])

            struct Hit: Decodable { let id: Int64 }
            #expect(try await client.get("/api/v1/search?q=08-123%20456%2078", token: rep).json(Items<Hit>.self).items.map(\.id) == [made.id],
                    "found by its second phone")
            #expect(try await client.get("/api/v1/contacts?q=%2B46812345678", token: rep).json(Items<ContactBody>.self).items.map(\.id)
                    == [made.id])

            let newMobile = try await client.send(.patch, "/api/v1/contacts/\(made.id)", json: ["phone": "0709999999"], token: rep)
                .json(ContactBody.self)
            #expect(newMobile.phone == "+46709999999" && newMobile.channels.map(\.value).contains("+46812345678"),
                    "a single phone changes the first and keeps the office line")
            let bad = try await client.post("/api/v1/contacts", json: NewContact(accountId: account, channels: [
                Channel(kind: "pager", value: "123"), Channel(kind: "email", value: "not-an-address"), Channel(kind: "phone", value: "12"),
            ]), token: rep)
            #expect(Set(try bad.problem().errors?.map(\.field) ?? []) == ["channels[0].kind", "channels[1].value", "channels[2].value"])
        }
    }
}
