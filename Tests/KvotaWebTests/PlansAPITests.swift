import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `/api/v1/plans`: the draft → approved life of a plan with its audit trail, every input problem at once, who sees and
/// sets which plan, and a team's actuals following a rep who changed teams mid-month, on both engines.
@Suite struct PlansAPITests {
    struct PlanAnswer: Decodable {
        struct Target: Decodable, Equatable { let measure: String; let target: Int64 }
        struct Row: Decodable, Equatable { let dimension: String; let key: Int64; let measure: String; let target: Int64 }
        let id: Int64
        let period: String
        let from: String
        let to: String
        let scope: String
        let status: String
        let note: String?
        let targets: [Target]
        let rows: [Row]
        let version: Int64
    }

    struct Items: Decodable { let items: [PlanAnswer] }

    struct Target: Encodable, Sendable {
        let measure: String
        let target: Int64
    }

    struct Row: Encodable, Sendable {
        let dimension: String
        let key: Int64
        let measure: String
        let target: Int64
    }

    struct NewPlan: Encodable, Sendable {
        var period = "2026-11"
        var scope = "company"
        var targets = [Target(measure: "revenue", target: 1_000_000)]
        var rows: [Row] = []
        var note: String?
    }

    struct Change: Encodable, Sendable {
        var targets: [Target]?
        var rows: [Row]?
        var reason: String?
    }

    struct Progress: Decodable {
        struct Measure: Decodable {
            let measure: String
            let target: Int64
            let actual: Int64
            let fulfilment: Double?
            let projection: Int64?
            let remaining: Int64
            let dailyPace: Int64?
        }

        struct Span: Decodable, Equatable { let from: String; let to: String }
        struct Actual: Decodable { let measure: String; let actual: Int64 }
        struct Member: Decodable { let userId: Int64; let days: [Span]; let actuals: [Actual] }

        let asOf: String
        let daysElapsed: Int
        let daysTotal: Int
        let measures: [Measure]
        let members: [Member]
    }

