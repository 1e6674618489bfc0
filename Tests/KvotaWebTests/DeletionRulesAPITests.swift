import Foundation
import HummingbirdTesting
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import SQLKit
import Testing

/// Deleting or merging a record that something points at: history refuses the delete naming it (where it used to
/// reach the database's foreign key and answer 500, as `DELETE /leads/{id}` of a lead from a web form did under
/// schemathesis), a link that can go is cleared, and a merge moves every kind of history.
@Suite struct DeletionRulesAPITests {
    @Test(arguments: TestDatabase.engines)
    func historyRefusesTheDeleteByNameAndNothingGoes(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            let contact = try await records.contact(account: account)
            let fromForm = try await records.lead(owner: org.rep.id)
            let rang = try await records.lead(owner: org.rep.id)
            try await Self.inboundRequest(lead: fromForm, contact: contact, account: account, in: org.database)
            _ = try await Self.call(lead: rang, activity: nil, callback: nil, in: org.database)
            let admin = try await client.token(for: org.admin)

            let refusals: [(String, [String])] = [
                ("/api/v1/leads/\(fromForm)", ["the lead keeps its history: inbound requests (1); it cannot be deleted"]),
                ("/api/v1/leads/\(rang)", ["the lead keeps its history: calls (1); it cannot be deleted"]),
                ("/api/v1/contacts/\(contact)", ["the contact keeps its history: inbound requests (1); it cannot be deleted"]),
                ("/api/v1/accounts/\(account)", ["the account keeps its history: contacts (1); it cannot be deleted",
                                                 "the account keeps its history: inbound requests (1); it cannot be deleted"]),
            ]
            for (path, reasons) in refusals {
                let answer = try await client.delete(path, token: admin)
                #expect(answer.status == .unprocessableContent, "\(path): \(answer.status) \(answer.text)")
                #expect(try answer.problem().errors?.map(\.reason) == reasons, "\(path)")
                #expect(try await client.get(path, token: admin).status == .ok, "\(path) stays")
            }

            try await org.database.write { sql in try await sql.raw("UPDATE users SET language = 'uk' WHERE id = \(bind: org.admin.id.rawValue)").run() }
            let inUkrainian = try await client.delete("/api/v1/leads/\(rang)", token: admin)
            #expect(try inUkrainian.problem().errors?.first?.reason == "запис «заявка» має історію: дзвінки (1); видалити його не можна")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aCallWrittenUpAsAnActivityStaysInTheLogWhenTheActivityGoes(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            let writeUp = try await records.task(owner: org.rep.id, account: account, done: true)
            let callBack = try await records.task(owner: org.rep.id, account: account)
            let answered = try await Self.call(lead: nil, activity: writeUp, callback: nil, in: org.database)
            let missed = try await Self.call(lead: nil, activity: nil, callback: callBack, in: org.database)
            let rep = try await client.token(for: org.rep)
            for activity in [writeUp, callBack] {
                let answer = try await client.delete("/api/v1/activities/\(activity)", token: rep)
                #expect(answer.status == .noContent, "\(answer.text)")
                #expect(try await client.get("/api/v1/activities/\(activity)", token: rep).status == .notFound)
            }
            let calls = try await org.database.read { sql in
                try await sql.raw("SELECT id, activity_id, callback_task_id FROM pbx_calls ORDER BY id").all().map {
                    [try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "activity_id", as: Int64?.self),
                     try $0.decode(column: "callback_task_id", as: Int64?.self)]
                }
            }
            #expect(calls == [[answered, nil, nil], [missed, nil, nil]], "both calls stay, without the activities")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aMergeMovesTheRequestsAndAPipelineKeepsTheStagesADealPassed(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id), copyAccount = try await records.account(owner: org.rep.id)
            let contact = try await records.contact(account: account), copy = try await records.contact(account: account)
            let lead = try await records.lead(owner: org.rep.id)
            try await Self.inboundRequest(lead: lead, contact: copy, account: copyAccount, in: org.database)
            let rep = try await client.token(for: org.rep)
            #expect(try await client.post("/api/v1/contacts/\(contact)/merge", json: ["from": copy], token: rep).status == .ok)
            #expect(try await client.post("/api/v1/accounts/\(account)/merge", json: ["from": copyAccount], token: rep).status == .ok)
            let request = try await org.database.read { sql in
                try await sql.raw("SELECT contact_id, account_id FROM inbound_requests").all().map {
                    [try $0.decode(column: "contact_id", as: Int64.self), try $0.decode(column: "account_id", as: Int64.self)]
                }
            }
            #expect(request == [[contact, account]])

            // A deal that passed a stage of another pipeline and moved on still names that stage in its history.
            let (pipeline, stage) = try await org.database.write { sql in
                let pipeline = try await sql.raw("INSERT INTO pipelines (name) VALUES ('Tenders') RETURNING id").first()!.decode(column: "id", as: Int64.self)
                let stage = try await sql.raw("""
                    INSERT INTO stages (pipeline_id, position, name, probability, outcome) VALUES (\(bind: pipeline), 1, 'Bid', 20, 'open') RETURNING id
                    """).first()!.decode(column: "id", as: Int64.self)
                return (pipeline, stage)
            }
            let deal = try await records.deal(account: account, owner: org.rep.id)
            try await org.database.write { sql in
                try await sql.raw("INSERT INTO deal_stage_history (deal_id, stage_id, entered_at) VALUES (\(bind: deal), \(bind: stage), 0)").run()
            }
            let director = try await client.token(for: org.director)
            let refused = try await client.delete("/api/v1/pipelines/\(pipeline)", token: director)
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            #expect(try refused.problem().errors?.first?.reason == "the pipeline keeps its history: stage changes (1); it cannot be deleted")
            #expect(try await client.get("/api/v1/pipelines", token: director).text.contains("Tenders"))
        }
    }

    static func inboundRequest(lead: Int64, contact: Int64?, account: Int64?, in database: Database) async throws {
        try await database.write { sql in
            try await sql.raw("""
                INSERT INTO inbound_requests (via, channel, sent_at, received_at, outcome, lead_id, contact_id, account_id)
                VALUES ('form', 'web', 0, 0, 'new_lead', \(bind: lead), \(bind: contact), \(bind: account))
                """).run()
        }
    }

    static func call(lead: Int64?, activity: Int64?, callback: Int64?, in database: Database) async throws -> Int64 {
        try await database.write { sql in
            try await sql.raw("""
                INSERT INTO pbx_calls (call_key, direction, external_number, internal_number, started_at, ended_at, talk_seconds, disposition,
                                       activity_id, lead_id, callback_task_id, received_at)
                VALUES (\(bind: UUID().uuidString), 'inbound', '+46701234567', '100', 0, 60, 50, 'answered', \(bind: activity), \(bind: lead),
                        \(bind: callback), 0)
                RETURNING id
                """).first()!.decode(column: "id", as: Int64.self)
        }
    }
}
