import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// The record lists in the browser: the access policy's rows for every role, filters read as the API reads them,
/// sorting by a header, the next page, the export link, and saved views.
@Suite struct ListPagesTests {
    static let lists = ["/accounts", "/contacts", "/deals", "/activities", "/orders", "/products"]

    struct NewDeal: Encodable {
        let title: String
        let accountId: Int64
        let amountMinor: Int64
        let currency = "EUR"
    }

    @Test(arguments: TestDatabase.engines)
    func everyRoleSeesTheRowsThePolicyGivesIt(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            for (user, name) in [(org.rep, "Rita"), (org.stranger, "Sven")] {
                let account = try await records.account(owner: user.id, name: "\(name) Corp")
                _ = try await records.contact(account: account, name: "\(name) Person")
                _ = try await records.deal(account: account, owner: user.id)
                _ = try await records.task(owner: user.id, account: account)
                _ = try await records.order(account: account, owner: user.id)
            }
            _ = try await records.product(sku: "SKU-1", priceMinor: 1_000, costMinor: 600)
            for user in org.everyone {
                let (session, _) = try await BrowserSignInTests.signIn(client, as: user)
                for path in Self.lists {
                    let page = try await client.get(path, headers: [.cookie: "kvota_session=\(session)"])
                    #expect(page.status == .ok, "\(user.name) \(path)")
                    guard path != "/products" else { continue }
                    let own = path == "/contacts" ? "Rita Person" : "Rita Corp", other = path == "/contacts" ? "Sven Person" : "Sven Corp"
                    // The order desk keeps its own activities only; everyone else reads by the policy's rows.
                    let seesRita = user.id == org.rep.id || [org.head.id, org.director.id, org.analyst.id, org.admin.id].contains(user.id)
                        || (user.id == org.desk.id && path != "/activities")
                    let seesSven = user.id == org.stranger.id || [org.director.id, org.analyst.id, org.admin.id].contains(user.id)
                        || (user.id == org.desk.id && path != "/activities")
                    #expect(page.text.contains(own) == seesRita, "\(user.name) \(path) \(own)")
                    #expect(page.text.contains(other) == seesSven, "\(user.name) \(path) \(other)")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func filtersSortPagesAndExportAsTheAPIDoes(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id, name: "Nordvind AB")
            let token = try await client.token(for: org.rep)
            for (title, amount) in [("Ferry", 300_00), ("Crane", 900_00), ("Barge", 50_00)] {
                _ = try await client.post("/api/v1/deals", json: NewDeal(title: title, accountId: account, amountMinor: Int64(amount)), token: token)
            }
            let (session, _) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]

            let list = try await client.get("/deals", headers: cookie)
            #expect(!list.text.contains(#"name="owner""#), "a rep sees only their own deals, so there is no one to filter by")
            func order(_ text: String) -> [String] {
                ["Ferry", "Crane", "Barge"].compactMap { title in text.range(of: ">\(title)<").map { (title, $0.lowerBound) } }
                    .sorted { $0.1 < $1.1 }.map(\.0)
            }
            let biggest = try await client.get("/deals?sort=-amount", headers: cookie)
            #expect(order(biggest.text) == ["Crane", "Ferry", "Barge"])
            #expect(biggest.text.contains(#"aria-sort="descending""#))
            #expect(biggest.text.contains(#"href="/deals?sort=amount""#), "the current column's header turns the order round")
            #expect(biggest.text.contains(#"href="/api/v1/deals?sort=-amount&amp;format=csv""#), "the export is the same query")
            #expect(order(try await client.get("/deals?sort=title", headers: cookie).text) == ["Barge", "Crane", "Ferry"])
            let found = try await client.get("/deals?q=cra&status=open&owner=&stage=", headers: cookie)
            #expect(order(found.text) == ["Crane"], "empty fields of the filter form are no filter")
            let csv = try await client.get("/api/v1/deals?sort=-amount&format=csv", headers: cookie)
            let titles = csv.text.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }.map { $0.split(separator: ",")[1] }
            #expect(csv.status == .ok && titles == ["Crane", "Ferry", "Barge"])

            let bad = try await client.get("/deals?status=maybe", headers: cookie)
            #expect(bad.status == .ok && bad.text.contains(#"id="filter-status-error""#), "a control's problem is shown at it")
            let badSort = try await client.get("/deals?sort=colour", headers: cookie)
            #expect(badSort.text.contains("<code>sort</code>"), "a problem without a control is listed above the table")

            for _ in 0..<50 { _ = try await records.deal(account: account, owner: org.rep.id) }
            let first = try await client.get("/deals?sort=title", headers: cookie)
            let next = try #require(first.text.firstMatch(of: /href="(\/deals\?sort=title&amp;cursor=[^"]+)" rel="next"/)?.1)
            let second = try await client.get(String(next).htmlUnescaped, headers: cookie)
            #expect(order(second.text) == ["Ferry"] && !second.text.contains(#"rel="next""#), "53 deals: 50, then the last 3")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theLeadsListFiltersBesideTheInbox(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let mine = try await records.lead(owner: org.rep.id)
            let qualified = try await records.lead(owner: org.rep.id, status: "qualified")
            let theirs = try await records.lead(owner: org.stranger.id)
            let (session, _) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            #expect(try await client.get("/leads", headers: cookie).text.contains(#"href="/leads/list""#))
            let all = try await client.get("/leads/list", headers: cookie)
            #expect(all.status == .ok && all.text.contains(#"href="/leads/\#(mine)""#) && all.text.contains(#"href="/leads/\#(qualified)""#))
            #expect(!all.text.contains(#"href="/leads/\#(theirs)""#))
            let filtered = try await client.get("/leads/list?status=qualified", headers: cookie)
            #expect(filtered.text.contains(#"href="/leads/\#(qualified)""#) && !filtered.text.contains(#"href="/leads/\#(mine)""#))
            #expect(filtered.text.contains(#"href="/api/v1/leads?status=qualified&amp;format=csv""#))
            #expect(try await client.get("/leads/\(mine)", headers: cookie).status == .ok, "a lead's page is still its id")
            let (deskSession, _) = try await BrowserSignInTests.signIn(client, as: org.desk)
            #expect(try await client.get("/leads/list", headers: [.cookie: "kvota_session=\(deskSession)"]).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func savedViewsAreTheirOwners(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let saved = try await client.postForm("/deals/views", [("_csrf", csrf), ("name", "Biggest open"),
                                                                   ("query", "status=open&sort=-amount&cursor=abc&q=")], headers: cookie)
            #expect(saved.status == .seeOther && saved.headers[.location] == "/deals?status=open&sort=-amount")
            let page = try await client.get("/deals?status=open&sort=-amount", headers: cookie)
            #expect(page.text.contains(#"<a href="/deals?status=open&amp;sort=-amount" aria-current="page">Biggest open</a>"#))

            let unnamed = try await client.postForm("/deals/views", [("_csrf", csrf), ("name", " "), ("query", "status=won")], headers: cookie)
            #expect(unnamed.status == .unprocessableContent)
            #expect(unnamed.text.contains(#"id="view-name-error""#) && unnamed.text.contains("<details open>"))

            let rita = try #require(try await org.database.signedInUser(org.rep.id)).1
            let id = try #require(try await org.database.savedViews(of: .deal, for: rita).first?.id.rawValue)
            let (headSession, headCSRF) = try await BrowserSignInTests.signIn(client, as: org.head)
            let headCookie: HTTPFields = [.cookie: "kvota_session=\(headSession)"]
            #expect(!(try await client.get("/deals", headers: headCookie).text.contains("Biggest open")))
            let theirs = try await client.postForm("/deals/views/\(id)/delete", [("_csrf", headCSRF)], headers: headCookie)
            #expect(theirs.status == .notFound)
            let deleted = try await client.postForm("/deals/views/\(id)/delete", [("_csrf", csrf)], headers: cookie)
            #expect(deleted.status == .seeOther && deleted.headers[.location] == "/deals")
            #expect(!(try await client.get("/deals", headers: cookie).text.contains("Biggest open")))
        }
    }
}
