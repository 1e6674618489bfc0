import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `/api/v1/users`, `/teams` and `/audit`, and who may do what with them, through HTTP on both engines.
@Suite struct OrgAPITests {
    struct UserBody: Decodable {
        let id: Int64
        let email: String
        let role: String
        let teamId: Int64?
        let version: Int64
    }

    struct Created: Decodable {
        let user: UserBody
        let password: String?
    }

    struct Items<T: Decodable>: Decodable {
        let items: [T]
        let nextCursor: String?
    }

    struct AuditLine: Decodable {
        struct Change: Decodable { let field: String; let old: String?; let new: String? }
        let id: Int64
        let actorId: Int64?
        let action: String
        let record: String
        let changes: [Change]
    }

    /// Expected status per role for each request, written out: admins manage the organisation; heads, directors and
    /// analysts read it; reps and the order desk only see themselves (`/me`); the audit trail is for admins and
    /// directors; integration tokens for admins. A record the caller may not read answers 404.
    static let expected: [(String, [Role: HTTPResponse.Status])] = [
        ("GET /api/v1/users", [.admin: .ok, .director: .ok, .analyst: .ok, .head: .ok, .rep: .forbidden, .orderDesk: .forbidden]),
        ("GET /api/v1/users/{teammate}", [.admin: .ok, .director: .ok, .analyst: .ok, .head: .ok, .rep: .notFound, .orderDesk: .notFound]),
        ("POST /api/v1/users", [.admin: .created, .director: .forbidden, .analyst: .forbidden, .head: .forbidden, .rep: .forbidden, .orderDesk: .forbidden]),
        ("PATCH /api/v1/users/{teammate}", [.admin: .ok, .director: .forbidden, .analyst: .forbidden, .head: .forbidden, .rep: .notFound, .orderDesk: .notFound]),
        ("GET /api/v1/teams", [.admin: .ok, .director: .ok, .analyst: .ok, .head: .ok, .rep: .forbidden, .orderDesk: .forbidden]),
        ("GET /api/v1/teams/{teamB}", [.admin: .ok, .director: .ok, .analyst: .ok, .head: .ok, .rep: .notFound, .orderDesk: .notFound]),
        ("POST /api/v1/teams", [.admin: .created, .director: .forbidden, .analyst: .forbidden, .head: .forbidden, .rep: .forbidden, .orderDesk: .forbidden]),
        ("PATCH /api/v1/teams/{teamB}", [.admin: .ok, .director: .forbidden, .analyst: .forbidden, .head: .forbidden, .rep: .notFound, .orderDesk: .notFound]),
        ("GET /api/v1/audit", [.admin: .ok, .director: .ok, .analyst: .forbidden, .head: .forbidden, .rep: .forbidden, .orderDesk: .forbidden]),
        ("GET /api/v1/tokens", [.admin: .ok, .director: .forbidden, .analyst: .forbidden, .head: .forbidden, .rep: .forbidden, .orderDesk: .forbidden]),
        ("GET /api/v1/me", [.admin: .ok, .director: .ok, .analyst: .ok, .head: .ok, .rep: .ok, .orderDesk: .ok]),
        ("GET /api/v1/regions", [.admin: .ok, .director: .ok, .analyst: .ok, .head: .ok, .rep: .ok, .orderDesk: .ok]),
        ("POST /api/v1/regions", [.admin: .created, .director: .forbidden, .analyst: .forbidden, .head: .forbidden, .rep: .forbidden, .orderDesk: .forbidden]),
    ]

