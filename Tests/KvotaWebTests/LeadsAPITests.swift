import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `/api/v1/leads`: statuses, the company day a lead arrived on, and newest-first paging.
@Suite struct LeadsAPITests {
    struct LeadBody: Decodable {
        let id: Int64
        let status: String
        let disqualifyReason: String?
        let ownerId: Int64?
        let phone: String?
    }

    struct Items: Decodable {
        let items: [LeadBody]
        let next: String?
    }

    struct NewLead: Encodable {
        var source: String? = "inbound_call"
        var name: String? = "Caller"
        var phone: String?
        var receivedAt: Date?
    }

    @Test(arguments: TestDatabase.engines)
    func aLeadIsTheRepsByDefaultAndNeedsAReasonToBeDisqualified(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let rep = try await client.token(for: org.rep)
            let created = try await client.post("/api/v1/leads", json: NewLead(phone: "08-123 456 78"), token: rep)
            #expect(created.status == .created)
            let lead = try created.json(LeadBody.self)
            #expect(lead.status == "new" && lead.ownerId == org.rep.id.rawValue && lead.phone == "+46812345678")

            let noReason = try await client.send(.patch, "/api/v1/leads/\(lead.id)", json: ["status": "disqualified"], token: rep)
            #expect(try noReason.problem().errors?.map(\.field) == ["disqualifyReason"])
            let converted = try await client.send(.patch, "/api/v1/leads/\(lead.id)", json: ["status": "converted"], token: rep)
            #expect(try converted.problem().errors?.map(\.field) == ["status"])
            let out = try await client.send(.patch, "/api/v1/leads/\(lead.id)",
                                            json: ["status": "disqualified", "disqualifyReason": "Not a target customer"], token: rep)
            #expect(try out.json(LeadBody.self).disqualifyReason == "not a target customer", "as the admin's list spells it")
            let back = try await client.send(.patch, "/api/v1/leads/\(lead.id)", json: ["status": "in_work"], token: rep)
            #expect(try back.json(LeadBody.self).disqualifyReason == nil, "the reason goes when the lead is back in work")

            let bad = try await client.post("/api/v1/leads", json: NewLead(source: "carrier pigeon", name: " "), token: rep)
            #expect(Set(try bad.problem().errors?.map(\.field) ?? []) == ["source", "name"])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func leadsListNewestFirstAndKeepTheCompanyDayTheyArrivedOn(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            // 23:30 UTC on 31 December is already 1 January in Stockholm.
            let newYear = ISO8601DateFormatter().date(from: "2026-12-31T23:30:00Z")!
            org.clock.advance(newYear.timeIntervalSince(org.clock.now) + 3600)
            let rep = try await client.token(for: org.rep)
            var ids: [Int64] = []
            for minutes in [0, 10, 20] {
                let body = NewLead(receivedAt: newYear.addingTimeInterval(Double(minutes) * 60))
                let response = try await client.post("/api/v1/leads", json: body, token: rep)
                #expect(response.status == .created, "\(response.text)")
                ids.append(try response.json(LeadBody.self).id)
            }
            let day = try await org.database.read { sql in
                try await sql.raw("SELECT received_on FROM leads WHERE id = \(bind: ids[0])").first()!.decode(column: "received_on", as: Int.self)
            }
            #expect(day == 20270101)
            let first = try await client.get("/api/v1/leads?limit=2", token: rep).json(Items.self)
            #expect(first.items.map(\.id) == [ids[2], ids[1]])
            let second = try await client.get("/api/v1/leads?limit=2&cursor=\(try #require(first.next))", token: rep).json(Items.self)
            #expect(second.items.map(\.id) == [ids[0]] && second.next == nil)
            let future = try await client.post("/api/v1/leads", json: NewLead(receivedAt: org.clock.now.addingTimeInterval(86_400)), token: rep)
            #expect(try future.problem().errors?.map(\.field) == ["receivedAt"])
        }
    }
}
