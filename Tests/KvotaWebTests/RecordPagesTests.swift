import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// The contact, lead, order and account pages: what each shows, their quick actions, and that someone else's record
/// is not found, as in the API.
@Suite struct RecordPagesTests {
    struct NewOrder: Encodable {
        struct Line: Encodable { let productId: Int64; let quantityMilli: Int64; var discountMinor: Int64? }
        let accountId: Int64
        let status = "draft"
        let orderedOn = "2026-11-20"
        let lines: [Line]
    }

    struct Created: Decodable { let id: Int64 }

    @Test(arguments: TestDatabase.engines)
    func aContactsPageShowsHowToReachThemAndTakesQuickActions(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id, name: "Nordvind AB")
            let token = try await client.token(for: org.rep)
            let contact = try await client.post("/api/v1/contacts", json: [
                "accountId": .number(Double(account)), "name": .string("Eva Lind"), "position": .string("Buyer"), "phone": .string("+46701234567"),
            ] as [String: JSONValue], token: token).json(Created.self).id
            let theirs = try await records.contact(account: try await records.account(owner: org.stranger.id, name: "Elsewhere"), name: "Sven P")
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]

            let page = try await client.get("/contacts/\(contact)", headers: cookie)
            #expect(page.status == .ok && page.text.contains("Eva Lind") && page.text.contains(#"href="tel:+46701234567""#))
            #expect(page.text.contains(#"href="/accounts/\#(account)">Nordvind AB</a>"#))
            #expect(try await client.get("/contacts/\(theirs)", headers: cookie).status == .notFound)

            let empty = try await client.postForm("/contacts/\(contact)/activities", [("_csrf", csrf), ("form", "note"), ("subject", " ")],
                                                  headers: cookie)
            #expect(empty.status == .unprocessableContent && empty.text.contains(#"<details open>"#))
            let note = try await client.postForm("/contacts/\(contact)/activities", [("_csrf", csrf), ("form", "note"),
                                                                                     ("subject", "Prefers email")], headers: cookie)
            #expect(note.status == .seeOther && note.headers[.location] == "/contacts/\(contact)")
            #expect(try await client.get("/contacts/\(contact)", headers: cookie).text.contains("Note: Prefers email"))
            let planned = try await client.postForm("/accounts/\(account)/activities", [("_csrf", csrf), ("form", "planned"), ("kind", "meeting"),
                                                                                        ("subject", "Visit the plant"), ("due", "2026-12-01T10:30")],
                                                    headers: cookie)
            #expect(planned.status == .seeOther)
            let accountPage = try await client.get("/accounts/\(account)", headers: cookie)
            #expect(accountPage.text.contains("Meeting: Visit the plant") && accountPage.text.contains("Note: Prefers email"))
            #expect(accountPage.text.contains(#"href="/contacts/\#(contact)">Eva Lind</a>"#))
            let theirAccount = try await client.postForm("/accounts/\(try await records.account(owner: org.stranger.id, name: "X"))/activities",
                                                         [("_csrf", csrf), ("form", "note"), ("subject", "Hi")], headers: cookie)
            #expect(theirAccount.status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aLeadsPageShowsItsWaitAndTheFirstCallAnswersIt(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let lead = try await records.lead(owner: org.rep.id)
            let theirs = try await records.lead(owner: org.stranger.id)
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]

            let page = try await client.get("/leads/\(lead)", headers: cookie)
            #expect(page.status == .ok && page.text.contains("not answered yet") && page.text.contains(">Take in work<"))
            #expect(try await client.get("/leads/\(theirs)", headers: cookie).status == .notFound)
            #expect(try await client.get("/leads", headers: cookie).text.contains(#"href="/leads/\#(lead)""#))

            let call = try await client.postForm("/leads/\(lead)/activities", [("_csrf", csrf), ("form", "call"), ("subject", "Called back"),
                                                                               ("direction", "outbound"), ("outcome", "answered"), ("minutes", "4")],
                                                 headers: cookie)
            #expect(call.status == .seeOther && call.headers[.location] == "/leads/\(lead)")
            let answered = try await client.get("/leads/\(lead)", headers: cookie)
            #expect(answered.text.contains("Call: Called back") && answered.text.contains("answered in"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func anOrdersPageShowsItsLinesAndTheDeskConfirmsADraftThere(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id, name: "Nordvind AB")
            let bolt = try await records.product(sku: "BOLT-8", priceMinor: 250, costMinor: 100)
            let desk = try await client.token(for: org.desk)
            let created = try await client.post("/api/v1/orders", json: NewOrder(accountId: account, lines: [
                .init(productId: bolt, quantityMilli: 4_000, discountMinor: 100),
            ]), token: desk)
            let order = try created.json(Created.self).id
            let theirs = try await records.order(account: try await records.account(owner: org.stranger.id, name: "X"), owner: org.stranger.id)

            let (repSession, _) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let repCookie: HTTPFields = [.cookie: "kvota_session=\(repSession)"]
            let seen = try await client.get("/orders/\(order)", headers: repCookie)
            #expect(seen.status == .ok && seen.text.contains("BOLT-8") && seen.text.contains("€9.00"), "4 × 2.50 less 1.00")
            #expect(!seen.text.contains("/confirm"), "a rep does not confirm orders")
            #expect(try await client.get("/orders/\(theirs)", headers: repCookie).status == .notFound)

            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.desk)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let page = try await client.get("/orders/\(order)", headers: cookie)
            let version = try #require(page.text.firstMatch(of: /name="version" value="(\d+)"/)?.1)
            let confirmed = try await client.postForm("/orders/\(order)/confirm", [("_csrf", csrf), ("version", String(version)),
                                                                                   ("return", "/orders/\(order)")], headers: cookie)
            #expect(confirmed.status == .seeOther && confirmed.headers[.location] == "/orders/\(order)")
            let after = try await client.get("/orders/\(order)", headers: cookie)
            #expect(after.text.contains("Confirmed") && !after.text.contains("/confirm"))
        }
    }
}
