import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// Custom fields: admins define them per record kind; they are validated, filtered, exported and audited like built-in ones.
@Suite struct CustomFieldsAPITests {
    struct Field: Decodable { let id: Int64; let key: String; let options: [String]; let active: Bool }

    struct NewField: Encodable {
        let kind: String
        let key: String
        let label: String
        let type: String
        var options: [String]?
        var required: Bool?
    }

    struct AccountBody: Decodable { let id: Int64; let custom: [String: JSONValue] }

    struct NewAccount: Encodable { let name: String; var custom: [String: JSONValue]? }

    struct Items<Item: Decodable>: Decodable { let items: [Item] }

    @Test(arguments: TestDatabase.engines)
    func adminsDefineFieldsThatAreValidatedFilteredAndExported(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let admin = try await client.token(for: org.admin)
            let rep = try await client.token(for: org.rep)
            let fleet = try await client.post("/api/v1/custom-fields", json: NewField(kind: "account", key: "fleet_size", label: "Fleet size",
                                                                                      type: "number"), token: admin)
            #expect(fleet.status == .created)
            let tier = try await client.post("/api/v1/custom-fields", json: NewField(kind: "account", key: "tier", label: "Tier", type: "select",
                                                                                     options: ["Gold", "Silver"]), token: admin).json(Field.self)
            #expect(try await client.post("/api/v1/custom-fields", json: NewField(kind: "account", key: "x", label: "X", type: "text"),
                                          token: rep).status == .forbidden)
            let bad = try await client.post("/api/v1/custom-fields", json: NewField(kind: "order desk", key: "Fleet Size", label: "",
                                                                                    type: "select"), token: admin)
            #expect(Set(try bad.problem().errors?.map(\.field) ?? []) == ["kind", "key", "label", "options"])

            let made = try await client.post("/api/v1/accounts", json: NewAccount(name: "Nordic Tools AB", custom: [
                "fleet_size": .number(120), "tier": .string("gold")]), token: rep)
            let account = try made.json(AccountBody.self)
            #expect(account.custom == ["fleet_size": .number(120), "tier": .string("Gold")], "an option as the admin spelt it")
            _ = try await client.post("/api/v1/accounts", json: NewAccount(name: "Small Shop", custom: ["fleet_size": .number(3)]), token: rep)
            let wrong = try await client.post("/api/v1/accounts", json: NewAccount(name: "Wrong AB", custom: [
                "fleet_size": .string("many"), "tier": .string("Bronze"), "colour": .string("red")]), token: rep)
            #expect(Set(try wrong.problem().errors?.map(\.field) ?? []) == ["custom.fleet_size", "custom.tier", "custom.colour"])

            func names(_ query: String) async throws -> [Int64] {
                try await client.get("/api/v1/accounts?\(query)", token: rep).json(Items<AccountBody>.self).items.map(\.id)
            }
            #expect(try await names("custom.tier=GOLD") == [account.id])
            #expect(try await names("custom.fleet_size.from=100").count == 1)
            #expect(try await names("custom.fleet_size.to=50").count == 1)
            #expect(try await names("custom.fleet_size.from=10&custom.fleet_size.to=200") == [account.id])
            let unknown = try await client.get("/api/v1/accounts?custom.colour=red&custom.fleet_size.from=lots", token: rep)
            #expect(Set(try unknown.problem().errors?.map(\.field) ?? []) == ["custom.colour", "custom.fleet_size.from"])

            let csv = try await client.get("/api/v1/accounts?format=csv&custom.tier=Gold", token: rep).text
            #expect(csv.contains("custom.fleet_size,custom.tier\r\n") && csv.contains(",120,Gold\r\n"))

            let cleared = try await client.send(.patch, "/api/v1/accounts/\(account.id)", json: ["custom": ["fleet_size": JSONValue.null]],
                                                token: rep).json(AccountBody.self)
            #expect(cleared.custom == ["tier": .string("Gold")])
            let trail = try await org.database.auditTrail(entity: "account", id: account.id)
            #expect(trail.last?.changes.map(\.field) == ["custom.fleet_size"] && trail.last?.changes.first?.old == "120")

            let required = try await client.send(.patch, "/api/v1/custom-fields/\(tier.id)", json: ["required": true], token: admin)
            #expect(required.status == .ok)
            let missing = try await client.post("/api/v1/accounts", json: NewAccount(name: "No Tier AB"), token: rep)
            #expect(try missing.problem().errors?.map(\.field) == ["custom.tier"])
            #expect(try await client.send(.patch, "/api/v1/accounts/\(account.id)", json: ["segment": "key"], token: rep).status == .ok,
                    "changing other fields does not ask for it again")
            let dropGold = try await client.send(.patch, "/api/v1/custom-fields/\(tier.id)", json: ["options": ["Silver"]], token: admin)
            #expect(try dropGold.problem().errors?.map(\.field) == ["options"], "an option records hold stays")
            let delete = try await client.delete("/api/v1/custom-fields/\(tier.id)", token: admin)
            #expect(try delete.problem().errors?.last?.field == "active")
            #expect(try delete.problem().errors?.last?.reason == "set it to false to retire the custom field instead")
            let retired = try await client.send(.patch, "/api/v1/custom-fields/\(tier.id)", json: ["active": false], token: admin)
            #expect(try retired.json(Field.self).active == false)
            #expect(try await client.get("/api/v1/accounts/\(account.id)", token: rep).json(AccountBody.self).custom["tier"] == .string("Gold"),
                    "a retired field's values stay")
            let export = try await client.get("/api/v1/accounts?format=csv", token: rep).text
            #expect(!export.contains("custom.tier"), "and are not exported")
        }
    }

    struct Body: Decodable { let id: Int64; let custom: [String: JSONValue] }

    @Test(arguments: TestDatabase.engines)
    func contactsLeadsAndDealsCarryTheirOwn(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            let admin = try await client.token(for: org.admin)
            let rep = try await client.token(for: org.rep)
            for field in [NewField(kind: "contact", key: "languages", label: "Languages", type: "multiselect", options: ["sv", "en", "ru"]),
                          NewField(kind: "lead", key: "newsletter", label: "Newsletter", type: "boolean"),
                          NewField(kind: "deal", key: "tender_date", label: "Tender date", type: "date"),
                          NewField(kind: "deal", key: "budget", label: "Budget", type: "money")] {
                #expect(try await client.post("/api/v1/custom-fields", json: field, token: admin).status == .created)
            }
            struct NewContact: Encodable { let accountId: Int64; let name: String; let custom: [String: JSONValue] }
            let contact = try await client.post("/api/v1/contacts", json: NewContact(accountId: account, name: "Karin", custom: [
                "languages": .array([.string("EN"), .string("sv"), .string("en")])]), token: rep).json(Body.self)
            #expect(contact.custom == ["languages": .array([.string("en"), .string("sv")])])
            #expect(try await client.get("/api/v1/contacts?custom.languages=sv", token: rep).json(Items<Body>.self).items.map(\.id) == [contact.id])

            struct NewLead: Encodable { var source = "web_form"; let name: String; let custom: [String: JSONValue] }
            let lead = try await client.post("/api/v1/leads", json: NewLead(name: "Web visitor", custom: ["newsletter": .bool(true)]), token: rep)
                .json(Body.self)
            #expect(try await client.get("/api/v1/leads/\(lead.id)", token: rep).json(Body.self).custom == ["newsletter": .bool(true)])

            struct NewDeal: Encodable { let title: String; let accountId: Int64; let custom: [String: JSONValue] }
            let deal = try await client.post("/api/v1/deals", json: NewDeal(title: "Cranes", accountId: account, custom: [
                "tender_date": .string("2026-12-15"), "budget": .number(5_000_000)]), token: rep).json(Body.self)
            #expect(try await client.get("/api/v1/deals?custom.tender_date.from=2026-12-01&custom.tender_date.to=2026-12-31", token: rep)
                .json(Items<Body>.self).items.map(\.id) == [deal.id])
            #expect(try await client.get("/api/v1/deals?custom.tender_date.from=2027-01-01", token: rep).json(Items<Body>.self).items.isEmpty)
            let badMoney = try await client.post("/api/v1/deals", json: NewDeal(title: "X", accountId: account, custom: [
                "budget": .number(10.5), "tender_date": .string("15.12.2026")]), token: rep)
            #expect(Set(try badMoney.problem().errors?.map(\.field) ?? []) == ["custom.budget", "custom.tender_date"])
        }
    }

    struct WithCustom: Decodable { let id: Int64; let custom: [String: JSONValue] }
    struct WithID: Decodable { let id: Int64 }

    /// Products, orders and activities carry custom fields as the other kinds do: validated, read back, filtered,
    /// exported and audited.
    @Test(arguments: TestDatabase.engines)
    func productsOrdersAndActivitiesCarryCustomFields(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let admin = try await client.token(for: org.admin)
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.admin.id)
            let category = try await client.post("/api/v1/product-categories", json: ["name": "Tools"], token: admin).json(WithID.self).id
            for (kind, key, type) in [("product", "warranty_months", "number"), ("order", "po_number", "text"),
                                      ("activity", "meeting_room", "select")] {
                var field = NewField(kind: kind, key: key, label: key, type: type)
                if type == "select" { field.options = ["Kiruna", "Luleå"] }
                #expect(try await client.post("/api/v1/custom-fields", json: field, token: admin).status == .created, "\(kind)")
            }
            struct NewProduct: Encodable { let sku = "DRL-1"; let name = "Drill"; let categoryId: Int64; let priceMinor = 9_900
                                           let currency = "EUR"; let custom: [String: JSONValue] }
            struct NewOrder: Encodable { let accountId: Int64; let custom: [String: JSONValue] }
            struct NewActivity: Encodable { let kind = "meeting"; let subject = "Demo"; let accountId: Int64; let custom: [String: JSONValue] }

            let product = try await client.post("/api/v1/products", json: NewProduct(categoryId: category, custom: ["warranty_months": .number(24)]),
                                                token: admin)
            #expect(try product.json(WithCustom.self).custom == ["warranty_months": .number(24)])
            let order = try await client.post("/api/v1/orders", json: NewOrder(accountId: account, custom: ["po_number": .string("PO-77")]),
                                              token: admin).json(WithCustom.self)
            #expect(order.custom == ["po_number": .string("PO-77")])
            let meeting = try await client.post("/api/v1/activities", json: NewActivity(accountId: account, custom: ["meeting_room": .string("luleå")]),
                                                token: admin).json(WithCustom.self)
            #expect(meeting.custom == ["meeting_room": .string("Luleå")], "an option in any case, stored as the list spells it")

            let bad = try await client.post("/api/v1/activities", json: NewActivity(accountId: account, custom: ["meeting_room": .string("Umeå")]),
                                            token: admin)
            #expect(bad.status == .unprocessableContent)
            #expect(try bad.problem().errors?.map(\.field) == ["custom.meeting_room"])
            #expect(try await client.get("/api/v1/orders?custom.po_number=PO-77", token: admin).json(Items<WithCustom>.self).items.map(\.id)
                    == [order.id])
            #expect(try await client.get("/api/v1/orders?custom.po_number=PO-78", token: admin).json(Items<WithCustom>.self).items.isEmpty)
            let csv = try await client.get("/api/v1/products?format=csv", token: admin).text
            #expect(csv.contains("custom.warranty_months\r\n") && csv.contains(",24\r\n"))
            let changed = try await client.send(.patch, "/api/v1/activities/\(meeting.id)", json: ["custom": ["meeting_room": "Kiruna"]],
                                                token: admin)
            #expect(try changed.json(WithCustom.self).custom == ["meeting_room": .string("Kiruna")])
            let trail = try await org.database.auditTrail(entity: "activity", id: meeting.id)
            #expect(trail.last?.changes == [AuditEntry.FieldChange("custom.meeting_room", old: "Luleå", new: "Kiruna")])
        }
    }
}
