import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// Inbound requests through the API with an integration token (issue 9): de-duplicated to customers and open leads,
/// given owners by the assignment rules (region, source, round-robin on shift), messenger conversations kept together,
/// bad requests named. Both engines.
@Suite struct InboundAPITests {
    struct Receipt: Decodable {
        let requestId: Int64; let leadId: Int64; let outcome: String; let ownerId: Int64?; let assignedBy: String; let ruleId: Int64?
        let contactId: Int64?; let accountId: Int64?
    }
    struct Made: Decodable { let id: Int64 }
    struct Lead: Decodable {
        let source: String; let name: String; let phone: String?; let utmSource: String?; let utmMedium: String?; let utmCampaign: String?
        let pageUrl: String?; let channel: String?; let regionId: Int64?; let ownerId: Int64?; let accountId: Int64?
    }

    @Test(arguments: TestDatabase.engines)
    func requestsAreDeduplicatedAndAssignedByTheRules(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let admin = try await client.token(for: org.admin)
            let site = try await client.post("/api/v1/tokens", json: ["name": "Website", "scope": "integration"], token: admin)
                .json(TokenSignInTests.CreatedToken.self).token!
            func lead(_ body: [String: Any]) async throws -> TestResponse { try await PayAPITests.post(client, "/api/v1/inbound/leads", body, token: site) }

            // No rules yet: a stranger's request waits in the pool.
            let first = try await lead(["name": "Karin Holm", "phone": "070-123 45 67", "message": "Price for 40 units?",
                                        "pageUrl": "https://shop.example.com/?utm_source=google&utm_medium=cpc&utm_campaign=winter"])
            #expect(first.status == .created, "\(first.text)")
            let pooled = try first.json(Receipt.self)
            #expect(pooled.outcome == "new_lead" && pooled.ownerId == nil && pooled.assignedBy == "none")
            let stored = try await client.get("/api/v1/leads/\(pooled.leadId)", token: admin).json(Lead.self)
            #expect(stored.source == "web_form" && stored.phone == "+46701234567" && stored.utmSource == "google" && stored.utmCampaign == "winter")
            #expect(stored.utmMedium == "cpc" && stored.pageUrl?.hasPrefix("https://shop.example.com/") == true)

            // Rules: Stockholm (a sub-region of Sweden) to Tove; Sweden to team A in turns; messengers to Rita.
            let (sweden, stockholm) = try await org.database.write { sql in
                let se = try await sql.raw("INSERT INTO regions (code, name) VALUES ('SE', 'Sweden') RETURNING id").first()!.decode(column: "id", as: Int64.self)
                let sto = try await sql.raw("INSERT INTO regions (parent_id, code, name) VALUES (\(bind: se), 'SE-AB', 'Stockholm') RETURNING id").first()!
                    .decode(column: "id", as: Int64.self)
                return (se, sto)
            }
            func rule(_ body: [String: Any]) async throws -> Int64 {
                let made = try await PayAPITests.post(client, "/api/v1/assignment-rules", body, token: admin)
                #expect(made.status == .created, "\(made.text)")
                return try made.json(Made.self).id
            }
            let toTove = try await rule(["kind": "region", "regionId": stockholm, "userId": org.teammate.id.rawValue])
            let toTeam = try await rule(["kind": "region", "regionId": sweden, "teamId": org.teamA.id.rawValue])
            let toRita = try await rule(["kind": "source", "source": "messenger", "userId": org.rep.id.rawValue])
            let badRule = try await PayAPITests.post(client, "/api/v1/assignment-rules", ["kind": "region", "userId": 1, "teamId": 1], token: admin)
            #expect(badRule.status == .unprocessableContent && badRule.text.contains("\"regionId\"") && badRule.text.contains("\"userId\""))
            #expect(try await PayAPITests.post(client, "/api/v1/assignment-rules", ["kind": "any", "userId": org.rep.id.rawValue],
                                               token: try await client.token(for: org.head)).status == .forbidden)

            let stockholmLead = try await lead(["name": "Ola", "email": "ola@example.se", "region": "se-ab"]).json(Receipt.self)
            #expect(stockholmLead.ownerId == org.teammate.id.rawValue && stockholmLead.ruleId == toTove)
            // Sweden's team rule deals in turns to the reps on shift: Rita, Tove, Rita…; off shift, Rita is passed over.
            var turns: [Int64?] = []
            for n in 1...3 { turns.append(try await lead(["email": "buyer\(n)@example.se", "region": "SE"]).json(Receipt.self).ownerId) }
            #expect(turns == [org.rep.id.rawValue, org.teammate.id.rawValue, org.rep.id.rawValue])
            let rita = try await client.token(for: org.rep)
            let offShift = try await client.send(.put, "/api/v1/users/\(org.rep.id.rawValue)/shift", json: ["onShift": false], token: rita)
            #expect(offShift.status == .ok)
            #expect(try await lead(["email": "buyer4@example.se", "region": "SE"]).json(Receipt.self).ownerId == org.teammate.id.rawValue)
            #expect(try await lead(["email": "buyer5@example.se", "region": "SE"]).json(Receipt.self).ownerId == org.teammate.id.rawValue)

            // A known customer's contact goes to the account's owner, linked to the account, whatever the rules say.
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.stranger.id, name: "Nordic Tools")
            let contact = try await records.contact(account: account, name: "Per")
            try await org.database.write { sql in
                try await sql.raw("UPDATE contacts SET email = 'per@nordic.example' WHERE id = \(bind: contact)").run()
            }
            let customer = try await lead(["name": "Per", "email": "PER@nordic.example", "region": "SE"]).json(Receipt.self)
            #expect(customer.outcome == "customer_lead" && customer.ownerId == org.stranger.id.rawValue && customer.assignedBy == "existing_owner")
            #expect(customer.accountId == account && customer.contactId == contact)
            // The same person again while the lead is open: the same lead, no new one.
            let again = try await lead(["email": "per@nordic.example", "message": "Any news?"]).json(Receipt.self)
            #expect(again.outcome == "open_lead" && again.leadId == customer.leadId)
            // The pooled first request gets its owner when its sender writes again (Karin's number; Stockholm).
            let repeatKarin = try await lead(["phone": "+46701234567", "region": "SE-AB"]).json(Receipt.self)
            #expect(repeatKarin.leadId == pooled.leadId && repeatKarin.ownerId == org.teammate.id.rawValue && repeatKarin.ruleId == toTove)

            // A messenger: the first message opens a lead for Rita (the rule names her; on or off shift matters: back on);
            // the next joins it.
            _ = try await client.send(.put, "/api/v1/users/\(org.rep.id.rawValue)/shift", json: ["onShift": true], token: rita)
            func message(_ body: [String: Any]) async throws -> TestResponse {
                try await PayAPITests.post(client, "/api/v1/inbound/messages", body, token: site)
            }
            let opened = try await message(["channel": "telegram", "senderId": "551234", "name": "Lena", "text": "Hi! Do you deliver to Malmö?"])
            #expect(opened.status == .created, "\(opened.text)")
            let chat = try opened.json(Receipt.self)
            #expect(chat.outcome == "new_lead" && chat.ownerId == org.rep.id.rawValue && chat.ruleId == toRita)
            let followUp = try await message(["channel": "telegram", "senderId": "551234", "text": "And to Lund?"]).json(Receipt.self)
            #expect(followUp.outcome == "open_lead" && followUp.leadId == chat.leadId)
            let chatLead = try await client.get("/api/v1/leads/\(chat.leadId)", token: admin).json(Lead.self)
            #expect(chatLead.source == "messenger" && chatLead.name == "Lena" && chatLead.channel == "telegram")
            let log = try await org.database.read { sql in
                try await sql.raw("SELECT text FROM inbound_requests WHERE lead_id = \(bind: chat.leadId) ORDER BY id").all()
                    .map { try $0.decode(column: "text", as: String.self) }
            }
            #expect(log == ["Hi! Do you deliver to Malmö?", "And to Lund?"])
            struct Records: Decodable { struct Record: Decodable { let text: String?; let channel: String; let outcome: String }; let items: [Record] }
            let conversation = try await client.get("/api/v1/leads/\(chat.leadId)/requests", token: rita).json(Records.self).items
            #expect(conversation.map(\.outcome) == ["new_lead", "open_lead"] && conversation.allSatisfy { $0.channel == "telegram" })
            #expect(try await client.get("/api/v1/leads/\(chat.leadId)/requests", token: try await client.token(for: org.stranger)).status == .notFound)

            // Bad requests are named, field by field, and leave nothing behind.
            let before = try await org.database.read { sql in try await sql.raw("SELECT COUNT(*) AS n FROM leads").first()!.decode(column: "n", as: Int.self) }
            let bad = try await lead(["name": "Nobody", "email": "not-an-address", "region": "XX", "pageUrl": "ftp://x"])
            #expect(bad.status == .unprocessableContent)
            for field in ["\"email\"", "\"region\"", "\"pageUrl\""] { #expect(bad.text.contains(field), "\(field): \(bad.text)") }
            let unreachable = try await lead(["name": "Nobody"])
            #expect(unreachable.status == .unprocessableContent && unreachable.text.contains("\"phone\""))
            let noText = try await message(["channel": "telegram", "senderId": "1"])
            #expect(noText.status == .unprocessableContent && noText.text.contains("\"text\""))
            let after = try await org.database.read { sql in try await sql.raw("SELECT COUNT(*) AS n FROM leads").first()!.decode(column: "n", as: Int.self) }
            #expect(after == before)
            // Only an admin's token may post requests; the integration token reaches nothing else.
            #expect(try await PayAPITests.post(client, "/api/v1/inbound/leads", ["email": "x@example.com"], token: rita).status == .forbidden)
            #expect(try await client.get("/api/v1/leads", token: site).status == .forbidden)
            // A rule that assigned requests is retired, not deleted.
            #expect(try await client.delete("/api/v1/assignment-rules/\(toTeam)", token: admin).status == .noContent)
            struct Rules: Decodable { struct Rule: Decodable { let id: Int64; let active: Bool }; let items: [Rule] }
            let rules = try await client.get("/api/v1/assignment-rules", token: rita).json(Rules.self).items
            #expect(rules.first { $0.id == toTeam }?.active == false && rules.count == 3)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func shiftsAreSwitchedByThePersonTheirHeadOrAnAdmin(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            struct Shift: Decodable { let onShift: Bool }
            let rita = try await client.token(for: org.rep), head = try await client.token(for: org.head)
            let path = "/api/v1/users/\(org.teammate.id.rawValue)/shift"
            #expect(try await client.send(.put, path, json: ["onShift": false], token: rita).status == .notFound, "Rita cannot see Tove's shift")
            #expect(try await client.send(.put, path, json: ["onShift": false], token: head).status == .ok)
            #expect(try await client.get(path, token: head).json(Shift.self).onShift == false)
            let stranger = "/api/v1/users/\(org.stranger.id.rawValue)/shift"
            #expect(try await client.send(.put, stranger, json: ["onShift": false], token: head).status == .notFound, "not the head's team")
            #expect(try await client.send(.put, stranger, json: ["onShift": false], token: try await client.token(for: org.admin)).status == .ok)
            let missing = try await client.send(.put, path, json: [String: Bool](), token: head)
            #expect(missing.status == .unprocessableContent && missing.text.contains("\"onShift\""))
            let misnamed = try await client.send(.put, path, json: ["on": true], token: head)
            #expect(misnamed.status == .unprocessableContent && misnamed.text.contains("\"on\""))
        }
    }
}
