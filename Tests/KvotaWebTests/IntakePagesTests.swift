import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// The intake in the browser (issue 9): an admin publishes a form and sets rules on `/admin/intake` and gives a
/// waiting extension to a rep; a rep goes off shift on My day; the inbox's clock reads the company's answer time.
@Suite struct IntakePagesTests {
    @Test(arguments: TestDatabase.engines)
    func anAdminSetsUpTheIntakeAndARepGoesOffShift(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.admin)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let empty = try await client.get("/admin/intake", headers: cookie)
            #expect(empty.status == .ok && empty.text.contains("No web forms yet."))

            #expect(try await client.postForm("/admin/intake/forms", [("_csrf", csrf), ("name", "Spring landing"), ("source", "web_form"),
                                                                      ("regionId", ""), ("redirectUrl", "")], headers: cookie).status == .seeOther)
            let bad = try await client.postForm("/admin/intake/forms", [("_csrf", csrf), ("name", "x"), ("source", "web_form"),
                                                                        ("redirectUrl", "mailto:me@example.com")], headers: cookie)
            #expect(bad.status == .unprocessableContent && bad.text.contains("redirectUrl-error") && bad.text.contains("mailto:me@example.com"))
            let admin = try #require(try await org.database.signedInUser(org.admin.id)).1
            let form = try #require(try await org.database.webForms(for: admin).first)
            #expect(form.name == "Spring landing" && form.redirectURL == nil)

            let rule = try await client.postForm("/admin/intake/rules", [("_csrf", csrf), ("kind", "any"), ("regionId", ""), ("source", ""),
                                                                         ("channel", ""), ("target", "team:\(org.teamA.id.rawValue)")], headers: cookie)
            #expect(rule.status == .seeOther)
            let noTarget = try await client.postForm("/admin/intake/rules", [("_csrf", csrf), ("kind", "source"), ("regionId", ""), ("source", ""),
                                                                             ("channel", ""), ("target", "")], headers: cookie)
            #expect(noTarget.status == .unprocessableContent && noTarget.text.contains("rule-source-error") && noTarget.text.contains("target-error"))
            let page = try await client.get("/admin/intake", headers: cookie)
            #expect(page.text.contains("/f/\(form.key)") && page.text.contains("New Business, in turns"))

            // A call on extension 305 waits; the admin gives it to Tove, and it becomes her call.
            _ = try await org.database.recordCalls([PBXCall(id: "c-9", direction: .inbound, externalNumber: "+46701234567",
                                                            internalNumber: "100", answeredBy: "305", rang: ["305"], startedAt: org.clock.now.addingTimeInterval(-600),
                                                            answeredAt: org.clock.now.addingTimeInterval(-590), endedAt: org.clock.now.addingTimeInterval(-500),
                                                            talkSeconds: 90, disposition: .answered)], at: org.clock.now)
            #expect(try await client.get("/admin/intake", headers: cookie).text.contains("<strong>305</strong>"))
            #expect(try await client.postForm("/admin/intake/extensions/305", [("_csrf", csrf), ("userId", String(org.teammate.id.rawValue))],
                                              headers: cookie).status == .seeOther)
            #expect(try await client.get("/admin/intake", headers: cookie).text.contains("Every call came on an extension someone has."))

            // Rita goes off shift on My day: the next request goes to Tove.
            let (ritaSession, ritaCSRF) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let rita: HTTPFields = [.cookie: "kvota_session=\(ritaSession)"]
            #expect(try await client.get("/", headers: rita).text.contains("Go off shift"))
            #expect(try await client.postForm("/profile/shift", [("_csrf", ritaCSRF), ("on", "false")], headers: rita).status == .seeOther)
            #expect(try await client.get("/", headers: rita).text.contains("Go on shift"))
            let receipt = try await org.database.receiveInbound({
                var request = InboundRequest(via: .form, source: .webForm, channel: "web_form")
                request.email = "new@example.com"
                return request
            }(), at: org.clock.now)
            #expect(receipt.ownerID == org.teammate.id, "round-robin passes over Rita off shift")
            // A messenger conversation reads on the lead's page, message by message.
            var hello = InboundRequest(via: .messenger, source: .messenger, channel: "whatsapp")
            hello.senderID = "4670"; hello.text = "Hello, <b>prices</b>?"
            let chat = try await org.database.receiveInbound(hello, at: org.clock.now)
            hello.text = "For 40 units"
            _ = try await org.database.receiveInbound(hello, at: org.clock.now.addingTimeInterval(60))
            let leadPage = try await client.get("/leads/\(chat.leadID.rawValue)", headers: cookie)
            #expect(leadPage.text.contains("Requests and messages") && leadPage.text.contains("For 40 units")
                    && leadPage.text.contains("Hello, &lt;b&gt;prices&lt;/b&gt;?") && leadPage.text.contains("whatsapp"))
            let (deskSession, _) = try await BrowserSignInTests.signIn(client, as: org.desk)
            #expect(!(try await client.get("/", headers: [.cookie: "kvota_session=\(deskSession)"]).text.contains("shift")))
            #expect(try await client.get("/admin/intake", headers: rita).status == .forbidden)

            // The inbox's clock: with a 30-minute answer time, a lead 20 minutes old is not late and says how long is left.
            _ = try await client.send(.patch, "/api/v1/settings", json: ["thresholds": ["leadResponseSeconds": 1800]], token: try await client.token(for: org.admin))
            org.clock.advance(1200)
            let inbox = try await client.get("/leads", headers: cookie)
            #expect(inbox.text.contains("answer within 10 min") && !inbox.text.contains("class=\"late\""), "\(inbox.text)")
        }
    }
}
