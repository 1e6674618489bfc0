import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// Browser sign-in: the form, the session cookie, CSRF, session fixation, sign-out and password change.
@Suite struct BrowserSignInTests {
    /// Signs in through the form; returns the session cookie and the page's CSRF token.
    static func signIn(_ client: any TestClientProtocol, as user: User, password: String = WebFixture.password,
                       bringing oldSession: String? = nil) async throws -> (session: String, csrf: String) {
        let form = try await client.get("/sign-in")
        let formToken = try #require(form.cookie("kvota_sign_in")?.value)
        #expect(form.csrfField == formToken)
        var cookies = "kvota_sign_in=\(formToken)"
        if let oldSession { cookies += "; kvota_session=\(oldSession)" }
        let posted = try await client.postForm("/sign-in", [("email", user.email), ("password", password), ("_csrf", formToken), ("next", "")],
                                               headers: [.cookie: cookies])
        #expect(posted.status == .seeOther)
        #expect(posted.headers[.location] == "/")
        let session = try #require(posted.cookie("kvota_session"))
        let home = try await client.get("/", headers: [.cookie: "kvota_session=\(session.value)"])
        #expect(home.status == .ok)
        return (session.value, try #require(home.csrfField))
    }

    @Test(arguments: TestDatabase.engines)
    func signingInSetsAnHttpOnlyLaxCookieAndShowsWhoIsSignedIn(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let unsigned = try await client.get("/")
            #expect(unsigned.status == .seeOther)
            #expect(unsigned.headers[.location] == "/sign-in?next=/")

            let form = try await client.get("/sign-in")
            let token = try #require(form.cookie("kvota_sign_in")?.value)
            let posted = try await client.postForm("/sign-in", [("email", org.head.email), ("password", WebFixture.password),
                                                               ("_csrf", token), ("next", "/profile")],
                                                   headers: [.cookie: "kvota_sign_in=\(token)"])
            #expect(posted.headers[.location] == "/profile", "back where the browser was going")
            let cookie = try #require(posted.cookie("kvota_session"))
            #expect(cookie.header.contains("HttpOnly") && cookie.header.contains("SameSite=Lax"))
            #expect(!cookie.header.contains("Secure"), "not over plain HTTP unless configured")

            let home = try await client.get("/", headers: [.cookie: "kvota_session=\(cookie.value)"])
            #expect(home.text.contains("Hanna · Head of sales"))
            let profile = try await client.get("/profile", headers: [.cookie: "kvota_session=\(cookie.value)"])
            #expect(profile.text.contains("Head of sales · team New Business"))
            let me = try await client.get("/api/v1/me", headers: [.cookie: "kvota_session=\(cookie.value)"])
            #expect(me.status == .ok && me.text.contains("\"access\":\"session\""))

            let trail = try await org.database.auditEntries(AuditQuery(entity: "user", entityID: org.head.id.rawValue))
            #expect(trail.first?.action == "sign_in" && trail.first?.detail == "browser")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theCookieIsSecureWhenConfiguredForTLS(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine, configure: { $0.secureCookies = true }) { client, org in
            let form = try await client.get("/sign-in")
            #expect(form.cookie("kvota_sign_in")?.header.contains("Secure") == true)
            let token = try #require(form.cookie("kvota_sign_in")?.value)
            let posted = try await client.postForm("/sign-in", [("email", org.rep.email), ("password", WebFixture.password), ("_csrf", token)],
                                                   headers: [.cookie: "kvota_sign_in=\(token)"])
            #expect(posted.cookie("kvota_session")?.header.contains("Secure") == true)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aWrongPasswordReRendersTheFormWithTheEmailKept(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let form = try await client.get("/sign-in")
            let token = try #require(form.cookie("kvota_sign_in")?.value)
            let posted = try await client.postForm("/sign-in", [("email", org.rep.email), ("password", "wrong-wrong-wrong"), ("_csrf", token)],
                                                   headers: [.cookie: "kvota_sign_in=\(token)"])
            #expect(posted.status == .unauthorized)
            #expect(posted.text.contains("the email or the password is wrong"))
            #expect(posted.text.contains(#"value="rita@example.com""#))
            #expect(posted.cookie("kvota_session") == nil)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aSignInPostedFromElsewhereIsRefused(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            // No form cookie: the post did not come from Kvota's own form.
            let forged = try await client.postForm("/sign-in", [("email", org.rep.email), ("password", WebFixture.password), ("_csrf", "guess")])
            #expect(forged.status == .forbidden)
            #expect(forged.cookie("kvota_session") == nil)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func stateChangingRequestsWithASessionNeedTheCSRFToken(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (session, csrf) = try await Self.signIn(client, as: org.admin)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let team = ["name": "Partners", "kind": "other"]
            let without = try await client.post("/api/v1/teams", json: team, headers: cookie)
            #expect(without.status == .forbidden)
            var wrong = cookie
            wrong[.init("X-CSRF-Token")!] = "not-the-token"
            #expect(try await client.post("/api/v1/teams", json: team, headers: wrong).status == .forbidden)
            var right = cookie
            right[.init("X-CSRF-Token")!] = csrf
            #expect(try await client.post("/api/v1/teams", json: team, headers: right).status == .created)
            #expect(try await org.database.teams().count == 3, "only the request with the token wrote")

            let formWithout = try await client.postForm("/sign-out", [], headers: cookie)
            #expect(formWithout.status == .forbidden)
            #expect(try await client.get("/", headers: cookie).status == .ok, "still signed in")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func signingInAlwaysStartsANewSessionAndEndsTheOneBroughtAlong(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            // An attacker signs in and plants their session id in the victim's browser; the victim signs in.
            let planted = try await Self.signIn(client, as: org.stranger).session
            let victim = try await Self.signIn(client, as: org.rep, bringing: planted).session
            #expect(victim != planted)
            let plantedNow = try await client.get("/api/v1/me", headers: [.cookie: "kvota_session=\(planted)"])
            #expect(plantedNow.status == .unauthorized, "the planted id is no session at all now")
            let mine = try await client.get("/api/v1/me", headers: [.cookie: "kvota_session=\(victim)"])
            #expect(mine.text.contains(org.rep.email))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func signingOutEndsTheSession(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (session, csrf) = try await Self.signIn(client, as: org.rep)
            let out = try await client.postForm("/sign-out", [("_csrf", csrf)], headers: [.cookie: "kvota_session=\(session)"])
            #expect(out.status == .seeOther)
            #expect(out.cookie("kvota_session")?.value == "")
            #expect(try await client.get("/", headers: [.cookie: "kvota_session=\(session)"]).status == .seeOther)
            let trail = try await org.database.auditEntries(AuditQuery(entity: "user", entityID: org.rep.id.rawValue))
            #expect(trail.first?.action == "sign_out")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func sessionsExpireAfter12IdleHours(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (session, _) = try await Self.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            org.clock.advance(11 * 3600)
            #expect(try await client.get("/", headers: cookie).status == .ok, "a request moves the idle expiry on")
            org.clock.advance(11 * 3600)
            #expect(try await client.get("/", headers: cookie).status == .ok)
            org.clock.advance(12 * 3600 + 1)
            #expect(try await client.get("/", headers: cookie).status == .seeOther)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func changingThePasswordChecksEveryFieldAndSignsOutOtherBrowsers(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let other = try await Self.signIn(client, as: org.rep).session
            let (session, csrf) = try await Self.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]

            let bad = try await client.postForm("/profile/password", [("_csrf", csrf), ("current", "not-mine-at-all"),
                                                                      ("new", "short"), ("confirm", "different")], headers: cookie)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("This is not your current password."))
            #expect(bad.text.contains("must be at least 10 characters"))
            #expect(bad.text.contains("Does not match the new password."))

            let good = try await client.postForm("/profile/password", [("_csrf", csrf), ("current", WebFixture.password),
                                                                       ("new", "a-new-password-1"), ("confirm", "a-new-password-1")],
                                                 headers: cookie)
            #expect(good.status == .ok && good.text.contains("Your password is changed"))
            #expect(try await client.get("/", headers: cookie).status == .ok, "this browser stays signed in")
            #expect(try await client.get("/", headers: [.cookie: "kvota_session=\(other)"]).status == .seeOther)
            _ = try await Self.signIn(client, as: org.rep, password: "a-new-password-1")
            let trail = try await org.database.auditEntries(AuditQuery(entity: "user", entityID: org.rep.id.rawValue))
            #expect(trail.contains { $0.action == "password_changed" && $0.changes.isEmpty })
        }
    }
}
