import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// The team page: a head sees each member's open deals and sum, open and overdue tasks and unanswered leads;
/// directors choose a team; reps have none.
@Suite struct TeamPageTests {
    @Test(arguments: TestDatabase.engines)
    func aHeadSeesTheirTeamsOpenWork(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            _ = try await records.deal(account: account, owner: org.rep.id)
            _ = try await records.deal(account: account, owner: org.rep.id)
            _ = try await records.deal(account: account, owner: org.rep.id, status: "won")
            let (_, rep) = try #require(try await org.database.signedInUser(org.rep.id))
            var task = ActivityPatch()
            task.kind = .task; task.subject = "Late"; task.accountID = Account.ID(account); task.dueAt = org.clock.now.addingTimeInterval(-3600)
            _ = try await org.database.addActivity(task, by: rep, at: org.clock.now)
            task.subject = "Tomorrow"; task.dueAt = org.clock.now.addingTimeInterval(86_400)
            _ = try await org.database.addActivity(task, by: rep, at: org.clock.now)
            _ = try await records.lead(owner: org.teammate.id)
            let strangers = try await records.account(owner: org.stranger.id)
            _ = try await records.deal(account: strangers, owner: org.stranger.id)

            let (session, _) = try await BrowserSignInTests.signIn(client, as: org.head)
            let page = try await client.get("/team", headers: [.cookie: "kvota_session=\(session)"])
            #expect(page.status == .ok && page.text.contains("Team New Business"))
            let rita = try #require(page.text.range(of: "Rita</a>"))
            let ritaRow = page.text[rita.upperBound...].prefix { $0 != "\n" }.split(separator: "</tr>").first.map(String.init) ?? ""
            #expect(ritaRow.contains(">2</td>") && ritaRow.contains("€2,000"), "two open deals; the won one is not pipeline")
            #expect(ritaRow.contains(#"<span class="late">1</span>"#), "one overdue task")
            #expect(page.text.contains("Tove") && !page.text.contains("Sven"))
            #expect(page.text.contains("<svg") && page.text.contains("<title>Open deals · Rita: 2</title>"), "the chart of open work")
            #expect(page.text.contains(#"href="/board?owner=\#(org.rep.id)""#))

            let (director, _) = try await BrowserSignInTests.signIn(client, as: org.director)
            let other = try await client.get("/team?team=\(org.teamB.id)", headers: [.cookie: "kvota_session=\(director)"])
            #expect(other.text.contains("Team Key Accounts") && other.text.contains("Sven") && other.text.contains(#"name="team""#))
            let (repSession, _) = try await BrowserSignInTests.signIn(client, as: org.rep)
            #expect(try await client.get("/team", headers: [.cookie: "kvota_session=\(repSession)"]).status == .forbidden)
        }
    }
}
