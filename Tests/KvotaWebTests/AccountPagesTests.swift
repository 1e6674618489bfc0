import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// Accounts in the browser: the list a rep sees, a new account with its problems at their fields, and a new deal
/// from the account's page.
@Suite struct AccountPagesTests {
    @Test(arguments: TestDatabase.engines)
    func aRepCreatesAnAccountAndADealFromIt(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            _ = try await records.account(owner: org.stranger.id, name: "Elsewhere Oy")
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]

            let form = try await client.get("/accounts/new", headers: cookie)
            #expect(form.status == .ok && form.text.contains(#"name="legalId""#))
            let empty = try await client.postForm("/accounts", [("_csrf", csrf), ("name", "  "), ("legalId", "556677-8899")], headers: cookie)
            #expect(empty.status == .unprocessableContent)
            #expect(empty.text.contains(#"id="name-error""#) && empty.text.contains(#"value="556677-8899""#))

            let created = try await client.postForm("/accounts", [("_csrf", csrf), ("name", "Nordvind AB"), ("legalId", "556677-8899"),
                                                                  ("segment", "Wholesale"), ("notes", "Met at the fair")], headers: cookie)
            #expect(created.status == .seeOther)
            let accountPath = try #require(created.headers[.location])
            let page = try await client.get(accountPath, headers: [.cookie: "kvota_session=\(session); kvota_flash=notice:accounts.created"])
            #expect(page.text.contains("The account is created.") && page.text.contains("Nordvind AB") && page.text.contains("Rita"))

            let badAmount = try await client.postForm("\(accountPath)/deals", [("_csrf", csrf), ("title", "Spring order"),
                                                                               ("amount", "a lot"), ("currency", "EUR")], headers: cookie)
            #expect(badAmount.status == .unprocessableContent && badAmount.text.contains("Enter an amount such as 1200 or 1200.50."))
            #expect(badAmount.text.contains(#"value="Spring order""#))
            let deal = try await client.postForm("\(accountPath)/deals", [("_csrf", csrf), ("title", "Spring order"),
                                                                          ("amount", "12 500,50"), ("currency", "SEK")], headers: cookie)
            #expect(deal.status == .seeOther)
            let dealPage = try await client.get(try #require(deal.headers[.location]), headers: cookie)
            #expect(dealPage.text.contains("Spring order") && dealPage.text.contains("SEK\u{A0}12,500.50"))

            let list = try await client.get("/accounts", headers: cookie)
            #expect(list.text.contains("Nordvind AB") && !list.text.contains("Elsewhere Oy"))
            let found = try await client.get("/accounts?q=nordvind", headers: cookie)
            #expect(found.text.contains("Nordvind AB"))
            let none = try await client.get("/accounts?q=zzzz", headers: cookie)
            #expect(none.text.contains("Nothing matches these filters."))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func anotherRepsAccountIsNotFound(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let theirs = try await records.account(owner: org.stranger.id, name: "Elsewhere Oy")
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            #expect(try await client.get("/accounts/\(theirs)", headers: cookie).status == .notFound)
            let deal = try await client.postForm("/accounts/\(theirs)/deals", [("_csrf", csrf), ("title", "Mine now")], headers: cookie)
            #expect(deal.status == .notFound)
        }
    }
}
