import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `POST /api/v1/plans/{id}/split`: a head splits the team's month across the reps equally, by last month and by last
/// year, by hand (refused when it does not add up, unless overridden with a reason); a director splits the company's
/// quarter into months and weeks; the parts are drafts that point at the plan, all written or none, on both engines.
@Suite struct PlanSplitAPITests {
    typealias Target = PlansAPITests.Target
    typealias NewPlan = PlansAPITests.NewPlan

    struct Split: Encodable, Sendable {
        struct Part: Encodable, Sendable {
            var scope: String?
            var period: String?
            let targets: [Target]
        }

        var by = "subject"
        var method = "equal"
        var grain: String?
        var parts: [Part]?
        var overrideReason: String?
        var dryRun: Bool?
    }

    struct Answer: Decodable {
        struct Part: Decodable { let scope: String; let period: String; let targets: [PlansAPITests.PlanAnswer.Target]; let planId: Int64? }
        struct Check: Decodable { let measure: String; let target: Int64; let assigned: Int64; let remainder: Int64 }
        let written: Bool
        let parts: [Part]
        let check: [Check]
    }

    /// The team's November plan, made by the director; the head's token.
    static func teamPlan(_ client: any TestClientProtocol, _ org: WebFixture, targets: [Target]) async throws -> (plan: Int64, head: String) {
        let director = try await client.token(for: org.director)
        let plan = try await client.post("/api/v1/plans", json: NewPlan(scope: "team:\(org.teamA.id)", targets: targets), token: director)
            .json(PlansAPITests.PlanAnswer.self).id
        return (plan, try await client.token(for: org.head))
    }

    static func revenue(_ answer: Answer) -> [Int64] { answer.parts.map { $0.targets.first { $0.measure == "revenue" }?.target ?? -1 } }

