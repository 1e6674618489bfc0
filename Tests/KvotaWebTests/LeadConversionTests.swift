import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `POST /leads/ID/convert`: a lead becomes an account, a contact and a deal in one transaction, or nothing changes.
@Suite struct LeadConversionTests {
    struct NewLead: Encodable {
        var source = "web_form"
        var name = "Karin Holm"
        var companyName: String? = "Nordic Tools AB"
        var phone: String? = "070-123 45 67"
        var email: String? = "karin@nordictools.example"
        var message: String? = "Need a quote for 200 hammers\nand some nails"
    }

    struct LeadBody: Decodable { let id: Int64; let status: String; let accountId: Int64?; let contactId: Int64?; let version: Int64 }

    struct Converted: Decodable {
        struct Deal: Decodable { let id: Int64; let title: String; let leadId: Int64?; let ownerId: Int64; let contactId: Int64?; let amountMinor: Int64 }
        let lead: LeadBody
        let accountId: Int64
        let accountCreated: Bool
        let contactId: Int64?
        let contactCreated: Bool
        let deal: Deal?
    }

    struct AccountBody: Decodable { let id: Int64; let name: String; let ownerId: Int64? }

    struct DealPart: Encodable { var amountMinor: Int64?; var currency: String? }

    struct Conversion: Encodable {
        var accountId: Int64?
        var contactId: Int64?
        var createDeal: Bool?
        var deal: DealPart?
    }

    @Test(arguments: TestDatabase.engines)
    func aLeadBecomesAnAccountAContactAndADeal(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            _ = try await TestRecords.make(org.database)  // a pipeline for the deal
            let rep = try await client.token(for: org.rep)
            let lead = try await client.post("/api/v1/leads", json: NewLead(), token: rep).json(LeadBody.self)
            let response = try await client.post("/api/v1/leads/\(lead.id)/convert",
                                                 json: Conversion(deal: DealPart(amountMinor: 1_500_000, currency: "SEK")), token: rep)
            #expect(response.status == .ok && response.headers[.eTag] == "\"\(lead.version + 1)\"")
            let converted = try response.json(Converted.self)
            #expect(converted.accountCreated && converted.contactCreated)
            #expect(converted.lead.status == "converted" && converted.lead.accountId == converted.accountId
                    && converted.lead.contactId == converted.contactId)
            let deal = try #require(converted.deal)
            #expect(deal.title == "Nordic Tools AB: Need a quote for 200 hammers" && deal.leadId == lead.id)
            #expect(deal.ownerId == org.rep.id.rawValue && deal.contactId == converted.contactId && deal.amountMinor == 1_500_000)
            let account = try await client.get("/api/v1/accounts/\(converted.accountId)", token: rep).json(AccountBody.self)
            #expect(account.name == "Nordic Tools AB" && account.ownerId == org.rep.id.rawValue)

            let again = try await client.post("/api/v1/leads/\(lead.id)/convert", json: Conversion(), token: rep)
            #expect(try again.problem().errors?.map(\.field) == ["status"])
            let stranger = try await client.token(for: org.stranger)
            #expect(try await client.post("/api/v1/leads/\(lead.id)/convert", json: Conversion(), token: stranger).status == .notFound)
            let trail = try await org.database.auditTrail(entity: "lead", id: lead.id)
            #expect(trail.last?.changes.contains { $0.field == "converted" && $0.new?.contains("deal \(deal.id)") == true } == true)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aKnownPersonAtAnExistingAccountIsLinkedNotCopied(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let rep = try await client.token(for: org.rep)
            let account = try await records.account(owner: org.rep.id, name: "Nordic Tools AB")
            let karin = try await client.post("/api/v1/contacts", json: ContactsBody(accountId: account), token: rep).json(AccountBody.self)
            let lead = try await client.post("/api/v1/leads", json: NewLead(phone: "+46 70 123 45 67"), token: rep).json(LeadBody.self)
            let converted = try await client.post("/api/v1/leads/\(lead.id)/convert", json: Conversion(accountId: account, createDeal: false),
                                                  token: rep).json(Converted.self)
            #expect(!converted.accountCreated && !converted.contactCreated && converted.contactId == karin.id && converted.deal == nil,
                    "the same phone in another format is the same person")

            let strangers = try await records.account(owner: org.stranger.id)
            let other = try await client.post("/api/v1/leads", json: NewLead(), token: rep).json(LeadBody.self)
            let hidden = try await client.post("/api/v1/leads/\(other.id)/convert", json: Conversion(accountId: strangers), token: rep)
            #expect(try hidden.problem().errors?.map(\.field) == ["accountId"])
        }
    }

    struct ContactsBody: Encodable {
        let accountId: Int64
        var name = "Karin Holm"
        var phone = "0701234567"
    }

    @Test(arguments: TestDatabase.engines)
    func aConversionThatFailsLeavesNothingBehind(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            _ = try await TestRecords.make(org.database)
            let rep = try await client.token(for: org.rep)
            let lead = try await client.post("/api/v1/leads", json: NewLead(), token: rep).json(LeadBody.self)
            let counts = try await org.database.tableCounts()
            let failed = try await client.post("/api/v1/leads/\(lead.id)/convert",
                                               json: Conversion(deal: DealPart(amountMinor: -5, currency: "SEK")), token: rep)
            #expect(try failed.problem().errors?.map(\.field) == ["deal.amountMinor"])
            let badCurrency = try await client.post("/api/v1/leads/\(lead.id)/convert",
                                                    json: Conversion(deal: DealPart(amountMinor: 5, currency: "kronor")), token: rep)
            #expect(try badCurrency.problem().errors?.map(\.field) == ["deal.currency"])
            #expect(try await org.database.tableCounts() == counts, "no account, contact or deal was left behind")
            #expect(try await client.get("/api/v1/leads/\(lead.id)", token: rep).json(LeadBody.self).status == "new")
        }
    }
}