    @Test(arguments: TestDatabase.engines)
    func everyRoleGetsTheExpectedAnswerFromEveryOrgEndpoint(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let callers = [org.admin, org.director, org.analyst, org.head, org.rep, org.desk]
            var tokens: [Role: String] = [:]
            for user in callers { tokens[user.role] = try await client.token(for: user) }
            var n = 0
            for (request, byRole) in Self.expected {
                for user in callers {
                    n += 1
                    let parts = request.split(separator: " ")
                    let path = String(parts[1]).replacingOccurrences(of: "{teammate}", with: org.teammate.id.description)
                        .replacingOccurrences(of: "{teamB}", with: org.teamB.id.description)
                    let token = tokens[user.role]!
                    let response: TestResponse = switch parts[0] {
                    case "GET": try await client.get(path, token: token)
                    case "POST" where path.hasSuffix("regions"):
                        try await client.post(path, json: ["code": "R\(n)", "name": "Region \(n)"], token: token)
                    case "POST" where path.hasSuffix("users"):
                        try await client.post(path, json: ["email": "new\(n)@example.com", "name": "New \(n)", "role": "rep",
                                                           "password": "long-enough-password"], token: token)
                    case "POST": try await client.post(path, json: ["name": "Team \(n)", "kind": "other"], token: token)
                    default: try await client.send(.patch, path, json: ["name": "Renamed \(n)"], token: token)
                    }
                    #expect(response.status == byRole[user.role], "\(user.role) \(request)")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func anAdminAddsAUserWithAGeneratedPasswordShownOnce(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let admin = try await client.token(for: org.admin)
            let created = try await client.post("/api/v1/users", json: ["email": "Nils@Example.com", "name": "Nils Ek", "role": "rep",
                                                                        "extension": "105"], token: admin)
            #expect(created.status == .created)
            let body = try created.json(Created.self)
            let password = try #require(body.password)
            #expect(password.count == 16)
            #expect(try await client.post("/api/v1/auth/token", json: ["email": "nils@example.com", "password": password]).status == .ok)
            let fetched = try await client.get("/api/v1/users/\(body.user.id)", token: admin)
            #expect(!fetched.text.contains(password) && !fetched.text.contains("password"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func badInputNamesEveryFieldAndWritesNothing(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let admin = try await client.token(for: org.admin)
            let response = try await client.post("/api/v1/users", json: ["email": org.rep.email.uppercased(), "name": " ", "role": "boss",
                                                                         "extension": "12a", "password": "short"], token: admin)
            #expect(response.status == .unprocessableContent)
            #expect(Set(try response.problem().errors?.map(\.field) ?? []) == ["role", "password", "name", "extension"])
            let taken = try await client.post("/api/v1/users", json: ["email": org.rep.email.uppercased(), "name": "Rita Two", "role": "rep"],
                                              token: admin)
            #expect(try taken.problem().errors?.map(\.field) == ["email"])
            #expect(try await org.database.users().count == org.everyone.count)

            let notJSON = try await client.execute(uri: "/api/v1/teams", method: .post,
                                                   headers: [.authorization: "Bearer \(admin)", .contentType: "application/json"],
                                                   body: ByteBuffer(string: "{not json"))
            #expect(try notJSON.problem().errors?.map(\.field) == ["body"])
            let wrongType = try await client.post("/api/v1/teams", json: ["name": "X", "kind": "other", "headId": "seven"], token: admin)
            #expect(try wrongType.problem().errors == [.init(field: "headId", reason: "expected a whole number")])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func movingARepToAnotherTeamDatesTheChangeAndAStaleVersionIsRefused(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let admin = try await client.token(for: org.admin)
            org.clock.advance(3600)
            let moved = try await client.send(.patch, "/api/v1/users/\(org.rep.id)",
                                              json: PatchBody(teamId: org.teamB.id.rawValue, version: org.rep.version), token: admin)
            #expect(moved.status == .ok)
            let body = try moved.json(UserBody.self)
            #expect(body.teamId == org.teamB.id.rawValue && body.version == org.rep.version + 1)

            let history = try await org.database.assignments(of: org.rep.id)
            #expect(history.map(\.teamID) == [org.teamA.id, org.teamB.id])
            #expect(history[0].to == org.clock.now && history[1].from == org.clock.now && history[1].to == nil)

            let stale = try await client.send(.patch, "/api/v1/users/\(org.rep.id)",
                                              json: PatchBody(teamId: org.teamA.id.rawValue, version: org.rep.version), token: admin)
            #expect(stale.status == .preconditionFailed)
            #expect(try await org.database.user(id: org.rep.id)?.teamID == org.teamB.id, "the stale change wrote nothing")

            // The head of team A still sees the records their former rep left behind, and nothing of team B's newcomers.
            let (_, actor) = try #require(try await org.database.signedInUser(org.head.id))
            #expect(actor.teamMembers.contains(org.rep.id))
            #expect(!actor.teamMembers.contains(org.stranger.id))

            let clear = try await client.send(.patch, "/api/v1/users/\(org.rep.id)", json: ClearTeam(), token: admin)
            #expect(try clear.json(UserBody.self).teamId == nil)
        }
    }

    struct PatchBody: Encodable {
        let teamId: Int64
        let version: Int64
    }

    /// `{"teamId": null}`: clears the team (an absent key would leave it).
    struct ClearTeam: Encodable {
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: AnyKey.self)
            try container.encodeNil(forKey: AnyKey(stringValue: "teamId"))
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    @Test(arguments: TestDatabase.engines)
    func theAuditTrailShowsFieldChangesByRecordActorAndTime(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let admin = try await client.token(for: org.admin)
            let director = try await client.token(for: org.director)
            let before = org.clock.now
            org.clock.advance(60)
            _ = try await client.send(.patch, "/api/v1/users/\(org.rep.id)", json: ["role": "head", "name": "Rita Berg"], token: admin)

            let trail = try await client.get("/api/v1/audit?record=user:\(org.rep.id)", token: director)
            #expect(trail.status == .ok)
            let lines = try trail.json(Items<AuditLine>.self).items
            #expect(lines.map(\.action) == ["update", "create"], "newest first")
            let update = lines[0]
            #expect(update.actorId == org.admin.id.rawValue && update.record == "user:\(org.rep.id)")
            #expect(update.changes.map(\.field).sorted() == ["name", "role"])
            #expect(update.changes.first { $0.field == "role" }.map { ($0.old, $0.new) } ?? (nil, nil) == ("rep", "head"))

            let byAdmin = try await client.get("/api/v1/audit?actor=\(org.admin.id)", token: director)
            #expect(try byAdmin.json(Items<AuditLine>.self).items.allSatisfy { $0.actorId == org.admin.id.rawValue })
            let iso = ISO8601DateFormatter()
            let later = try await client.get("/api/v1/audit?from=\(iso.string(from: before.addingTimeInterval(1)))", token: director)
            #expect(try later.json(Items<AuditLine>.self).items.map(\.action).contains("update"))
            #expect(try !later.json(Items<AuditLine>.self).items.map(\.action).contains("create"))

            let paged = try await client.get("/api/v1/audit?limit=2", token: director).json(Items<AuditLine>.self)
            let cursor = try #require(paged.nextCursor)
            let next = try await client.get("/api/v1/audit?limit=2&cursor=\(cursor)", token: director).json(Items<AuditLine>.self)
            #expect(next.items.allSatisfy { $0.id < paged.items.last!.id })

            let bad = try await client.get("/api/v1/audit?record=deal&from=yesterday&limit=9999", token: director)
            #expect(Set(try bad.problem().errors?.map(\.field) ?? []) == ["from", "limit"])
            let worse = try await client.get("/api/v1/audit?record=order:x", token: director)
            #expect(try worse.problem().errors?.map(\.field) == ["record"])
        }
    }

