import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// The leads inbox: a new lead with its waiting time, taken in work, qualified and converted into a deal; a
/// disqualified one keeps its reason; another rep's leads stay out of sight.
@Suite struct LeadsPageTests {
    @Test(arguments: TestDatabase.engines)
    func aLeadGoesFromNewToADeal(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            _ = try await TestRecords.make(org.database)
            let now = org.clock.now
            let (_, rep) = try #require(try await org.database.signedInUser(org.rep.id))
            let (_, stranger) = try #require(try await org.database.signedInUser(org.stranger.id))
            var patch = LeadPatch()
            patch.source = .webForm; patch.name = "Petra Lind"; patch.companyName = "Lind & Co"; patch.ownerID = org.rep.id
            patch.phone = .some("+46701234567"); patch.message = .some("We need 200 shelves by March.")
            patch.receivedAt = now.addingTimeInterval(-40 * 60)
            let lead = try await org.database.addLead(patch, by: rep, at: now)
            patch.name = "Not yours"; patch.ownerID = org.stranger.id
            _ = try await org.database.addLead(patch, by: stranger, at: now)

            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let inbox = try await client.get("/leads", headers: cookie)
            #expect(inbox.status == .ok && inbox.text.contains("Petra Lind") && !inbox.text.contains("Not yours"))
            #expect(inbox.text.contains("not answered yet · Waiting: 40 min") && inbox.text.contains(#"class="late""#))
            #expect(inbox.text.contains("We need 200 shelves by March.") && inbox.text.contains(#"href="tel:+46701234567""#))

            func step(_ status: String, version: Int64, reason: String? = nil) async throws -> TestResponse {
                var fields = [("_csrf", csrf), ("status", status), ("version", String(version)), ("return", "/leads?status=\(status)")]
                if let reason { fields.append(("reason", reason)) }
                return try await client.postForm("/leads/\(lead.id)/status", fields, headers: cookie)
            }
            #expect(try await step("in_work", version: 1).status == .seeOther)
            let qualified = try await step("qualified", version: 2)
            #expect(qualified.status == .seeOther && qualified.headers[.location] == "/leads?status=qualified")
            let list = try await client.get("/leads?status=qualified", headers: cookie)
            #expect(list.text.contains("Petra Lind") && list.text.contains("Convert to a deal"))

            let converted = try await client.postForm("/leads/\(lead.id)/convert", [("_csrf", csrf), ("version", "3")], headers: cookie)
            #expect(converted.status == .seeOther)
            let dealPath = try #require(converted.headers[.location])
            #expect(dealPath.hasPrefix("/deals/"))
            let deal = try await client.get(dealPath, headers: cookie)
            #expect(deal.text.contains("Lind &amp; Co") || deal.text.contains("Lind & Co"))
            #expect(try await org.database.lead(lead.id, for: rep).status == .converted)
            #expect(try await client.get("/leads?status=converted", headers: cookie).text.contains("Petra Lind"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aDisqualifiedLeadKeepsItsReasonAndAStaleFormChangesNothing(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (_, rep) = try #require(try await org.database.signedInUser(org.rep.id))
            let (_, admin) = try #require(try await org.database.signedInUser(org.admin.id))
            _ = try await org.database.addLossReason(appliesTo: .lead, name: "Not our market", by: admin, at: org.clock.now)
            var patch = LeadPatch()
            patch.source = .inboundCall; patch.name = "Olle Berg"; patch.ownerID = org.rep.id; patch.status = .inWork
            let lead = try await org.database.addLead(patch, by: rep, at: org.clock.now)
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let cookie: HTTPFields = [.cookie: "kvota_session=\(session)"]
            let page = try await client.get("/leads?status=in_work", headers: cookie)
            #expect(page.text.contains("Not our market") && page.text.contains("Disqualify"))

            let stale = try await client.postForm("/leads/\(lead.id)/status", [("_csrf", csrf), ("status", "disqualified"), ("version", "9"),
                                                                               ("reason", "Not our market")], headers: cookie)
            #expect(stale.cookie("kvota_flash")?.value == "error:leads.changed_elsewhere")
            #expect(try await org.database.lead(lead.id, for: rep).status == .inWork)
            let done = try await client.postForm("/leads/\(lead.id)/status", [("_csrf", csrf), ("status", "disqualified"), ("version", "1"),
                                                                              ("reason", "Not our market")], headers: cookie)
            #expect(done.status == .seeOther)
            let list = try await client.get("/leads?status=disqualified", headers: cookie)
            #expect(list.text.contains("Olle Berg") && list.text.contains("Reason: Not our market"))

            let (strangerSession, strangerCSRF) = try await BrowserSignInTests.signIn(client, as: org.stranger)
            let foreign = try await client.postForm("/leads/\(lead.id)/status", [("_csrf", strangerCSRF), ("status", "in_work")],
                                                    headers: [.cookie: "kvota_session=\(strangerSession)"])
            #expect(foreign.status == .notFound)
        }
    }
}
