import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import KvotaWeb
import Testing

/// `/admin/webhooks` in the browser: an admin subscribes an address and sees its secret once, a bad address or no
/// events is shown beside its field with nothing written, the subscription is turned off and on, given a new secret
/// and deleted; nobody else reaches the page.
@Suite struct WebhookPagesTests {
    @Test(arguments: TestDatabase.engines)
    func anAdminKeepsTheSubscriptionsOnThePage(engine: DatabaseEngine) async throws {
        let secrets = try SecretBox(key: WebhooksAPITests.key)
        try await WebFixture.run(engine, configure: { $0.secrets = secrets }) { client, org in
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.admin)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let empty = try await client.get("/admin/webhooks", headers: cookie)
            #expect(empty.status == .ok && empty.text.contains("No subscriptions yet.") && empty.text.contains("deal.stage_changed"))

            let bad = try await client.postForm("/admin/webhooks", [("_csrf", csrf), ("url", "mailto:erp@example.com"), ("description", "")],
                                                headers: cookie)
            #expect(bad.status == .unprocessableContent && bad.text.contains("url-error") && bad.text.contains("events-error"))
            let admin = try #require(try await org.database.signedInUser(org.admin.id)).1
            #expect(try await org.database.webhookSubscriptions(for: admin).isEmpty)

            let made = try await client.postForm("/admin/webhooks", [("_csrf", csrf), ("url", "https://erp.example.com/kvota"), ("description", "ERP"),
                                                                     ("events", "deal.won"), ("events", "order.confirmed")], headers: cookie)
            #expect(made.status == .created)
            let subscription = try #require(try await org.database.webhookSubscriptions(for: admin).first)
            #expect(subscription.events == [.dealWon, .orderConfirmed] && subscription.description == "ERP")
            let secret = try #require(made.text.range(of: #"kvw_[A-Za-z0-9_-]+"#, options: .regularExpression).map { String(made.text[$0]) })
            let sealed = try await org.database.read { sql in
                try await sql.raw("SELECT secret_sealed FROM webhook_subscriptions").first()!.decode(column: "secret_sealed", as: String.self)
            }
            #expect(secrets.open(sealed) == secret, "the secret shown is the one deliveries are signed with")
            #expect(try await client.get("/admin/webhooks", headers: cookie).text.contains("kvw_") == false, "shown once")

            let off = try await client.postForm("/admin/webhooks/\(subscription.id)/state",
                                                [("_csrf", csrf), ("state", "disabled"), ("version", String(subscription.version))], headers: cookie)
            #expect(off.status == .seeOther)
            let page = try await client.get("/admin/webhooks", headers: cookie)
            #expect(page.text.contains("turned off") && page.text.contains("Turn on"))

            let renewed = try await client.postForm("/admin/webhooks/\(subscription.id)/secret", [("_csrf", csrf)], headers: cookie)
            #expect(renewed.status == .ok && renewed.text.contains("kvw_") && !renewed.text.contains(secret))

            let current = try await org.database.webhookSubscription(subscription.id, for: admin)
            #expect(try await client.postForm("/admin/webhooks/\(subscription.id)/delete",
                                              [("_csrf", csrf), ("version", String(current.version))], headers: cookie).status == .seeOther)
            #expect(try await org.database.webhookSubscriptions(for: admin).isEmpty)

            for user in [org.director, org.rep] {
                let (other, _) = try await BrowserSignInTests.signIn(client, as: user)
                #expect(try await client.get("/admin/webhooks", headers: [.cookie: "kvota_session=\(other)"]).status == .forbidden)
            }
        }
    }
}
