import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Logging
import Testing

/// Issue 13's leaks in logs: with the server logging everything (trace), signing in with right and wrong passwords,
/// changing one, making tokens, a calendar feed and a webhook's signing secret, and following secret links, leave no
/// password, token, session, CSRF token or secret in any log line (docs/security.md, "Logs").
@Suite struct SecretsInLogsTests {
    typealias Lines = JSONLogHandlerTests.Lines

    @Test(arguments: TestDatabase.engines)
    func noSecretReachesTheLog(engine: DatabaseEngine) async throws {
        let lines = Lines()
        let logger = Self.logger(into: lines)
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let org = try await WebFixture.make(database, clock: clock)
            let config = AppConfig(logLevel: .trace, alertsEverySeconds: 0, now: { clock.now })
            let app = try await buildApplication(config, database: database, logger: logger)
            let kept = Lines()
            try await app.test(.router) { client in
                let secrets = try await Self.exercise(client, org)
                kept.all.withLock { $0 = secrets }
            }
            let secrets = kept.all.withLock { $0 }
            #expect(secrets.count == 11)
            let written = lines.all.withLock { $0 }
            #expect(written.count > 10, "the server logged: \(written.count) lines")
            #expect(written.contains { $0.contains("/calendar/") }, "the feed's request is logged, without its secret")
            for secret in secrets {
                let leaking = written.filter { $0.contains(secret) }
                #expect(leaking.isEmpty, "\(secret.prefix(6))… is in the log: \(leaking.prefix(2))")
            }
        }
    }

    /// A logger that keeps every line, at every level.
    static func logger(into lines: Lines) -> Logger {
        var logger = Logger(label: "kvota") { label in JSONLogHandler(label: label) { line in lines.all.withLock { $0.append(line) } } }
        logger.logLevel = .trace
        return logger
    }

    /// Everything that carries a secret through the server; answers the secrets.
    static func exercise(_ client: any TestClientProtocol, _ org: WebFixture) async throws -> [String] {
        var secrets = [WebFixture.password]
        let wrong = "wrong-horse-secret-7"
        secrets.append(wrong)
        _ = try await client.post("/api/v1/auth/token", json: ["email": org.admin.email, "password": wrong])
        let token = try await client.token(for: org.admin)
        let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.head)
        secrets += [token, session, csrf]

        let integration = try await client.post("/api/v1/tokens", json: ["name": "ERP", "scope": "read"], token: token)
        #expect(integration.status == .created)
        secrets.append(try #require(Self.string("token", in: integration)))
        let webhook = try await client.post("/api/v1/webhooks", json: Hook(url: "https://hooks.example.com/k", events: ["deal.won"]),
                                            token: token)
        #expect(webhook.status == .created)
        secrets.append(try #require(Self.string("secret", in: webhook)))
        let feed = try await client.post("/api/v1/me/calendar-feed", json: [String: String](), token: token)
        let feedURL = try #require(Self.string("url", in: feed))
        let feedSecret = String(feedURL.split(separator: "/").last!.dropLast(".ics".count))
        secrets.append(feedSecret)
        #expect(try await client.get("/calendar/\(feedSecret).ics").status == .ok)
        let surveyLink = "kvq_not-a-real-link-but-as-secret"
        secrets.append(surveyLink)
        _ = try await client.get("/q/\(surveyLink)")

        let short = "tiny"
        secrets.append(short)
        _ = try await client.send(.put, "/api/v1/me/password", json: ["currentPassword": WebFixture.password, "newPassword": short],
                                  token: token)
        let changed = "a-new-long-horse-secret-42"
        secrets.append(changed)
        let change = try await client.send(.put, "/api/v1/me/password",
                                           json: ["currentPassword": WebFixture.password, "newPassword": changed], token: token)
        #expect(change.status == .noContent)
        return secrets
    }

    struct Hook: Encodable {
        let url: String
        let events: [String]
    }

    static func string(_ key: String, in answer: TestResponse) -> String? {
        answer.object?[key] as? String
    }
}
