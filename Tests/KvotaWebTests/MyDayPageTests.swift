import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// "My day": what is due and overdue, missed calls not yet returned, new leads waiting (and for how long), and
/// open deals with nothing planned; only the signed-in rep's own, in their language.
@Suite struct MyDayPageTests {
    @Test(arguments: TestDatabase.engines)
    func theRepSeesTheirDayAndNoOneElses(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let now = org.clock.now
            let records = try await TestRecords.make(org.database)
            let (_, rep) = try #require(try await org.database.signedInUser(org.rep.id))
            let (_, stranger) = try #require(try await org.database.signedInUser(org.stranger.id))
            let account = try await records.account(owner: org.rep.id, name: "Nordvind AB")
            let planned = try await records.deal(account: account, owner: org.rep.id)
            let idle = try await records.deal(account: account, owner: org.rep.id)
            let elsewhere = try await records.account(owner: org.stranger.id, name: "Elsewhere")
            _ = try await records.deal(account: elsewhere, owner: org.stranger.id)

            func activity(_ kind: ActivityKind, _ subject: String, by actor: Actor, deal: Int64? = nil, due: Date? = nil,
                          at: Date, call: (CallDirection, CallDisposition, String)? = nil, about: Int64? = account) async throws {
                var patch = ActivityPatch()
                patch.kind = kind; patch.subject = subject; patch.occurredAt = at; patch.dueAt = due
                patch.dealID = deal.map { Deal.ID($0) }; patch.accountID = about.map { Account.ID($0) }
                if let call { patch.callDirection = call.0; patch.callDisposition = call.1; patch.externalNumber = call.2; patch.talkSeconds = 0 }
                _ = try await org.database.addActivity(patch, by: actor, at: now)
            }
            try await activity(.task, "Send the revised offer", by: rep, deal: planned, due: now.addingTimeInterval(2 * 3600), at: now)
            try await activity(.task, "Chase the signed contract", by: rep, deal: planned, due: now.addingTimeInterval(-2 * 86_400), at: now)
            try await activity(.task, "Already done", by: rep, due: now.addingTimeInterval(3600), at: now)
            _ = try await org.database.updateActivity(
                try await org.database.activities(ActivityFilter(done: false), for: rep).items.first { $0.subject == "Already done" }!.id,
                { var done = ActivityPatch(); done.done = true; return done }(), expectedVersion: nil, by: rep, at: now)
            try await activity(.call, "Missed", by: rep, at: now.addingTimeInterval(-30 * 60), call: (.inbound, .missed, "+46701234567"))
            try await activity(.call, "Missed, then returned", by: rep, at: now.addingTimeInterval(-3600), call: (.inbound, .missed, "+46709999999"))
            try await activity(.call, "Returned", by: rep, at: now.addingTimeInterval(-1800), call: (.outbound, .answered, "+46709999999"))
            try await activity(.task, "Someone else's task", by: stranger, due: now.addingTimeInterval(3600), at: now, about: elsewhere)

            var lead = LeadPatch()
            lead.source = .webForm; lead.name = "Petra Lind"; lead.companyName = "Lind & Co"; lead.ownerID = org.rep.id
            lead.receivedAt = now.addingTimeInterval(-20 * 60)
            _ = try await org.database.addLead(lead, by: rep, at: now)
            lead.name = "Other rep's lead"; lead.ownerID = org.stranger.id
            _ = try await org.database.addLead(lead, by: stranger, at: now)

            let (session, _) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let page = try await client.get("/", headers: [.cookie: "kvota_session=\(session)"])
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("Send the revised offer") && html.contains("Chase the signed contract"))
            #expect(!html.contains("Already done") && !html.contains("Someone else&apos;s task") && !html.contains("Someone else's task"))
            #expect(html.contains("+46701234567") && html.contains(#"href="tel:+46701234567""#))
            #expect(!html.contains("+46709999999"), "a missed call already returned is not a callback")
            #expect(html.contains("Petra Lind") && !html.contains("Other rep"))
            #expect(html.contains("20 min"), "the new lead's waiting time")
            #expect(html.contains(#"class="late""#), "past the 15-minute answer time")
            #expect(html.contains("Elsewhere") == false)
            let idleDeals = try #require(html.range(of: "Deals with no next step"))
            #expect(html[idleDeals.upperBound...].contains("Nordvind AB") && html[idleDeals.upperBound...].contains("€1,000"))
            #expect(idle != planned)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func anEmptyDaySaysSoInTheUsersLanguage(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            _ = try await org.database.updateUser(org.teammate.id, UserPatch(language: .ru), expectedVersion: nil, by: nil, at: Date())
            let (session, _) = try await BrowserSignInTests.signIn(client, as: org.teammate)
            let page = try await client.get("/", headers: [.cookie: "kvota_session=\(session)"])
            #expect(page.text.contains("Мой день") && page.text.contains("Просроченных дел нет."))
            #expect(page.text.contains("У всех открытых сделок есть следующий шаг."))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aLongListShowsItsFirstRowsAndHowManyThereAre(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let now = org.clock.now
            let records = try await TestRecords.make(org.database)
            let (_, rep) = try #require(try await org.database.signedInUser(org.rep.id))
            let account = try await records.account(owner: org.rep.id)
            for day in 1...(MyDay.limit + 2) {
                var patch = ActivityPatch()
                patch.kind = .task; patch.subject = "Overdue \(day)"; patch.accountID = Account.ID(account)
                patch.dueAt = now.addingTimeInterval(-Double(day) * 86_400 - 3600)
                _ = try await org.database.addActivity(patch, by: rep, at: now)
            }
            let (session, _) = try await BrowserSignInTests.signIn(client, as: org.rep)
            let page = try await client.get("/", headers: [.cookie: "kvota_session=\(session)"]).text
            #expect(page.contains("Showing the first 50 of 52."))
            #expect(page.contains("Overdue 52") && !page.contains("Overdue 2<"), "oldest first, so the two most recent are past the first 50")
        }
    }
}
