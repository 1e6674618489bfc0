import Foundation
import HTTPTypes
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Testing

/// Issue 13: one person's requests, API and pages together, are refused with 429 and `Retry-After` once their
/// bucket is empty; other people are not held up, and the bucket refills with time.
@Suite struct PersonRateLimitTests {
    @Test(arguments: TestDatabase.engines)
    func aPersonPastTheirRateGets429AndOthersDoNot(engine: DatabaseEngine) async throws {
        // 60 a minute: a burst of 10, then one a second.
        try await WebFixture.run(engine, configure: { $0.requestsPerMinute = 60 }) { client, org in
            let rep = try await client.token(for: org.rep)
            let (session, _) = try await BrowserSignInTests.signIn(client, as: org.rep)
            // The sign-in opened one page; with this one and eight API requests the rep's burst of ten is spent.
            #expect(try await client.get("/", headers: [.cookie: "kvota_session=\(session)"]).status == .ok)
            for _ in 0..<8 { #expect(try await client.get("/api/v1/deals", token: rep).status == .ok) }

            let refused = try await client.get("/api/v1/deals", token: rep)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "1")
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(try refused.problem().detail == "too many requests from you; try again in 1 seconds")
            #expect(ProblemTexts.translate("too many requests from you; try again in 1 seconds", to: .sv)
                    == "för många förfrågningar från dig; försök igen om 1 sekunder")
            let page = try await client.get("/", headers: [.cookie: "kvota_session=\(session)"])
            #expect(page.status == .tooManyRequests && page.headers[.retryAfter] == "1", "pages count against the same person")

            let head = try await client.token(for: org.head)
            #expect(try await client.get("/api/v1/deals", token: head).status == .ok, "another person is not held up")

            org.clock.advance(2)
            #expect(try await client.get("/api/v1/deals", token: rep).status == .ok)
            #expect(try await client.get("/api/v1/deals", token: rep).status == .ok)
            #expect(try await client.get("/api/v1/deals", token: rep).status == .tooManyRequests, "two seconds refill two requests")
        }
    }

    @Test func theRateIsReadFromTheEnvironment() throws {
        #expect(try AppConfig.fromEnvironment([:]).requestsPerMinute == 12_000)
        #expect(try AppConfig.fromEnvironment(["KVOTA_REQUESTS_PER_MINUTE": "0"]).requestsPerMinute == 0)
        #expect(try AppConfig.fromEnvironment(["KVOTA_REQUESTS_PER_MINUTE": "600"]).requestsPerMinute == 600)
        #expect(throws: StoreError.self) { try AppConfig.fromEnvironment(["KVOTA_REQUESTS_PER_MINUTE": "10"]) }
        #expect(throws: StoreError.self) { try AppConfig.fromEnvironment(["KVOTA_REQUESTS_PER_MINUTE": "many"]) }
    }
}
