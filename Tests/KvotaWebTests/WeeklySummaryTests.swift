import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `GET /api/v1/teams/{id}/weekly` and `/team/weekly` on the hand-made November of the KPI tests: a rep's week beside
/// the week before, the team's line, the deals won and lost with their reason, the plan; who may read it. Both engines.
@Suite struct WeeklySummaryTests {
    struct Answer: Decodable {
        struct Figures: Decodable, Equatable {
            let callsOutbound, callsInbound, effectiveConversations, missedCalls, meetingsHeld, qualifiedLeads: Int64
            let dealsNew, dealsWon, wonAmount, dealsLost, revenue, margin: Int64
        }
        struct Member: Decodable { let userId: Int64; let name: String; let week: Figures; let previous: Figures }
        struct Deal: Decodable { let id: Int64; let amountMinor: Int64; let closedOn: String; let lossReason: String? }
        let week: String
        let from: String
        let to: String
        let previousFrom: String
        let members: [Member]
        let team: Member
        let won: [Deal]
        let lost: [Deal]
    }

    @Test(arguments: TestDatabase.engines)
    func aTeamsWeekBesideTheWeekBefore(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            try await KPIsAPITests.november(org, client)
            let head = try await client.token(for: org.head)
            func weekly(_ query: String) async throws -> Answer {
                let answer = try await client.get("/api/v1/teams/\(org.teamA.id)/weekly\(query)", token: head)
                #expect(answer.status == .ok)
                return try answer.json(Answer.self)
            }
            // Week 45 (2–8 November): Rita's three calls out, three in (two missed, two effective), the meeting held on
            // the 7th, two new deals, the lead qualified on the 3rd, 1 000.00 sold (margin 400.00); the week before
            // had the lead qualified on 1 November.
            let w45 = try await weekly("?week=2026-W45")
            #expect(w45.from == "2026-11-02" && w45.to == "2026-11-08" && w45.previousFrom == "2026-10-26")
            let rita = try #require(w45.members.first { $0.userId == org.rep.id.rawValue })
            #expect(rita.week == .init(callsOutbound: 3, callsInbound: 3, effectiveConversations: 2, missedCalls: 2, meetingsHeld: 1, qualifiedLeads: 1,
                                       dealsNew: 2, dealsWon: 0, wonAmount: 0, dealsLost: 0, revenue: 100_000, margin: 40_000))
            #expect(rita.previous.qualifiedLeads == 1 && rita.previous.callsOutbound == 0)
            #expect(w45.team.week.callsOutbound == 4 && w45.team.name == "New Business")
            // Week 46: the deal won on the 12th and the one lost on the 14th.
            let w46 = try await weekly("?week=2026-W46")
            #expect(w46.won.map(\.amountMinor) == [500_000] && w46.lost.map(\.closedOn) == ["2026-11-14"])
            // This week, to today (the 18th).
            let now = try await weekly("")
            #expect(now.week == "2026-W47" && now.from == "2026-11-16" && now.to == "2026-11-18")

            #expect(try await client.get("/api/v1/teams/\(org.teamA.id)/weekly?week=2026-11", token: head).status == .unprocessableContent)
            #expect(try await client.get("/api/v1/teams/\(org.teamA.id)/weekly", token: try await client.token(for: org.rep)).status == .forbidden)
            #expect(try await client.get("/api/v1/teams/9999/weekly", token: try await client.token(for: org.director)).status == .notFound)

            let browser = try await PlanPagesTests.Browser.signIn(client, org.head)
            #expect(try await browser.get("/team").text.contains("/team/weekly?team=\(org.teamA.id)"))
            let page = try await browser.get("/team/weekly?week=2026-W46")
            #expect(page.status == .ok && page.text.contains("Weekly summary · New Business · 2026-W46") && page.text.contains("Deals lost (1)"))
            #expect(try await PlanPagesTests.Browser.signIn(client, org.rep).get("/team/weekly").status == .forbidden)
        }
    }
}
