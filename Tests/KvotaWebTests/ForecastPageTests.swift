import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Testing

/// The forecast page shows the API's numbers for the same question, offers each reader only the scopes they may read,
/// and shows a question's problems above the default answer.
@Suite struct ForecastPageTests {
    @Test(arguments: TestDatabase.engines)
    func thePageShowsTheAPIsForecast(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let (session, _) = try await BrowserSignInTests.signIn(client, as: fixture.director, password: WebFixture.password)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let token = try await client.token(for: fixture.director)
            let api = try await client.get("/api/v1/forecast?horizon=3", token: token).json(ForecastAPITests.Answer.self)
            let page = try await client.get("/forecast?horizon=3", headers: cookie)
            #expect(page.status == .ok && page.text.contains("<svg") && page.text.contains("class=\"band\""))
            func money(_ minor: Int64) -> String { Int64((Double(minor) / 100).rounded()).formatted(.number.locale(Locale(identifier: "en_US"))) }
            for row in api.months {
                let actual = row.actual.map { "<td class=\"number\">€\(money($0))</td>" } ?? "<td class=\"number\"></td>"
                #expect(page.text.contains("<tr><td>\(row.month)</td>\(actual)"), "\(row.month)")
                if let history = row.history { #expect(page.text.contains("€\(money(history))"), "\(row.month) history") }
            }
            let outlook = try #require(api.outlook?["month"])
            #expect(page.text.contains("€\(money(outlook.outlook))"))
            #expect(page.text.contains("href=\"/api/v1/forecast?scope=company&amp;horizon=3&amp;format=csv\""))
            let team = try #require(fixture.head.teamID)
            #expect(page.text.contains("value=\"team:\(team)\"") && page.text.contains("value=\"user:\(fixture.rep.id)\""))

            let split = try await client.get("/forecast?by=region", headers: cookie)
            #expect(split.status == .ok && split.text.contains("MAPE"))

            let bad = try await client.get("/forecast?scope=nobody&horizon=99", headers: cookie)
            #expect(bad.status == .ok && bad.text.contains("role=\"alert\"") && bad.text.contains("<code>scope</code>")
                && bad.text.contains("<code>horizon</code>") && bad.text.contains("<svg"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aRepIsOfferedTheirOwnAndTheDeskNothing(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let (session, _) = try await BrowserSignInTests.signIn(client, as: fixture.rep, password: WebFixture.password)
            let page = try await client.get("/forecast", headers: [.cookie: "kvota_session=\(session)"])
            #expect(page.status == .ok)
            #expect(!page.text.contains("value=\"team:") && !page.text.contains("value=\"user:"), "a rep forecasts their own book only")
            let desk = try #require(try await fixture.database.users().first { $0.role == .orderDesk && $0.active })
            try await fixture.database.setPasswordHash(email: desk.email, WebFixture.passwordHash, by: nil, at: AnalyticsFixture.now)
            let (deskSession, _) = try await BrowserSignInTests.signIn(client, as: desk, password: WebFixture.password)
            let refused = try await client.get("/forecast", headers: [.cookie: "kvota_session=\(deskSession)"])
            #expect(refused.status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aHeadAdjustsTheirRepsCommitOnThePage(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: fixture.head, password: WebFixture.password)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let team = try #require(fixture.head.teamID)
            // The form sends its empty choices too ("total only"): they are no choice.
            let page = try await client.get("/forecast?scope=team%3A\(team)&horizon=6&by=", headers: cookie)
            #expect(page.text.contains("<option value=\"team:\(team)\" selected>") && !page.text.contains("role=\"alert\""))
            #expect(page.status == .ok && page.text.contains("Commit by person this month"))
            #expect(page.text.contains("name=\"user\" value=\"\(fixture.rep.id)\""), "a form for the rep")
            #expect(!page.text.contains("name=\"user\" value=\"\(fixture.head.id)\""), "none for the head's own number")

            let back = "scope=team%3A\(team)&horizon=6"
            let saved = try await client.postForm("/forecast/adjustments", [("_csrf", csrf), ("user", String(fixture.rep.id.rawValue)), ("month", "2026-11"),
                                                                            ("amount", "12 345"), ("note", "Two orders slip"), ("return", back)],
                                                  headers: cookie)
            let location = saved.headers[.location] ?? ""
            #expect(saved.status == .seeOther && location.hasPrefix("/forecast?scope=team") && location.contains("\(team)&horizon=6"))
            let head = try #require(try await fixture.database.signedInUser(fixture.head.id)).1
            let stored = try await fixture.database.forecastAdjustments(for: head, months: try Period(label: "2026-11")...(try Period(label: "2026-11")))
            #expect(stored.map(\.amountMinor) == [1_234_500] && stored.first?.note == "Two orders slip")

            let bad = try await client.postForm("/forecast/adjustments", [("_csrf", csrf), ("user", String(fixture.rep.id.rawValue)), ("month", "2026-10"),
                                                                          ("amount", "100"), ("return", back)], headers: cookie)
            #expect(bad.status == .unprocessableContent && bad.text.contains("has ended") && bad.text.contains("<svg"))
        }
    }
}
