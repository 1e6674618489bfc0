import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// A rep's calendar feed: made on the profile or through the API, shown once, readable without signing in, holding
/// their own open tasks and meetings and nobody else's, and dead once replaced, turned off or its user deactivated.
@Suite struct CalendarFeedTests {
    struct NewActivity: Encodable {
        let kind: String
        let accountId: Int64
        let subject: String
        var dueAt: Date?
        var occurredAt: Date?
        var done: Bool?
    }

    struct IDOnly: Decodable { let id: Int64 }

    struct Feed: Decodable {
        let active: Bool
        let createdAt: Date?
        let url: String?
    }

    static func path(_ url: String) -> String { String(url[try! #require(url.range(of: "/calendar/")).lowerBound...]) }

    @Test(arguments: TestDatabase.engines)
    func theFeedHoldsOnesOwnScheduleUntilItsAddressIsReplaced(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let rep = try await client.token(for: org.rep), teammate = try await client.token(for: org.teammate)
            let now = org.clock.now
            let account = try await client.post("/api/v1/accounts", json: ["name": "Acme; Nordic, AB"], token: rep).json(IDOnly.self).id
            let other = try await client.post("/api/v1/accounts", json: ["name": "Tove's customer"], token: teammate).json(IDOnly.self).id
            func add(_ activity: NewActivity, _ token: String) async throws {
                let made = try await client.post("/api/v1/activities", json: activity, token: token)
                #expect(made.status == .created, "\(made.text)")
            }
            try await add(NewActivity(kind: "task", accountId: account, subject: "Send the offer", dueAt: now.addingTimeInterval(86_400)), rep)
            try await add(NewActivity(kind: "meeting", accountId: account, subject: "Visit", dueAt: now.addingTimeInterval(3 * 86_400)), rep)
            try await add(NewActivity(kind: "meeting", accountId: account, subject: "Held yesterday", occurredAt: now.addingTimeInterval(-86_400),
                                      done: true), rep)
            try await add(NewActivity(kind: "meeting", accountId: account, subject: "Dropped by", occurredAt: now.addingTimeInterval(-2 * 86_400)),
                          rep)
            try await add(NewActivity(kind: "task", accountId: account, subject: "Finished task", dueAt: now.addingTimeInterval(3_600),
                                      done: true), rep)
            try await add(NewActivity(kind: "task", accountId: account, subject: "Next year", dueAt: now.addingTimeInterval(400 * 86_400)), rep)
            try await add(NewActivity(kind: "note", accountId: account, subject: "A note"), rep)
            try await add(NewActivity(kind: "task", accountId: other, subject: "Tove's task", dueAt: now.addingTimeInterval(86_400)), teammate)

            #expect(try await client.get("/api/v1/me/calendar-feed", token: rep).json(Feed.self).active == false)
            let made = try await client.post("/api/v1/me/calendar-feed", json: [String: String](), token: rep)
            #expect(made.status == .created)
            let url = try #require(try made.json(Feed.self).url)
            #expect(url.hasSuffix(".ics") && url.contains("/calendar/kvc_"))
            let status = try await client.get("/api/v1/me/calendar-feed", token: rep).json(Feed.self)
            #expect(status.active && status.createdAt == now && status.url == nil, "the address is shown once")

            let feed = try await client.get(Self.path(url))
            #expect(feed.status == .ok && feed.headers[.contentType] == "text/calendar; charset=utf-8")
            #expect(feed.headers[.cacheControl] == "private, no-store")
            #expect(feed.text.contains("SUMMARY:Task: Send the offer") && feed.text.contains("SUMMARY:Meeting: Visit"))
            #expect(feed.text.contains("SUMMARY:✓ Meeting: Held yesterday"), "a meeting held stays, marked")
            #expect(feed.text.contains("SUMMARY:✓ Meeting: Dropped by"), "so does one recorded after the fact")
            #expect(feed.text.contains(#"DESCRIPTION:Acme\; Nordic\, AB"#))
            #expect(feed.text.contains("URL:http") && feed.text.contains("/accounts/\(account)"))
            for absent in ["Finished task", "Next year", "A note", "Tove's task"] {
                #expect(!feed.text.contains(absent), "\(absent) is not on Rita's calendar")
            }
            #expect(feed.text.components(separatedBy: "BEGIN:VEVENT").count == 5)

            // A new address replaces the old one at once; turning the feed off ends the new one too.
            let again = try #require(try await client.post("/api/v1/me/calendar-feed", json: [String: String](), token: rep).json(Feed.self).url)
            #expect(again != url)
            #expect(try await client.get(Self.path(url)).status == .notFound)
            #expect(try await client.get(Self.path(again)).status == .ok)
            #expect(try await client.get("/calendar/kvc_guessed.ics").status == .notFound)
            #expect(try await client.delete("/api/v1/me/calendar-feed", token: rep).status == .noContent)
            #expect(try await client.get(Self.path(again)).status == .notFound)
            let trail = try await org.database.auditEntries(AuditQuery(entity: "user"))
            #expect(Set(trail.filter { $0.actorID == org.rep.id }.map(\.action))
                .isSuperset(of: ["calendar_feed_created", "calendar_feed_rotated", "calendar_feed_removed"]))

            // A deactivated user's feed answers nothing.
            let teammateFeed = try #require(try await client.post("/api/v1/me/calendar-feed", json: [String: String](), token: teammate)
                .json(Feed.self).url)
            #expect(try await client.get(Self.path(teammateFeed)).text.contains("Tove's task"))
            _ = try await org.database.updateUser(org.teammate.id, UserPatch(active: false), expectedVersion: nil, by: org.admin.id, at: now)
            #expect(try await client.get(Self.path(teammateFeed)).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theProfileMakesShowsOnceAndTurnsOffTheFeed(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            #expect(try await client.get("/profile", headers: cookie).text.contains("Make a feed address"))
            let made = try await client.postForm("/profile/calendar", [("_csrf", csrf)], headers: cookie)
            #expect(made.status == .ok && made.text.contains("Copy the address now"))
            let url = String(try #require(made.text.firstMatch(of: #/http[^<"]+/calendar/kvc_[A-Za-z0-9_-]+\.ics/#)?.0))
            #expect(try await client.get(Self.path(url)).status == .ok)
            let profile = try await client.get("/profile", headers: cookie).text
            #expect(profile.contains("Make a new address") && !profile.contains(url), "on, and the address not shown again")
            #expect(try await client.postForm("/profile/calendar", [], headers: cookie).status == .forbidden, "a form needs its CSRF token")
            let off = try await client.postForm("/profile/calendar/off", [("_csrf", csrf)], headers: cookie)
            #expect(off.status == .seeOther)
            #expect(try await client.get(Self.path(url)).status == .notFound)
        }
    }
}
