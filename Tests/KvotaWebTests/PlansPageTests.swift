import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

/// The plans page on the demo company: a rep sees their own plan's progress and their pay statement, in their
/// language; a head their team's plan with each member and the team's pay; a director the company's; the order desk
/// has no such page; on both engines.
@Suite struct PlansPageTests {
    @Test(arguments: TestDatabase.engines)
    func everyoneSeesTheirPlansProgressAndPay(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            try await fixture.database.write { sql in
                try await sql.raw("UPDATE users SET language = 'en'").run()
                try await sql.raw("UPDATE users SET language = 'sv' WHERE id = \(bind: fixture.rep.id.rawValue)").run()
            }
            func page(_ user: User, _ period: String) async throws -> String {
                let (session, _) = try await BrowserSignInTests.signIn(client, as: user, password: WebFixture.password)
                let answer = try await client.get("/plans?period=\(period)", headers: [.cookie: "kvota_session=\(session)"])
                #expect(answer.status == .ok, "\(user.name) \(period)")
                return answer.text
            }
            let director = try await client.token(for: fixture.director)
            let progress = try await client.get("/api/v1/plans/progress?scope=user:\(fixture.rep.id)&period=2026-10", token: director)
                .json(PlanProgressDemoTests.Progress.self)
            let payouts = try await client.get("/api/v1/payouts?period=2026-10", token: director).json(PlanProgressDemoTests.Payouts.self)

            // The rep, in Swedish: her October plan and her approved pay, with the statement's words.
            let rep = try await page(fixture.rep, "2026-10")
            #expect(rep.contains("Planer och lön · 2026-10") && rep.contains(fixture.rep.name) && rep.contains("godkänd"))
            #expect(rep.contains(#"class="meter""#) && rep.contains("Dag 31 av 31"))
            let fulfilment = try #require(progress.measures.first?.fulfilment)
            #expect(rep.contains(Int((fulfilment * 100).rounded()).formatted(.number.grouping(.never)) + "\u{00A0}%")
                    || rep.contains(Int((fulfilment * 100).rounded()).formatted(.number.grouping(.never)) + " %"), "her fulfilment")
            #expect(rep.contains("Lön") && rep.contains("Planbonus") && rep.contains("revenue plan "), "her statement")
            let names = Dictionary(uniqueKeysWithValues: try await fixture.database.users().map { ($0.id.rawValue, $0.name) })
            let others = payouts.items.map(\.userId).filter { $0 != fixture.rep.id.rawValue }
            #expect(!others.isEmpty && others.allSatisfy { !rep.contains(names[$0]!) }, "nobody else's pay")
            #expect(!rep.contains("Företaget"), "not the company's plan")

            // The head: the team's plan with its members.
            let head = try await page(fixture.head, "2026-10")
            #expect(head.contains("By member, for their days in the team") && head.contains(fixture.rep.name))
            #expect(!head.contains(">Company ·"))

            // The director: the company's quarter too.
            let quarter = try await page(fixture.director, "2026-Q4")
            #expect(quarter.contains("Company · approved") && quarter.contains("Day 51 of 92"))
            #expect(!quarter.contains("<h2>Pay</h2>"), "pay is monthly")

            // The order desk sees no plans.
            let desk = try #require(try await fixture.database.users().first { $0.role == .orderDesk && $0.active })
            try await fixture.database.setPasswordHash(email: desk.email, WebFixture.passwordHash, by: nil, at: AnalyticsFixture.now)
            let (session, _) = try await BrowserSignInTests.signIn(client, as: desk, password: WebFixture.password)
            let refused = try await client.get("/plans", headers: [.cookie: "kvota_session=\(session)"])
            #expect(refused.status == .forbidden && !refused.text.contains(#"href="/plans""#))
        }
    }
}
