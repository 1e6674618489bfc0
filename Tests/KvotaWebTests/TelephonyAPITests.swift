import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `POST /api/v1/telephony/events`, the generic webhook of a hosted PBX, with an integration token: a call's events in
/// any order make one call once `ended` has come; a repeat changes nothing; bad events are named. Both engines.
@Suite struct TelephonyAPITests {
    struct Answer: Decodable { let callId: String; let duplicate: Bool; let recorded: Bool; let activityId: Int64?; let leadId: Int64? }

    @Test(arguments: TestDatabase.engines)
    func eventsInAnyOrderMakeOneCall(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            try await org.database.write { sql in
                try await sql.raw("UPDATE users SET phone_extension = '101' WHERE id = \(bind: org.rep.id.rawValue)").run()
            }
            let admin = try await client.token(for: org.admin)
            let pbx = try await client.post("/api/v1/tokens", json: ["name": "Hosted PBX", "scope": "integration"], token: admin)
                .json(TokenSignInTests.CreatedToken.self).token!
            func send(_ body: [String: Any]) async throws -> TestResponse {
                try await PayAPITests.post(client, "/api/v1/telephony/events", body, token: pbx)
            }
            // The answer arrives first, then the end, then the ringing, then the end again.
            let answered = try await send(["callId": "c-1", "event": "answered", "at": "2026-11-17T09:00:05Z", "extension": "101"])
            #expect(try answered.status == .accepted && answered.json(Answer.self).recorded == false)
            let ended = try await send(["callId": "c-1", "event": "ended", "at": "2026-11-17T09:02:05Z"])
            #expect(try ended.json(Answer.self).recorded == false, "no number yet: the ringing has not come")
            let ringing = try await send(["callId": "c-1", "event": "ringing", "at": "2026-11-17T09:00:00Z", "direction": "inbound",
                                          "customer": "070-123 45 67", "callerName": "Karin", "line": "0812345678", "extension": "101"])
            let made = try ringing.json(Answer.self)
            #expect(made.recorded && made.activityId != nil && made.leadId != nil)
            let again = try await send(["callId": "c-1", "event": "ended", "at": "2026-11-17T09:02:05Z"])
            #expect(try again.json(Answer.self).duplicate)
            let call = try await org.database.read { sql in
                try await sql.raw("""
                    SELECT a.owner_id, a.call_disposition, a.talk_seconds, a.external_number, l.name FROM activities a JOIN leads l ON l.id = a.lead_id
                    WHERE a.kind = 'call'
                    """).all()
            }
            #expect(call.count == 1)
            #expect(try call[0].decode(column: "owner_id", as: Int64.self) == org.rep.id.rawValue)
            #expect(try call[0].decode(column: "talk_seconds", as: Int.self) == 120 && call[0].decode(column: "call_disposition", as: String.self) == "answered")
            #expect(try call[0].decode(column: "external_number", as: String.self) == "+46701234567" && call[0].decode(column: "name", as: String.self) == "Karin")

            // A missed call from the same number: a callback task for Rita, on the lead.
            _ = try await send(["callId": "c-2", "event": "ringing", "at": "2026-11-17T10:00:00Z", "customer": "+46701234567", "extension": "101"])
            let missed = try await send(["callId": "c-2", "event": "ended", "at": "2026-11-17T10:00:20Z", "disposition": "no_answer"])
            #expect(try missed.json(Answer.self).leadId == made.leadId, "the open lead with the number, not a new one")
            let tasks = try await org.database.read { sql in
                try await sql.raw("SELECT owner_id FROM activities WHERE kind = 'task' AND subject LIKE 'Call back%'").all()
            }
            #expect(tasks.count == 1)

            // Bad events are named; a user's full token works too, a read-only one does not.
            let bad = try await send(["callId": "", "event": "hung_up", "talkSeconds": -5])
            #expect(bad.status == .unprocessableContent)
            for field in ["\"event\"", "\"at\""] { #expect(bad.text.contains(field), "\(field)") }
            let noNumber = try await send(["callId": "c-3", "event": "ringing", "at": "2026-11-17T11:00:00Z"])
            #expect(noNumber.status == .unprocessableContent && noNumber.text.contains("\"customer\""))
            #expect(try await client.get("/api/v1/deals", token: pbx).status == .forbidden, "an integration token reaches only its endpoints")

            // A call on an extension nobody has waits for an admin, who gives it to Tove; the call becomes hers.
            _ = try await send(["callId": "c-4", "event": "ringing", "at": "2026-11-17T12:00:00Z", "customer": "+46701234567", "extension": "305"])
            _ = try await send(["callId": "c-4", "event": "answered", "at": "2026-11-17T12:00:04Z", "extension": "305"])
            _ = try await send(["callId": "c-4", "event": "ended", "at": "2026-11-17T12:01:04Z"])
            struct Unmapped: Decodable { struct Item: Decodable { let `extension`: String; let calls: Int }; let items: [Item] }
            let waiting = try await client.get("/api/v1/telephony/unmapped", token: admin).json(Unmapped.self)
            #expect(waiting.items.map(\.extension) == ["305"] && waiting.items.first?.calls == 1)
            #expect(try await client.get("/api/v1/telephony/unmapped", token: try await client.token(for: org.head)).status == .forbidden)
            let taken = try await PayAPITests.post(client, "/api/v1/telephony/unmapped/101", ["userId": org.teammate.id.rawValue], token: admin)
            #expect(taken.status == .unprocessableContent && taken.text.contains("extension 101 belongs to user"))
            let mapped = try await PayAPITests.post(client, "/api/v1/telephony/unmapped/305", ["userId": org.teammate.id.rawValue], token: admin)
            #expect(mapped.status == .ok && mapped.text.contains("\"calls\":1"), "\(mapped.text)")
            #expect(try await client.get("/api/v1/telephony/unmapped", token: admin).json(Unmapped.self).items.isEmpty)
            let toves = try await org.database.read { sql in
                try await sql.raw("SELECT talk_seconds FROM activities WHERE kind = 'call' AND owner_id = \(bind: org.teammate.id.rawValue)").all()
            }
            #expect(try toves.map { try $0.decode(column: "talk_seconds", as: Int.self) } == [60])
        }
    }
}
