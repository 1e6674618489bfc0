import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// API sign-in: tokens, `/me`, scopes, expiry, revocation and throttling, on both engines.
@Suite struct TokenSignInTests {
    struct Me: Decodable {
        struct User: Decodable { let id: Int64; let email: String; let role: String; let teamId: Int64? }
        struct Team: Decodable { let id: Int64; let name: String }
        let user: User
        let team: Team?
        let access: String
    }

    @Test(arguments: TestDatabase.engines)
    func aTokenFromSigningInShowsTheCallerWithRoleAndTeam(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let answer = try await client.post("/api/v1/auth/token", json: ["email": "RITA@example.com ", "password": WebFixture.password])
            #expect(answer.status == .ok)
            let token = try answer.json(TokenAnswer.self)
            #expect(token.token.hasPrefix("kvt_"))
            #expect(token.expiresAt == org.clock.now.addingTimeInterval(24 * 3600))

            let me = try await client.get("/api/v1/me", token: token.token)
            #expect(me.status == .ok)
            let body = try me.json(Me.self)
            #expect(body.user.id == org.rep.id.rawValue && body.user.role == "rep")
            #expect(body.team?.name == "New Business" && body.user.teamId == org.teamA.id.rawValue)
            #expect(body.access == "read_write")

            // The database keeps only a hash of the token.
            let stored = try await org.database.read { sql in
                try await sql.raw("SELECT token_hash FROM api_tokens").all().map { try $0.decode(column: "token_hash", as: String.self) }
            }
            #expect(stored.count == 1 && stored[0] != token.token && stored[0].count == 64)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func withoutAValidTokenTheAPIAnswers401AsAProblem(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let none = try await client.get("/api/v1/me")
            #expect(none.status == .unauthorized)
            #expect(try none.problem().status == 401)
            let forged = try await client.get("/api/v1/me", token: "kvt_not-a-real-token")
            #expect(forged.status == .unauthorized)
            #expect(forged.headers[.wwwAuthenticate]?.contains("invalid_token") == true)

            let wrong = try await client.post("/api/v1/auth/token", json: ["email": org.rep.email, "password": "not-the-password"])
            #expect(wrong.status == .unauthorized)
            #expect(try wrong.problem().detail == "the email or the password is wrong")
            let unknown = try await client.post("/api/v1/auth/token", json: ["email": "nobody@example.com", "password": "whatever-it-is"])
            #expect(try unknown.problem().detail == "the email or the password is wrong", "unknown emails read like wrong passwords")

            let missing = try await client.post("/api/v1/auth/token", json: ["email": org.rep.email])
            #expect(missing.status == .unprocessableContent)
            #expect(try missing.problem().errors == [.init(field: "password", reason: "is required")])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func tokensExpireAndSigningOutRevokesThem(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let first = try await client.token(for: org.rep)
            org.clock.advance(24 * 3600 + 1)
            #expect(try await client.get("/api/v1/me", token: first).status == .unauthorized, "expired after a day")

            let second = try await client.token(for: org.rep)
            #expect(try await client.get("/api/v1/me", token: second).status == .ok)
            #expect(try await client.delete("/api/v1/auth/token", token: second).status == .noContent)
            #expect(try await client.get("/api/v1/me", token: second).status == .unauthorized, "revoked by signing out")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func disablingAUserStopsTheirTokens(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let token = try await client.token(for: org.rep)
            let admin = try await client.token(for: org.admin)
            let off = try await client.send(.patch, "/api/v1/users/\(org.rep.id)", json: ["active": false], token: admin)
            #expect(off.status == .ok)
            #expect(try await client.get("/api/v1/me", token: token).status == .unauthorized)
            let again = try await client.post("/api/v1/auth/token", json: ["email": org.rep.email, "password": WebFixture.password])
            #expect(again.status == .unauthorized, "a disabled user cannot sign in")
        }
    }

    struct NewToken: Encodable {
        let name: String
        let scope: String
        var userId: Int64? = nil
        var expiresAt: Date? = nil
    }

    struct CreatedToken: Decodable {
        let id: Int64
        let scope: String
        let token: String?
    }

    @Test(arguments: TestDatabase.engines)
    func integrationTokensCarryAScopeAreShownOnceAndCanBeRevoked(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let admin = try await client.token(for: org.admin)
            func create(_ scope: String) async throws -> CreatedToken {
                let response = try await client.post("/api/v1/tokens", json: NewToken(name: "pbx \(scope)", scope: scope), token: admin)
                #expect(response.status == .created)
                return try response.json(CreatedToken.self)
            }
            let read = try await create("read")
            let readWrite = try await create("read_write")
            let integration = try await create("integration")
            let newTeam = ["name": "Partners", "kind": "other"]

            #expect(try await client.get("/api/v1/users", token: read.token).status == .ok)
            let refused = try await client.post("/api/v1/teams", json: newTeam, token: read.token)
            #expect(refused.status == .forbidden)
            #expect(refused.headers[.wwwAuthenticate]?.contains("insufficient_scope") == true)
            #expect(try await client.post("/api/v1/teams", json: newTeam, token: readWrite.token).status == .created)
            #expect(try await client.get("/api/v1/me", token: integration.token).status == .ok)
            #expect(try await client.get("/api/v1/users", token: integration.token).status == .forbidden)

            // The list never shows a secret again.
            let list = try await client.get("/api/v1/tokens", token: admin)
            #expect(!list.text.contains(read.token!) && !list.text.contains("\"token\""))

            #expect(try await client.delete("/api/v1/tokens/\(read.id)", token: admin).status == .noContent)
            #expect(try await client.get("/api/v1/users", token: read.token).status == .unauthorized)
            #expect(try await client.delete("/api/v1/tokens/999999", token: admin).status == .notFound)

            // Only admins make or revoke integration tokens.
            let director = try await client.token(for: org.director)
            #expect(try await client.post("/api/v1/tokens", json: NewToken(name: "x", scope: "read"), token: director).status == .forbidden)
            #expect(try await client.delete("/api/v1/tokens/\(readWrite.id)", token: director).status == .notFound,
                    "a director cannot see integration tokens, so their ids do not exist for them")

            let bad = try await client.post("/api/v1/tokens", json: NewToken(name: " ", scope: "everything"), token: admin)
            #expect(bad.status == .unprocessableContent)
            #expect(try bad.problem().errors?.map(\.field) == ["scope"])
            let past = try await client.post("/api/v1/tokens", json: NewToken(name: "old", scope: "read", expiresAt: org.clock.now.addingTimeInterval(-60)), token: admin)
            #expect(try past.problem().errors?.map(\.field) == ["expiresAt"])

            let trail = try await org.database.auditEntries(AuditQuery(entity: "token"))
            #expect(trail.map(\.action).sorted() == ["token_created", "token_created", "token_created", "token_revoked"])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func fiveFailuresBlockTheAccountFor15MinutesEvenWithTheRightPassword(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            for _ in 1...5 {
                let wrong = try await client.post("/api/v1/auth/token", json: ["email": org.rep.email, "password": "guess-guess-guess"])
                #expect(wrong.status == .unauthorized)
                org.clock.advance(60)
            }
            let blocked = try await client.post("/api/v1/auth/token", json: ["email": org.rep.email, "password": WebFixture.password])
            #expect(blocked.status == .tooManyRequests)
            // The first failure was 5 minutes ago; it leaves the 15-minute window in 10 minutes.
            #expect(blocked.headers[.retryAfter] == "600")
            #expect(try await client.post("/api/v1/auth/token", json: ["email": org.teammate.email, "password": WebFixture.password])
                .status == .ok, "other accounts are not blocked")

            org.clock.advance(600)
            #expect(try await client.post("/api/v1/auth/token", json: ["email": org.rep.email, "password": WebFixture.password])
                .status == .ok)
            let failures = try await org.database.auditEntries(AuditQuery(entity: "user", entityID: org.rep.id.rawValue))
                .filter { $0.action == "sign_in_failed" }
            #expect(failures.count == 5)
            #expect(failures.allSatisfy { $0.detail?.contains("wrong password") == true })
        }
    }

    @Test(arguments: TestDatabase.engines)
    func oneAddressIsBlockedAfter20FailuresAcrossAccounts(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine, configure: { $0.trustProxy = true }) { client, org in
            let attacker: HTTPFields = [.init("X-Forwarded-For")!: "10.0.0.1, 203.0.113.9"]
            // Known accounts in turn (at most 3 failures each, under the per-account limit).
            for n in 0..<20 {
                let wrong = try await client.post("/api/v1/auth/token", json: ["email": org.everyone[n % 8].email, "password": "guess-guess-guess"],
                                                  headers: attacker)
                #expect(wrong.status == .unauthorized)
            }
            let blocked = try await client.post("/api/v1/auth/token", json: ["email": org.rep.email, "password": WebFixture.password],
                                                headers: attacker)
            #expect(blocked.status == .tooManyRequests)
            let office: HTTPFields = [.init("X-Forwarded-For")!: "198.51.100.7"]
            #expect(try await client.post("/api/v1/auth/token", json: ["email": org.rep.email, "password": WebFixture.password],
                                          headers: office).status == .ok)
            let logged = try await org.database.auditEntries(AuditQuery(limit: 500)).filter { $0.action == "sign_in_failed" }
            #expect(logged.count == 20 && logged.allSatisfy { $0.address == "203.0.113.9" })
        }
    }
}