    struct Summary: Decodable, Equatable {
        let accounts: Int
        let deals: Int
        let leads: Int
        let tasks: Int
    }

    @Test(arguments: TestDatabase.engines)
    func aHeadHandsALeavingRepsWorkToTheirTeam(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            let deal = try await records.deal(account: account, owner: org.rep.id)
            let head = try await client.token(for: org.head)
            let answer = try await client.post("/api/v1/users/\(org.rep.id)/hand-over", json: ["toTeamId": org.teamA.id.rawValue],
                                               token: head)
            #expect(answer.status == .ok)
            #expect(try answer.json(Summary.self) == Summary(accounts: 1, deals: 1, leads: 0, tasks: 0))
            #expect(try await records.owner("deals", deal) == org.teammate.id, "the team's other rep; the head is not dealt work")

            let across = try await client.post("/api/v1/users/\(org.teammate.id)/hand-over", json: ["toUserIds": [org.stranger.id.rawValue]],
                                               token: head)
            #expect(across.status == .forbidden)
            let rep = try await client.token(for: org.rep)
            let byRep = try await client.post("/api/v1/users/\(org.teammate.id)/hand-over", json: ["toUserIds": [org.rep.id.rawValue]],
                                              token: rep)
            #expect(byRep.status == .notFound, "a rep cannot see colleagues' user records")
            let nobody = try await client.post("/api/v1/users/\(org.teammate.id)/hand-over", json: ["toUserIds": [Int64]()], token: head)
            #expect(try nobody.problem().errors?.map(\.field) == ["to"])
        }
    }

    struct RegionBody: Decodable { let id: Int64; let code: String; let parentId: Int64? }

    @Test(arguments: TestDatabase.engines)
    func regionsListAsATreeParentsFirst(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let admin = try await client.token(for: org.admin)
            let sweden = try await client.post("/api/v1/regions", json: ["code": "SE", "name": "Sweden"], token: admin).json(RegionBody.self)
            _ = try await client.post("/api/v1/regions", json: RegionPost(code: "SE-AB", name: "Stockholm", parentId: sweden.id), token: admin)
            _ = try await client.post("/api/v1/regions", json: ["code": "NO", "name": "Norway"], token: admin)
            let list = try await client.get("/api/v1/regions", token: try await client.token(for: org.rep)).json(Items<RegionBody>.self)
            #expect(list.items.map(\.code) == ["NO", "SE", "SE-AB"])
            let again = try await client.post("/api/v1/regions", json: RegionPost(code: "SE", name: "Again", parentId: 999), token: admin)
            #expect(Set(try again.problem().errors?.map(\.field) ?? []) == ["code", "parentId"])
        }
    }

    struct RegionPost: Encodable { let code: String; let name: String; let parentId: Int64 }
}
