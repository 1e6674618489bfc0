import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `GET /api/v1/teams/{id}/daily` on the hand-made November of the KPI tests: each rep's last working day (Monday's
/// meeting looks back at Friday), today's open tasks and meetings, the overdue tasks, stalled deals and waiting leads,
/// the month's team plan; who may hold it; on both engines.
@Suite struct DailyMeetingAPITests {
    struct Answer: Decodable {
        struct Item: Decodable { let id: Int64; let title: String; let ownerId: Int64 }
        struct Yesterday: Decodable, Equatable {
            let callsOutbound, callsInbound, effectiveConversations, missedCalls, meetingsHeld, dealsMoved, dealsWon, revenue: Int64
        }
        struct Member: Decodable { let userId: Int64; let name: String; let yesterday: Yesterday; let today: [Item] }
        struct Plan: Decodable { struct Measure: Decodable { let measure: String; let target: Int64; let actual: Int64 }; let measures: [Measure] }
        let date: String
        let previousDay: String
        let members: [Member]
        let overdueTasks: [Item]
        let stalledDeals: [Item]
        let leadsOverSla: [Item]
        let plan: Plan?

        func member(_ user: User) -> Member? { members.first { $0.userId == user.id.rawValue } }
    }

    @Test(arguments: TestDatabase.engines)
    func theMeetingOfADay(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            try await KPIsAPITests.november(org, client)
            let head = try await client.token(for: org.head)
            func meeting(_ query: String) async throws -> Answer {
                let answer = try await client.get("/api/v1/teams/\(org.teamA.id)/daily\(query)", token: head)
                #expect(answer.status == .ok)
                return try answer.json(Answer.self)
            }
            // Monday 9 November looks back at Friday the 6th: Rita's answered inbound call of 120 s.
            let monday = try await meeting("?date=2026-11-09")
            #expect(monday.previousDay == "2026-11-06")
            #expect(Set(monday.members.map(\.userId)) == Set([org.head, org.rep, org.teammate].map(\.id.rawValue)))
            #expect(monday.member(org.rep)?.yesterday == .init(callsOutbound: 0, callsInbound: 1, effectiveConversations: 1, missedCalls: 0,
                                                                meetingsHeld: 0, dealsMoved: 0, dealsWon: 0, revenue: 0))
            // Tuesday the 3rd looks back at Monday the 2nd: a 90 s call and 100 bolts sold (1 000.00).
            let tuesday = try await meeting("?date=2026-11-03")
            #expect(tuesday.member(org.rep)?.yesterday.callsOutbound == 1 && tuesday.member(org.rep)?.yesterday.revenue == 100_000)
            #expect(tuesday.member(org.teammate)?.yesterday.callsOutbound == 0)

            // Today (the 18th): the task due on the 12th is overdue, the deal untouched since October stalls, the lead of the
            // 16th still waits; the open task of the 25th is not today's.
            let today = try await meeting("")
            #expect(today.date == "2026-11-18" && today.previousDay == "2026-11-17")
            #expect(today.overdueTasks.map(\.ownerId) == [org.rep.id.rawValue] && today.stalledDeals.count == 1 && today.leadsOverSla.count == 1)
            #expect(today.members.allSatisfy { $0.today.isEmpty } && today.plan == nil)
            #expect(today.members.allSatisfy { $0.yesterday.dealsMoved == 0 })

            // Deals moved on the 17th, counted once a deal: two of Rita's (one of them twice) and one of Tove's; one of
            // Tove's moved on the 16th is not the day's.
            let records = try await TestRecords.make(org.database)
            let zone = try await org.database.companyTimeZone()
            let seventeenth = try LocalDate(iso: "2026-11-17").start(in: zone).epochMilliseconds
            let account = try await records.account(owner: org.rep.id)
            var moves: [(deal: Int64, at: Int64)] = []
            for (owner, times) in [(org.rep.id, [10, 11]), (org.rep.id, [12]), (org.teammate.id, [9]), (org.teammate.id, [-3])] {
                let deal = try await records.deal(account: account, owner: owner)
                moves += times.map { (deal, seventeenth + Int64($0) * 3_600_000) }
            }
            try await org.database.write { sql in
                for move in moves {
                    try await sql.raw("""
                        INSERT INTO deal_stage_history (deal_id, stage_id, entered_at) VALUES (\(bind: move.deal), \(bind: records.firstStageID), \(bind: move.at))
                        """).run()
                }
            }
            let moved = try await meeting("?date=2026-11-18")
            #expect(moved.member(org.rep)?.yesterday.dealsMoved == 2 && moved.member(org.teammate)?.yesterday.dealsMoved == 1)
            #expect(moved.member(org.head)?.yesterday.dealsMoved == 0)

            let director = try await client.token(for: org.director)
            let plan = try await client.post("/api/v1/plans", json: PlansAPITests.NewPlan(period: "2026-11", scope: "team:\(org.teamA.id)",
                                                                                           targets: [.init(measure: "revenue", target: 1_000_000)]),
                                             token: director)
            #expect(plan.status == .created)
            let withPlan = try await meeting("?date=2026-11-18")
            #expect(withPlan.plan?.measures.first?.target == 1_000_000 && withPlan.plan?.measures.first?.actual == 180_000)

            // Who may hold it: the head, a director; not a rep, not the order desk; a team that is not there is a 404.
            #expect(try await client.get("/api/v1/teams/\(org.teamA.id)/daily", token: director).status == .ok)
            #expect(try await client.get("/api/v1/teams/\(org.teamA.id)/daily", token: try await client.token(for: org.rep)).status == .forbidden)
            #expect(try await client.get("/api/v1/teams/\(org.teamA.id)/daily", token: try await client.token(for: org.desk)).status == .forbidden)
            #expect(try await client.get("/api/v1/teams/9999/daily", token: director).status == .notFound)
            #expect(try await client.get("/api/v1/teams/\(org.teamA.id)/daily?date=18.11", token: head).status == .unprocessableContent)

            // The page: the head's team from the team page, Friday's figures on Monday, the lists; a rep has none.
            let browser = try await PlanPagesTests.Browser.signIn(client, org.head)
            #expect(try await browser.get("/team").text.contains("/team/daily?team=\(org.teamA.id)"))
            let page = try await browser.get("/team/daily?date=2026-11-09")
            #expect(page.status == .ok && page.text.contains("Daily meeting · New Business") && page.text.contains("Each rep: "))
            #expect(page.text.contains("Team plan 2026-11 so far") && page.text.contains("Overdue tasks (0)"))
            #expect(try await PlanPagesTests.Browser.signIn(client, org.rep).get("/team/daily").status == .forbidden)
        }
    }

    /// The rep card: Rita's calls and meetings by weekday and hour (company time), her KPIs and plan on the page; the rep
    /// herself and her head may open it, a teammate may not.
    @Test(arguments: TestDatabase.engines)
    func aRepsCard(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            try await KPIsAPITests.november(org, client)
            let head = try #require(try await org.database.signedInUser(org.head.id)).1
            let card = try await org.database.repCard(org.rep.id, over: try DateWindow(from: LocalDate(iso: "2026-11-01"), through: LocalDate(iso: "2026-11-30")),
                                                      asOf: try LocalDate(iso: "2026-11-18"), for: head)
            // Mon 2nd, Tue 3rd, Wed 4th, Thu 5th (two calls), Fri 6th at 10:00; the meetings of Sat 7th and Sun 8th at 9:00.
            #expect(card.heatMap[0][10] == 1 && card.heatMap[1][10] == 1 && card.heatMap[2][10] == 1 && card.heatMap[3][10] == 2)
            #expect(card.heatMap[4][10] == 1 && card.heatMap[5][9] == 1 && card.heatMap[6][9] == 1)
            #expect(card.heatMap.joined().reduce(0, +) == 8, "tasks are not in the heat map, nor October's call")
            #expect(card.stalledDeals.count == 1 && card.plan?.standing.targets.first?.progress.actual == 180_000)

            let rita = try await PlanPagesTests.Browser.signIn(client, org.rep)
            let page = try await rita.get("/team/reps/\(org.rep.id)?from=2026-11-01&to=2026-11-30")
            #expect(page.status == .ok && page.text.contains("Rita · 1 Nov 2026 – 30 Nov 2026") && page.text.contains("Outbound calls"))
            #expect(page.text.contains("Calls, meetings and messages by weekday and hour") && page.text.contains("/plans/"))
            #expect(try await rita.get("/my-plan").text.contains("/team/reps/\(org.rep.id)"))
            #expect(try await PlanPagesTests.Browser.signIn(client, org.head).get("/team/reps/\(org.rep.id)").status == .ok)
            #expect(try await PlanPagesTests.Browser.signIn(client, org.teammate).get("/team/reps/\(org.rep.id)").status == .forbidden)
        }
    }
}
