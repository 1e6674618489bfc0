import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import SQLKit
import Testing

/// The analytics pages show what the API answers for the same query, in the reader's language, with their problems
/// shown above the defaults' answer; the overview names this month's numbers and the alerts.
@Suite struct AnalyticsPagesTests {
    @Test(arguments: TestDatabase.engines)
    func pagesShowTheAPIsNumbers(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let (session, _) = try await BrowserSignInTests.signIn(client, as: fixture.director, password: WebFixture.password)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let token = try await client.token(for: fixture.director)

            let overview = try await client.get("/analytics", headers: cookie)
            #expect(overview.status == .ok)
            #expect(overview.text.contains("Sales this month to date") && overview.text.contains("href=\"/analytics/dynamics\""))
            #expect(overview.text.contains("concentration") || overview.text.contains("Concentration"))
            for analysis in AnalysisPage.allCases { #expect(overview.text.contains("href=\"/analytics/\(analysis.rawValue)\""), "\(analysis)") }

            // Orders by quarter: each period's count, as the API gives it, in the table.
            let query = "measure=orders&grain=quarter&from=2025-01-01&to=2026-09-30"
            let page = try await client.get("/analytics/dynamics?\(query)", headers: cookie)
            #expect(page.status == .ok && page.text.contains("<svg"))
            let api = try await client.get("/api/v1/analytics/dynamics?\(query)", token: token).json(AnalyticsDynamicsTests.Answer.self)
            for point in try #require(api.series.first).points {
                let value = point.value.formatted(.number.locale(Locale(identifier: "en_US")))
                #expect(page.text.contains("<td>\(point.period)</td><td class=\"number\">\(value)</td>"), "\(point.period) \(value)")
            }
            #expect(page.text.contains("href=\"/api/v1/analytics/dynamics?\(query.replacingOccurrences(of: "&", with: "&amp;"))&amp;format=csv\""), "the same query as CSV")

            // By rep: a line per rep and a link to their orders.
            let byRep = try await client.get("/analytics/dynamics?by=manager&from=2026-01-01&to=2026-06-30", headers: cookie)
            #expect(byRep.text.contains("href=\"/orders?owner="))

            // A query that makes no sense: each problem at its control, another above the form, the defaults' answer below.
            let bad = try await client.get("/analytics/dynamics?measure=profit&from=2026-05-01&to=2026-04-01&top=0", headers: cookie)
            #expect(bad.status == .ok && bad.text.contains("id=\"measure-error\"") && bad.text.contains("expected one of: revenue"))
            #expect(bad.text.contains("id=\"to-error\"") && bad.text.contains("must not be before from") && bad.text.contains("<svg"))
            #expect(bad.text.contains("role=\"alert\"") && bad.text.contains("<code>top</code>"), "top has no control of its own")

            // ABC of products: the class summary is the API's.
            let abc = try await client.get("/analytics/abc?subject=product&from=2026-01-01&to=2026-09-30", headers: cookie)
            let abcAPI = try await client.get("/api/v1/analytics/abc?subject=product&from=2026-01-01&to=2026-09-30", token: token)
                .json(AnalyticsClassesTests.ABCAnswer.self)
            for summary in abcAPI.classes {
                #expect(abc.text.contains(">\(summary.class)</a></td><td class=\"number\">\(summary.count)</td>"), "class \(summary.class)")
            }
            #expect(abc.text.contains("class=B"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func repsReadTheirOwnInTheirLanguageAndTheDeskHasNoAnalytics(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            try await fixture.database.write { sql in
                try await sql.raw("UPDATE users SET language = 'ru' WHERE id = \(bind: fixture.rep.id.rawValue)").run()
            }
            let (session, _) = try await BrowserSignInTests.signIn(client, as: fixture.rep, password: WebFixture.password)
            let page = try await client.get("/analytics/dynamics", headers: [.cookie: "kvota_session=\(session)"])
            #expect(page.status == .ok && page.text.contains("Динамика продаж") && page.text.contains("Год назад"))
            let overview = try await client.get("/analytics", headers: [.cookie: "kvota_session=\(session)"])
            #expect(overview.text.contains("Продажи в этом месяце на сегодня"))

            let desk = try #require(try await fixture.database.users().first { $0.role == .orderDesk })
            try await fixture.database.setPasswordHash(email: desk.email, WebFixture.passwordHash, by: nil, at: AnalyticsFixture.now)
            let (deskSession, _) = try await BrowserSignInTests.signIn(client, as: desk, password: WebFixture.password)
            #expect(try await client.get("/analytics", headers: [.cookie: "kvota_session=\(deskSession)"]).status == .forbidden)
        }
    }
}
