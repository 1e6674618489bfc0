import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// A plan off the calendar: the company's fiscal year from February, written as its first day and length
/// (`2026-02-01/P1Y`), counts only its own days, is found by that label, splits into its own quarters, and shows on
/// the Plans page; a month-based period that does not start on the 1st is refused by name; on both engines.
@Suite struct FiscalPlansTests {
    struct Split: Decodable {
        struct Part: Decodable { let period: String }
        let parts: [Part]
    }

    @Test(arguments: TestDatabase.engines)
    func aFiscalYearFromFebruaryIsPlannedTrackedAndSplit(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let director = try await client.token(for: org.director)
            let made = try await client.post("/api/v1/plans", json: PlansAPITests.NewPlan(period: "2026-02-01/P1Y",
                                                                                           targets: [.init(measure: "revenue", target: 120_000_000)]),
                                             token: director)
            #expect(made.status == .created)
            let plan = try made.json(PlansAPITests.PlanAnswer.self)
            #expect(plan.period == "2026-02-01/P1Y" && plan.from == "2026-02-01" && plan.to == "2027-01-31")

            // 1 000.00 in November counts; 500.00 in January 2026 is before the fiscal year.
            let sales = try await SalesDesk.open(client, org)
            try await sales.sell(100, by: org.rep, on: "2026-11-02")
            try await sales.sell(50, by: org.rep, on: "2026-01-15")
            let progress = try await client.get("/api/v1/plans/progress?scope=company&period=2026-02-01/P1Y", token: director)
            #expect(progress.status == .ok)
            let answer = try progress.json(PlansAPITests.Progress.self)
            // 1 February through 18 November: 273 days to the end of October, and 18.
            #expect(answer.daysElapsed == 291 && answer.daysTotal == 365)
            #expect(answer.measures.first?.actual == 100_000)

            let listed = try await client.get("/api/v1/plans?period=2026-02-01/P1Y", token: director).json(PlansAPITests.Items.self)
            #expect(listed.items.map(\.id) == [plan.id])

            let split = try await client.post("/api/v1/plans/\(plan.id)/split", json: PlanSplitAPITests.Split(by: "period", dryRun: true), token: director)
            #expect(split.status == .ok)
            #expect(try split.json(Split.self).parts.map(\.period) == ["2026-02-01/P3M", "2026-05-01/P3M", "2026-08-01/P3M", "2026-11-01/P3M"])

            let bad = try await client.post("/api/v1/plans", json: PlansAPITests.NewPlan(period: "2026-02-15/P1Y"), token: director)
            #expect(bad.status == .unprocessableContent)
            #expect(try bad.problem().errors?.map(\.field) == ["period"])

            let browser = try await PlanPagesTests.Browser.signIn(client, org.director)
            let page = try await browser.get("/plans?period=2026-02-01/P1Y")
            #expect(page.status == .ok && page.text.contains("2026-02-01/P1Y") && page.text.contains("/plans/\(plan.id)"))
        }
    }
}