    @Test(arguments: TestDatabase.engines)
    func aDraftIsApprovedAndThenChangesOnlyWithAReasonTheTrailKeeps(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let token = try await client.token(for: org.director)
            let created = try await client.post("/api/v1/plans", json: NewPlan(
                scope: "team:\(org.teamA.id)", targets: [Target(measure: "orders", target: 40), Target(measure: "revenue", target: 2_400_000)],
                note: " November push "), token: token)
            #expect(created.status == .created)
            let plan = try created.json(PlanAnswer.self)
            #expect(plan.status == "draft" && plan.from == "2026-11-01" && plan.to == "2026-11-30" && plan.note == "November push")
            #expect(plan.targets == [.init(measure: "revenue", target: 2_400_000), .init(measure: "orders", target: 40)])
            #expect(created.headers[.eTag] == "\"1\"")

            // A draft changes freely.
            let edited = try await client.send(.patch, "/api/v1/plans/\(plan.id)", json: Change(targets: [Target(measure: "revenue", target: 2_500_000)]),
                                               token: token)
            #expect(edited.status == .ok)
            #expect(try edited.json(PlanAnswer.self).targets == [.init(measure: "revenue", target: 2_500_000)])

            let stale = try await client.post("/api/v1/plans/\(plan.id)/approve", json: [String: String](), token: token, headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed)
            let approved = try await client.post("/api/v1/plans/\(plan.id)/approve", json: [String: String](), token: token, headers: [.ifMatch: "\"2\""])
            #expect(approved.status == .ok)
            #expect(try approved.json(PlanAnswer.self).status == "approved")
            let again = try await client.post("/api/v1/plans/\(plan.id)/approve", json: [String: String](), token: token)
            #expect(try again.problem().errors == [.init(field: "status", reason: "plan \(plan.id) is already approved")])

            // Locked: no change without a reason, no deletion.
            let unexplained = try await client.send(.patch, "/api/v1/plans/\(plan.id)", json: Change(targets: [Target(measure: "revenue", target: 2_000_000)]),
                                                    token: token)
            #expect(unexplained.status == .unprocessableContent)
            #expect(try unexplained.problem().errors == [.init(field: "reason", reason: "an approved plan changes only with a reason")])
            let deleted = try await client.delete("/api/v1/plans/\(plan.id)", token: token)
            #expect(deleted.status == .unprocessableContent)
            let revised = try await client.send(.patch, "/api/v1/plans/\(plan.id)", json: Change(
                targets: [Target(measure: "revenue", target: 2_000_000)], reason: "the Narvik tender moved to January"), token: token)
            #expect(revised.status == .ok)
            let after = try revised.json(PlanAnswer.self)
            #expect(after.status == "approved" && after.version == 4 && after.targets == [.init(measure: "revenue", target: 2_000_000)])

            let trail = try await org.database.auditTrail(entity: "plan", id: plan.id)
            #expect(trail.map(\.action) == ["create", "update", "approve", "revise"])
            let revision = try #require(trail.last)
            #expect(revision.detail == "the Narvik tender moved to January")
            #expect(revision.changes.map(\.field) == ["targets.revenue"])
            #expect(revision.changes.first?.old == "2500000" && revision.changes.first?.new == "2000000")

            // A draft can go; the approved plan stays.
            let draft = try await client.post("/api/v1/plans", json: NewPlan(period: "2026-12"), token: token).json(PlanAnswer.self)
            #expect(try await client.delete("/api/v1/plans/\(draft.id)", token: token).status == .noContent)
            #expect(try await client.get("/api/v1/plans/\(draft.id)", token: token).status == .notFound)
            let listed = try await client.get("/api/v1/plans?from=2026-01-01&to=2026-12-31", token: token).json(Items.self)
            #expect(listed.items.map(\.id) == [plan.id])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func everyProblemOfAPlanIsNamedAndNothingIsWritten(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let token = try await client.token(for: org.director)
            let bad = try await client.post("/api/v1/plans", json: NewPlan(
                period: "2026-11", scope: "team:999",
                targets: [Target(measure: "revenue", target: 100), Target(measure: "calls", target: 5), Target(measure: "deals_won", target: -2)],
                rows: [Row(dimension: "account", key: 424_242, measure: "revenue", target: 10), Row(dimension: "category", key: 1, measure: "deals_won", target: 1),
                       Row(dimension: "country", key: 1, measure: "revenue", target: 1)]), token: token)
            #expect(try bad.problem().errors?.map(\.field) == ["targets[1].measure", "rows[2].dimension"])
            let wrong = try await client.post("/api/v1/plans", json: NewPlan(
                period: "2026-11", scope: "team:999", targets: [Target(measure: "revenue", target: 100), Target(measure: "deals_won", target: -2)],
                rows: [Row(dimension: "account", key: 424_242, measure: "revenue", target: 10),
                       Row(dimension: "category", key: 424_242, measure: "deals_won", target: 1)]), token: token)
            #expect(wrong.status == .unprocessableContent)
            #expect(try wrong.problem().errors == [
                .init(field: "targets[1].target", reason: "must be 0 or more"),
                .init(field: "rows[1].dimension", reason: "deals_won is not split by product category"),
                .init(field: "scope", reason: "no team 999"),
                .init(field: "rows[0].key", reason: "no account 424242"),
                .init(field: "rows[1].key", reason: "no category 424242"),
            ])
            let day = try await client.post("/api/v1/plans", json: NewPlan(period: "2026-11-05", scope: "firm"), token: token)
            #expect(try day.problem().errors?.map(\.field) == ["period", "scope"])
            #expect(try await client.get("/api/v1/plans", token: token).json(Items.self).items.isEmpty)

            let first = try await client.post("/api/v1/plans", json: NewPlan(), token: token)
            #expect(first.status == .created)
            let twice = try await client.post("/api/v1/plans", json: NewPlan(), token: token)
            let id = try first.json(PlanAnswer.self).id
            #expect(try twice.problem().errors == [.init(field: "period", reason: "company already has a plan for 2026-11 (plan \(id))")])
            #expect(try await client.get("/api/v1/plans", token: token).json(Items.self).items.count == 1)
            let noPlan = try await client.get("/api/v1/plans/progress?scope=user:\(org.rep.id)&period=2026-11", token: token)
            #expect(noPlan.status == .unprocessableContent)
            let badQuery = try await client.get("/api/v1/plans/progress?period=2026-13&asOf=soon", token: token)
            #expect(try badQuery.problem().errors?.map(\.field) == ["scope", "period", "asOf"])
        }
    }

    /// Plans about the company, both teams, the head and three reps, made by the director; then every user reads each,
    /// lists them, and tries to make one for the next month about each subject. Written out independently of
    /// `AccessPolicy`: X = yes.
    @Test(arguments: TestDatabase.engines)
    func whoSeesAndSetsWhichPlan(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let subjects = ["company", "team:\(org.teamA.id)", "team:\(org.teamB.id)", "user:\(org.head.id)", "user:\(org.rep.id)",
                            "user:\(org.teammate.id)", "user:\(org.stranger.id)"]
            let director = try await client.token(for: org.director)
            var ids: [Int64] = []
            for subject in subjects {
                ids.append(try await client.post("/api/v1/plans", json: NewPlan(scope: subject), token: director).json(PlanAnswer.self).id)
            }
            let expected: [(User, reads: String, sets: String)] = [
                (org.admin, "XXXXXXX", "XXXXXXX"), (org.director, "XXXXXXX", "XXXXXXX"), (org.analyst, "XXXXXXX", "-------"),
                (org.desk, "-------", "-------"), (org.head, "-X-XXX-", "----XX-"), (org.rep, "----X--", "-------"),
                (org.teammate, "-----X-", "-------"), (org.stranger, "------X", "-------"),
            ]
            for (number, (user, reads, sets)) in expected.enumerated() {
                let token = try await client.token(for: user)
                // Each user plans a month of their own, so one's plan does not stand in the way of the next one's.
                let month = "2027-0\(number + 1)"
                for (index, (read, set)) in zip(reads, sets).enumerated() {
                    let got = try await client.get("/api/v1/plans/\(ids[index])", token: token).status
                    #expect(got == (read == "X" ? .ok : .notFound), "\(user.name) reads \(subjects[index])")
                    let progress = try await client.get("/api/v1/plans/\(ids[index])/progress", token: token).status
                    #expect(progress == (read == "X" ? .ok : .notFound), "\(user.name) reads progress of \(subjects[index])")
                    let made = try await client.post("/api/v1/plans", json: NewPlan(period: month, scope: subjects[index]), token: token).status
                    #expect(made == (set == "X" ? .created : .forbidden), "\(user.name) plans \(subjects[index])")
                }
                let list = try await client.get("/api/v1/plans?period=2026-11", token: token)
                if reads.contains("X") {
                    let seen = Set(try list.json(Items.self).items.map(\.id))
                    #expect(seen == Set(zip(ids, reads).filter { $0.1 == "X" }.map(\.0)), "\(user.name) lists")
                } else {
                    #expect(list.status == .forbidden, "\(user.name) lists")
                }
            }
        }
    }

    /// Rita sells in team A until the 20th, when she moves to team B: her orders before count for A and hers from that
    /// day for B, her own plan counts them all, and the company's everyone's.
    @Test(arguments: TestDatabase.engines)
    func aRepWhoChangesTeamsCountsForEachTeamForHerDaysInIt(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let sales = try await SalesDesk.open(client, org)
            func order(_ day: String, _ owner: User, _ quantity: Int64) async throws { try await sales.sell(quantity, by: owner, on: day) }
            try await order("2026-11-05", org.rep, 1)      // 1 000: team A
            try await order("2026-11-19", org.rep, 2)      // 2 000: team A
            try await order("2026-11-10", org.teammate, 4) // 4 000: team A
            try await order("2026-11-20", org.rep, 8)      // 8 000: team B
            try await order("2026-11-25", org.rep, 16)     // 16 000: team B
            try await order("2026-11-26", org.stranger, 32) // 32 000: team B
            try await order("2026-12-01", org.rep, 64)     // another month

            org.clock.advance(2 * 86_400)  // 2026-11-20, noon
            _ = try await org.database.updateUser(org.rep.id, UserPatch(teamID: .some(org.teamB.id)), expectedVersion: nil, by: org.admin.id,
                                                  at: org.clock.now)

            let director = try await client.token(for: org.director)
            let revenue = [Target(measure: "revenue", target: 30_000)]
            for scope in ["company", "team:\(org.teamA.id)", "team:\(org.teamB.id)", "user:\(org.rep.id)"] {
                #expect(try await client.post("/api/v1/plans", json: NewPlan(scope: scope, targets: revenue), token: director).status == .created)
            }
            func progress(_ scope: String) async throws -> Progress {
                let answer = try await client.get("/api/v1/plans/progress?scope=\(scope)&period=2026-11&asOf=2026-11-30", token: director)
                #expect(answer.status == .ok, "\(scope)")
                return try answer.json(Progress.self)
            }
            #expect(try await progress("company").measures.map(\.actual) == [63_000])
            let teamA = try await progress("team:\(org.teamA.id)")
            #expect(teamA.measures.map(\.actual) == [7_000])
            let ritaInA = try #require(teamA.members.first { $0.userId == org.rep.id.rawValue })
            #expect(ritaInA.days == [.init(from: "2026-11-01", to: "2026-11-19")])
            #expect(ritaInA.actuals.map(\.actual) == [3_000])
            let teamB = try await progress("team:\(org.teamB.id)")
            #expect(teamB.measures.map(\.actual) == [56_000])
            #expect(teamB.members.first { $0.userId == org.rep.id.rawValue }?.days == [.init(from: "2026-11-20", to: "2026-11-30")])
            #expect(try await progress("user:\(org.rep.id)").measures.map(\.actual) == [27_000])

            // The head of team A sees A's plan with Rita's days in it, as the director does.
            let head = try await client.token(for: org.head)
            let asHead = try await client.get("/api/v1/plans/progress?scope=team:\(org.teamA.id)&period=2026-11&asOf=2026-11-30", token: head)
            #expect(try asHead.json(Progress.self).measures.map(\.actual) == [7_000])

            // On the 20th, mid-month: 20 of 30 days gone, 15 000 of the company's 30 000 sold by then.
            let midMonth = try await client.get("/api/v1/plans/progress?scope=company&period=2026-11&asOf=2026-11-20", token: director).json(Progress.self)
            #expect(midMonth.daysElapsed == 20 && midMonth.daysTotal == 30)
            let figures = try #require(midMonth.measures.first)
            #expect(figures.actual == 15_000 && figures.projection == 22_500 && figures.remaining == 15_000 && figures.dailyPace == 1_500)
            #expect(figures.fulfilment == 0.5)
        }
    }

    /// A lead counts as qualified on the day it first became qualified, however often its status moves after; a lead
    /// converted straight from new counts on the day of its conversion.
    @Test(arguments: TestDatabase.engines)
    func qualifiedLeadsCountOnTheDayTheyWereFirstQualified(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            struct NewLead: Encodable { let source = "web_form"; let name: String; let ownerId: Int64 }
            struct Made: Decodable { let id: Int64 }
            let rita = try await client.token(for: org.rep)
            var leads: [Int64] = []
            for name in ["Back and forth", "Converted", "Never"] {
                leads.append(try await client.post("/api/v1/leads", json: NewLead(name: name, ownerId: org.rep.id.rawValue), token: rita)
                    .json(Made.self).id)
            }
            // 18 November: the first lead is qualified, then put back in work; on the 20th qualified again.
            for status in ["qualified", "in_work"] {
                #expect(try await client.send(.patch, "/api/v1/leads/\(leads[0])", json: ["status": status], token: rita).status == .ok)
            }
            org.clock.advance(2 * 86_400)
            let later = try await client.token(for: org.rep)  // a token lives a day
            #expect(try await client.send(.patch, "/api/v1/leads/\(leads[0])", json: ["status": "qualified"], token: later).status == .ok)
            #expect(try await client.post("/api/v1/leads/\(leads[1])/convert", json: LeadConversionTests.Conversion(createDeal: false),
                                          token: later).status == .ok)

            let director = try await client.token(for: org.director)
            let targets = [Target(measure: "qualified_leads", target: 4)]
            #expect(try await client.post("/api/v1/plans", json: NewPlan(scope: "user:\(org.rep.id)", targets: targets), token: director).status == .created)
            var actuals: [Int64?] = []
            for asOf in ["2026-11-18", "2026-11-20"] {
                let answer = try await client.get("/api/v1/plans/progress?scope=user:\(org.rep.id)&period=2026-11&asOf=\(asOf)", token: director)
                actuals.append(try answer.json(Progress.self).measures.first?.actual)
            }
            // The first lead on the 18th; the converted one joins on the 20th, and the first does not count twice.
            #expect(actuals == [1, 2])
            let split = try await client.post("/api/v1/plans", json: NewPlan(period: "2026-12", targets: targets,
                                                                             rows: [Row(dimension: "region", key: 1, measure: "qualified_leads", target: 1)]),
                                              token: director)
            #expect(try split.problem().errors?.first?.field == "rows[0].dimension")
        }
    }
}