    @Test(arguments: TestDatabase.engines)
    func aHeadSplitsTheTeamsMonthAcrossTheReps(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (plan, head) = try await Self.teamPlan(client, org, targets: [Target(measure: "revenue", target: 1_000_001), Target(measure: "orders", target: 9)])
            let reps = ["user:\(org.rep.id)", "user:\(org.teammate.id)"]  // Rita, Tove: by name; the head is not split to

            let proposal = try await client.post("/api/v1/plans/\(plan)/split", json: Split(dryRun: true), token: head)
            #expect(proposal.status == .ok)
            let dry = try proposal.json(Answer.self)
            #expect(!dry.written && dry.parts.map(\.scope) == reps && dry.parts.allSatisfy { $0.planId == nil && $0.period == "2026-11" })
            #expect(Self.revenue(dry) == [500_001, 500_000])
            #expect(dry.parts.map { $0.targets.first { $0.measure == "orders" }?.target } == [5, 4])
            #expect(dry.check.map(\.remainder) == [0, 0])
            #expect(try await client.get("/api/v1/plans?scope=user:\(org.rep.id)", token: head).json(PlansAPITests.Items.self).items.isEmpty)

            let done = try await client.post("/api/v1/plans/\(plan)/split", json: Split(), token: head).json(Answer.self)
            #expect(done.written)
            for part in done.parts {
                let child = try await client.get("/api/v1/plans/\(try #require(part.planId))", token: head).json(PlansAPITests.PlanAnswer.self)
                #expect(child.status == "draft" && child.scope == part.scope && child.period == "2026-11")
            }
            let trail = try await org.database.auditTrail(entity: "plan", id: plan)
            #expect(trail.last?.action == "split")
            #expect(trail.last?.detail?.hasPrefix("subject, equal, 2 plans") == true)

            let again = try await client.post("/api/v1/plans/\(plan)/split", json: Split(), token: head)
            #expect(try again.problem().errors?.map(\.field) == ["parts[0]", "parts[1]"])

            // The head may not split the company's or another team's plan, and a rep may not split at all.
            let director = try await client.token(for: org.director)
            let company = try await client.post("/api/v1/plans", json: NewPlan(), token: director).json(PlansAPITests.PlanAnswer.self).id
            #expect(try await client.post("/api/v1/plans/\(company)/split", json: Split(), token: head).status == .notFound)
            let rita = try await client.token(for: org.rep)
            #expect(try await client.post("/api/v1/plans/\(try #require(done.parts.first?.planId))/split",
                                          json: Split(by: "period"), token: rita).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func proportionsFollowLastMonthOrTheSameMonthLastYear(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let sales = try await SalesDesk.open(client, org)
            func order(_ day: String, _ owner: User, _ units: Int64) async throws { try await sales.sell(units, by: owner, on: day) }
            try await order("2026-10-07", org.rep, 3)       // October: Rita 3 000, Tove 1 000
            try await order("2026-10-20", org.teammate, 1)
            try await order("2025-11-12", org.rep, 1)       // November 2025: Rita 1 000, Tove 4 000
            try await order("2025-11-13", org.teammate, 4)

            let (plan, head) = try await Self.teamPlan(client, org, targets: [Target(measure: "revenue", target: 1_000_000)])
            let previous = try await client.post("/api/v1/plans/\(plan)/split", json: Split(method: "previous", dryRun: true), token: head).json(Answer.self)
            #expect(Self.revenue(previous) == [750_000, 250_000])
            let lastYear = try await client.post("/api/v1/plans/\(plan)/split", json: Split(method: "last_year", dryRun: true), token: head).json(Answer.self)
            #expect(Self.revenue(lastYear) == [200_000, 800_000])

            // No deals were won in November: a December split by last month says so instead of dividing by zero.
            let director = try await client.token(for: org.director)
            let december = try await client.post("/api/v1/plans", json: NewPlan(period: "2026-12", scope: "team:\(org.teamA.id)",
                                                                                targets: [Target(measure: "deals_won", target: 10)]), token: director)
                .json(PlansAPITests.PlanAnswer.self).id
            let nothing = try await client.post("/api/v1/plans/\(december)/split", json: Split(method: "previous"), token: head)
            #expect(try nothing.problem().errors == [.init(field: "method", reason:
                "there is no deals_won in the previous period to split by; split equally or by hand")])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aSplitByHandMustAddUpUnlessOverriddenWithAReason(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (plan, head) = try await Self.teamPlan(client, org, targets: [Target(measure: "revenue", target: 1_000)])
            let parts = [Split.Part(scope: "user:\(org.rep.id)", targets: [Target(measure: "revenue", target: 600)]),
                         Split.Part(scope: "user:\(org.teammate.id)", targets: [Target(measure: "revenue", target: 300)])]
            let short = try await client.post("/api/v1/plans/\(plan)/split", json: Split(method: "manual", parts: parts), token: head)
            #expect(try short.problem().errors == [.init(field: "parts", reason: "the parts assign 900 of 1000 revenue; make them add up or give overrideReason")])
            let stranger = [Split.Part(scope: "user:\(org.stranger.id)", targets: [Target(measure: "orders", target: 1)])]
            let wrong = try await client.post("/api/v1/plans/\(plan)/split", json: Split(method: "manual", parts: stranger), token: head)
            #expect(try wrong.problem().errors?.map(\.field) == ["parts[0]", "parts[0].targets[0].measure"])
            #expect(try await client.get("/api/v1/plans?scope=user:\(org.rep.id)", token: head).json(PlansAPITests.Items.self).items.isEmpty)

            let overridden = try await client.post("/api/v1/plans/\(plan)/split",
                                                   json: Split(method: "manual", parts: parts, overrideReason: "100 kept back for the new hire"), token: head)
            let answer = try overridden.json(Answer.self)
            #expect(answer.written && Self.revenue(answer) == [600, 300] && answer.check.map(\.remainder) == [100])
            let detail = try await org.database.auditTrail(entity: "plan", id: plan).last?.detail
            #expect(detail?.hasSuffix("does not add up: 100 kept back for the new hire") == true)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aQuarterSplitsIntoMonthsAndAMonthIntoTheWeeksOfItsThursdays(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let director = try await client.token(for: org.director)
            let quarter = try await client.post("/api/v1/plans", json: NewPlan(period: "2026-Q4", targets: [Target(measure: "revenue", target: 900)]),
                                                token: director).json(PlansAPITests.PlanAnswer.self).id
            let months = try await client.post("/api/v1/plans/\(quarter)/split", json: Split(by: "period"), token: director).json(Answer.self)
            #expect(months.parts.map(\.period) == ["2026-10", "2026-11", "2026-12"] && Self.revenue(months) == [300, 300, 300])
            #expect(months.parts.allSatisfy { $0.scope == "company" })
            let november = try #require(months.parts[1].planId)
            let weeks = try await client.post("/api/v1/plans/\(november)/split", json: Split(by: "period", dryRun: true), token: director).json(Answer.self)
            #expect(weeks.parts.map(\.period) == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"] && Self.revenue(weeks) == [75, 75, 75, 75])
            // November has four such weeks, October five: "like last month" has no week-for-week match.
            let unmatched = try await client.post("/api/v1/plans/\(november)/split", json: Split(by: "period", method: "previous"), token: director)
            #expect(try unmatched.problem().errors?.map(\.field) == ["method"])
            let company = try await client.post("/api/v1/plans/\(quarter)/split", json: Split(by: "subject", dryRun: true), token: director).json(Answer.self)
            #expect(company.parts.map(\.scope) == ["team:\(org.teamB.id)", "team:\(org.teamA.id)"])  // Key Accounts, New Business
            let tooShort = try await client.post("/api/v1/plans/\(quarter)/split", json: Split(by: "period", grain: "year"), token: director)
            #expect(try tooShort.problem().errors?.map(\.field) == ["grain"])
        }
    }
}
