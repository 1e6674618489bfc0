import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `/api/v1/activities`: calls carry call details, tasks are done and reopened, and the first outbound contact sets a
/// lead's first-response time.
@Suite struct ActivitiesAPITests {
    struct ActivityBody: Decodable {
        let id: Int64
        let kind: String
        let doneAt: Date?
        let externalNumber: String?
        let talkSeconds: Int?
    }

    struct LeadBody: Decodable {
        let firstResponseAt: Date?
    }

    struct NewActivity: Encodable {
        var kind: String?
        var subject: String? = "Follow-up"
        var leadId: Int64?
        var accountId: Int64?
        var occurredAt: Date?
        var callDirection: String?
        var callDisposition: String?
        var externalNumber: String?
        var talkSeconds: Int?
    }

    @Test(arguments: TestDatabase.engines)
    func theFirstOutboundCallOnALeadSetsItsFirstResponseTime(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let rep = try await client.token(for: org.rep)
            let lead = try await client.post("/api/v1/leads", json: ["source": "web_form", "name": "Visitor"], token: rep)
                .json(IDOnly.self).id
            let t0 = org.clock.now
            // A note and an inbound call are not a response.
            _ = try await client.post("/api/v1/activities", json: NewActivity(kind: "note", leadId: lead, occurredAt: t0.addingTimeInterval(60)), token: rep)
            _ = try await client.post("/api/v1/activities", json: NewActivity(kind: "call", leadId: lead, occurredAt: t0.addingTimeInterval(120),
                                                                              callDirection: "inbound", callDisposition: "missed"), token: rep)
            #expect(try await client.get("/api/v1/leads/\(lead)", token: rep).json(LeadBody.self).firstResponseAt == nil)
            let call = try await client.post("/api/v1/activities", json: NewActivity(kind: "call", leadId: lead, occurredAt: t0.addingTimeInterval(600),
                                                                                      callDirection: "outbound", callDisposition: "answered",
                                                                                      externalNumber: "070 123 45 67", talkSeconds: 95), token: rep)
            #expect(call.status == .created)
            #expect(try call.json(ActivityBody.self).externalNumber == "+46701234567")
            _ = try await client.post("/api/v1/activities", json: NewActivity(kind: "meeting", leadId: lead, occurredAt: t0.addingTimeInterval(900)), token: rep)
            #expect(try await client.get("/api/v1/leads/\(lead)", token: rep).json(LeadBody.self).firstResponseAt == t0.addingTimeInterval(600))
        }
    }

    struct IDOnly: Decodable { let id: Int64 }

    @Test(arguments: TestDatabase.engines)
    func callsNeedTheirDetailsAndOnlyCallsHaveThem(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            let rep = try await client.token(for: org.rep)
            let call = try await client.post("/api/v1/activities", json: NewActivity(kind: "call", accountId: account, talkSeconds: -1), token: rep)
            #expect(Set(try call.problem().errors?.map(\.field) ?? []) == ["callDirection", "callDisposition", "talkSeconds"])
            let note = try await client.post("/api/v1/activities", json: NewActivity(kind: "note", accountId: account, talkSeconds: 5), token: rep)
            #expect(try note.problem().errors?.map(\.field) == ["kind"])
            // What happened with a customer is about a record; only a task (an internal to-do) may stand alone.
            let loose = try await client.post("/api/v1/activities", json: NewActivity(kind: "note"), token: rep)
            #expect(try loose.problem().errors?.map(\.field) == ["accountId"])

            let task = try await client.post("/api/v1/activities", json: NewActivity(kind: "task", accountId: account), token: rep).json(IDOnly.self)
            let done = try await client.send(.patch, "/api/v1/activities/\(task.id)", json: ["done": true], token: rep).json(ActivityBody.self)
            #expect(done.doneAt == org.clock.now)
            let open = try await client.get("/api/v1/activities?kind=task&done=false", token: rep).json(Items.self)
            #expect(open.items.isEmpty)
            let reopened = try await client.send(.patch, "/api/v1/activities/\(task.id)", json: ["done": false], token: rep).json(ActivityBody.self)
            #expect(reopened.doneAt == nil)
            #expect(try await client.get("/api/v1/activities?kind=task&done=false", token: rep).json(Items.self).items.map(\.id) == [task.id])
            #expect(try await client.post("/api/v1/activities", json: NewActivity(kind: "task"), token: rep).status == .created)
            let kindChange = try await client.send(.patch, "/api/v1/activities/\(task.id)", json: ["kind": "note"], token: rep)
            #expect(try kindChange.problem().errors?.map(\.field) == ["kind"])
        }
    }

    struct Items: Decodable {
        let items: [ActivityBody]
    }
}
