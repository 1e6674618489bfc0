import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// Personal API tokens on the profile: made with a name, scope and lifetime, shown once, usable with the user's
/// rights and no more than the scope, listed, and revoked by their owner only.
@Suite struct ProfileTokensTests {
    @Test(arguments: TestDatabase.engines)
    func aTokenMadeOnTheProfileIsShownOnceWorksAndCanBeRevoked(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let bad = try await client.postForm("/profile/tokens", [("_csrf", csrf), ("name", "Sheets"), ("scope", "read"), ("days", "0")],
                                                headers: cookie)
            #expect(bad.status == .unprocessableContent && bad.text.contains("Enter whole days from 1 to 3650"))

            let made = try await client.postForm("/profile/tokens", [("_csrf", csrf), ("name", "Sheets export"), ("scope", "read"),
                                                                     ("days", "30")], headers: cookie)
            #expect(made.status == .ok && made.text.contains("Copy the token now"))
            let secret = String(try #require(made.text.firstMatch(of: #/kvt_[A-Za-z0-9_-]+/#)?.0))
            let me = try await client.get("/api/v1/me", headers: [.authorization: "Bearer \(secret)"])
            #expect(me.status == .ok && me.text.contains(org.rep.email))
            let write = try await client.post("/api/v1/accounts", json: ["name": "Nope"], token: secret)
            #expect(write.status == .forbidden, "a read token cannot write")

            let profile = try await client.get("/profile", headers: cookie)
            #expect(profile.text.contains("Sheets export") && !profile.text.contains(secret), "listed, never shown again")
            let trail = try await org.database.auditEntries(AuditQuery(entity: "token"))
            #expect(trail.contains { $0.action == "token_created" && $0.actorID == org.rep.id })

            let token = try #require(try await org.database.personalTokens(of: org.rep.id, at: org.clock.now).first)
            let (stranger, strangerCSRF) = try await BrowserSignInTests.signIn(client, as: org.stranger)
            let foreign = try await client.postForm("/profile/tokens/\(token.id)/revoke", [("_csrf", strangerCSRF)],
                                                    headers: [.cookie: "kvota_session=\(stranger)"])
            #expect(foreign.status == .notFound)
            let revoked = try await client.postForm("/profile/tokens/\(token.id)/revoke", [("_csrf", csrf)], headers: cookie)
            #expect(revoked.status == .seeOther)
            #expect(try await client.get("/api/v1/me", headers: [.authorization: "Bearer \(secret)"]).status == .unauthorized)
            #expect(!(try await client.get("/profile", headers: cookie).text.contains("Sheets export")))
        }
    }
}
