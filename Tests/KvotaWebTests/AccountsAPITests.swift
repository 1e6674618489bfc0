import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `/api/v1/accounts` beyond who may do what: validation, versions, paging, search, CSV and the audit trail.
@Suite struct AccountsAPITests {
    struct AccountBody: Decodable {
        let id: Int64
        let name: String
        let legalId: String?
        let ownerId: Int64?
        let segment: String?
        let version: Int64
    }

    struct Items: Decodable {
        let items: [AccountBody]
        let next: String?
    }

    struct NewAccount: Encodable {
        var name: String?
        var legalId: String?
        var regionId: Int64?
        var ownerId: Int64?
    }

    @Test(arguments: TestDatabase.engines)
    func addingChecksEveryFieldAtOnceAndDefaultsTheOwnerToTheRep(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let rep = try await client.token(for: org.rep)
            let created = try await client.post("/api/v1/accounts", json: NewAccount(name: "  Acme AB ", legalId: "556 123-4567"), token: rep)
            #expect(created.status == .created)
            #expect(created.headers[.eTag] == "\"1\"")
            let acme = try created.json(AccountBody.self)
            #expect(acme.name == "Acme AB" && acme.legalId == "5561234567" && acme.ownerId == org.rep.id.rawValue)

            let bad = try await client.post("/api/v1/accounts", json: NewAccount(name: " ", legalId: "5561234567", regionId: 99, ownerId: 424242),
                                            token: try await client.token(for: org.admin))
            #expect(bad.status == .unprocessableContent)
            #expect(Set(try bad.problem().errors?.map(\.field) ?? []) == ["name", "legalId", "regionId", "ownerId"])
            let missing = try await client.post("/api/v1/accounts", json: NewAccount(), token: rep)
            #expect(try missing.problem().errors == [.init(field: "name", reason: "is required")])

            let trail = try await org.database.auditTrail(entity: "account", id: acme.id)
            #expect(trail.map(\.action) == ["create"] && trail[0].actorID == org.rep.id)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aChangeBasedOnAStaleVersionIsRefusedAndChangesNothing(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let head = try await client.token(for: org.head)
            let rep = try await client.token(for: org.rep)
            let acme = try await client.post("/api/v1/accounts", json: NewAccount(name: "Acme"), token: rep).json(AccountBody.self)
            // The head and the rep both loaded version 1; the head saves first.
            let first = try await client.send(.patch, "/api/v1/accounts/\(acme.id)", json: ["segment": "key"], token: head,
                                              headers: [.ifMatch: "\"1\""])
            #expect(first.status == .ok && first.headers[.eTag] == "\"2\"")
            let second = try await client.send(.patch, "/api/v1/accounts/\(acme.id)", json: ["segment": "small"], token: rep,
                                               headers: [.ifMatch: "\"1\""])
            #expect(second.status == .preconditionFailed)
            let now = try await client.get("/api/v1/accounts/\(acme.id)", token: rep).json(AccountBody.self)
            #expect(now.segment == "key" && now.version == 2)
            let garbled = try await client.send(.patch, "/api/v1/accounts/\(acme.id)", json: ["segment": "x"], token: rep,
                                                headers: [.ifMatch: "yesterday"])
            #expect(try garbled.problem().errors?.map(\.field) == ["If-Match"])

            // A rep may not give the account away to someone outside their reach.
            let away = try await client.send(.patch, "/api/v1/accounts/\(acme.id)", json: ["ownerId": org.stranger.id.rawValue], token: rep)
            #expect(try away.problem().errors?.map(\.field) == ["ownerId"])
            // Their head may move it within the team; the audit line shows the old and new owner.
            let moved = try await client.send(.patch, "/api/v1/accounts/\(acme.id)", json: ["ownerId": org.teammate.id.rawValue], token: head)
            #expect(try moved.json(AccountBody.self).ownerId == org.teammate.id.rawValue)
            let owner = try await org.database.auditTrail(entity: "account", id: acme.id).last?.changes
            #expect(owner == [.init("owner", old: org.rep.id.description, new: org.teammate.id.description)])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func listsPageByNameSearchAndExportTheSameQueryAsCSV(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            for name in ["Delta", "alpha", "Charlie", "Bravo", "Echo 100%", "Foxtrot, \"Fox\""] {
                _ = try await records.account(owner: org.rep.id, name: name)
            }
            let rep = try await client.token(for: org.rep)
            var names: [String] = []
            var cursor: String?
            repeat {
                let uri = "/api/v1/accounts?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await client.get(uri, token: rep).json(Items.self)
                #expect(page.items.count <= 2)
                names += page.items.map(\.name)
                cursor = page.next
            } while cursor != nil
            #expect(names == ["alpha", "Bravo", "Charlie", "Delta", "Echo 100%", "Foxtrot, \"Fox\""], "by name in any case; every row once")

            let found = try await client.get("/api/v1/accounts?q=ALPH", token: rep).json(Items.self)
            #expect(found.items.map(\.name) == ["alpha"])
            let percent = try await client.get("/api/v1/accounts?q=100%25", token: rep).json(Items.self)
            #expect(percent.items.map(\.name) == ["Echo 100%"], "% is a letter, not a wildcard")
            let bad = try await client.get("/api/v1/accounts?cursor=nonsense&limit=0&owner=x", token: rep)
            #expect(Set(try bad.problem().errors?.map(\.field) ?? []) == ["limit", "owner"])
            let badCursor = try await client.get("/api/v1/accounts?cursor=nonsense", token: rep)
            #expect(try badCursor.problem().errors?.map(\.field) == ["cursor"])

            let csv = try await client.get("/api/v1/accounts?format=csv&q=fox", token: rep)
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            let lines = csv.text.dropFirst().split(separator: "\r\n")  // after the BOM
            #expect(lines.first == "id,name,legal_id,region_id,channel_id,owner_id,segment,tags,created_at,updated_at")
            #expect(lines.count == 2 && lines[1].contains(#","Foxtrot, ""Fox""","#))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func anAccountWithHistoryIsNotDeleted(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let worked = try await records.account(owner: org.rep.id)
            _ = try await records.contact(account: worked)
            let empty = try await records.account(owner: org.rep.id)
            let head = try await client.token(for: org.head)
            let refused = try await client.delete("/api/v1/accounts/\(worked)", token: head)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.problem().errors?.first?.reason == "the account keeps its history: contacts (1); it cannot be deleted")
            #expect(try await client.delete("/api/v1/accounts/\(empty)", token: head).status == .noContent)
            #expect(try await client.get("/api/v1/accounts/\(empty)", token: head).status == .notFound)
            #expect(try await org.database.auditTrail(entity: "account", id: empty).last?.action == "delete")
        }
    }
}
