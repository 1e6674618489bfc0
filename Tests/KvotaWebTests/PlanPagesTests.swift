import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// The plan pages in a browser: a director makes a plan with the form, approves it and revises it only with a reason
/// the history shows; a head splits the team's plan across the reps on the split screen, which shows the sum check
/// and refuses parts that do not add up until a reason is given; a rep reads their plan but changes nothing; on both
/// engines.
@Suite struct PlanPagesTests {
    typealias Target = PlansAPITests.Target

    struct Browser {
        let client: any TestClientProtocol
        let session: String
        let csrf: String

        static func signIn(_ client: any TestClientProtocol, _ user: User) async throws -> Browser {
            let (session, csrf) = try await BrowserSignInTests.signIn(client, as: user, password: WebFixture.password)
            return Browser(client: client, session: session, csrf: csrf)
        }

        func get(_ path: String) async throws -> TestResponse {
            try await client.get(path, headers: [.cookie: "kvota_session=\(session)"])
        }

        func post(_ path: String, _ fields: [(String, String)]) async throws -> TestResponse {
            try await client.postForm(path, [("_csrf", csrf)] + fields, headers: [.cookie: "kvota_session=\(session)"])
        }
    }

    static func plan(_ client: any TestClientProtocol, _ id: Int64, token: String) async throws -> PlansAPITests.PlanAnswer {
        try await client.get("/api/v1/plans/\(id)", token: token).json(PlansAPITests.PlanAnswer.self)
    }

    @Test(arguments: TestDatabase.engines)
    func aDirectorMakesApprovesAndRevisesAPlanWithTheForms(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let director = try await Browser.signIn(client, org.director)
            let token = try await client.token(for: org.director)
            let form = try await director.get("/plans/new?period=2026-12")
            #expect(form.status == .ok && form.text.contains(#"value="2026-12""#) && form.text.contains(#"value="team:\#(org.teamA.id)""#))

            // A target that is not a number is named, and nothing is written.
            let bad = try await director.post("/plans/new", [("period", "2026-12"), ("subject", "team:\(org.teamA.id)"), ("revenue", "lots")])
            #expect(bad.status == .unprocessableContent && bad.text.contains(#"id="revenue-error""#) && bad.text.contains("Expected a number"))
            let none = try await client.get("/api/v1/plans?period=2026-12", token: token).json(PlansAPITests.Items.self)
            #expect(none.items.isEmpty)

            let made = try await director.post("/plans/new", [("period", "2026-12"), ("subject", "team:\(org.teamA.id)"), ("revenue", "120 000.50"),
                                                              ("orders", "30"), ("note", "Winter push")])
            #expect(made.status == .seeOther)
            let location = try #require(made.headers[.location])
            let id = try #require(Int64(location.split(separator: "/").last ?? ""))
            var plan = try await Self.plan(client, id, token: token)
            #expect(plan.status == "draft" && plan.note == "Winter push")
            #expect(plan.targets == [.init(measure: "revenue", target: 12_000_050), .init(measure: "orders", target: 30)])

            // The page: progress, one cumulative chart per measure, the form filled in, approve and delete for a draft.
            let page = try await director.get(location)
            #expect(page.status == .ok && page.text.contains("New Business · 2026-12 · draft"))
            #expect(page.text.components(separatedBy: "<svg").count - 1 == 2 && page.text.contains("Actual to date"))
            #expect(page.text.contains(#"name="revenue" type="text" value="120000.50""#))
            #expect(page.text.contains("/plans/\(id)/approve") && page.text.contains("/plans/\(id)/delete"))

            let approved = try await director.post("/plans/\(id)/approve", [("version", String(plan.version))])
            #expect(approved.status == .seeOther)
            plan = try await Self.plan(client, id, token: token)
            #expect(plan.status == "approved")

            // An approved plan changes only with a reason, which the history shows.
            let noReason = try await director.post("/plans/\(id)/targets", [("version", String(plan.version)), ("revenue", "150000"), ("orders", "30")])
            #expect(noReason.status == .unprocessableContent && noReason.text.contains(#"id="reason-error""#))
            #expect(try await Self.plan(client, id, token: token).targets.first?.target == 12_000_050)
            let revised = try await director.post("/plans/\(id)/targets", [("version", String(plan.version)), ("revenue", "150000"), ("orders", ""),
                                                                           ("reason", "Big tender won")])
            #expect(revised.status == .seeOther)
            plan = try await Self.plan(client, id, token: token)
            #expect(plan.targets == [.init(measure: "revenue", target: 15_000_000)])
            let after = try await director.get("/plans/\(id)")
            #expect(after.text.contains("revised") && after.text.contains("Reason: Big tender won"))
            #expect(!after.text.contains("/plans/\(id)/delete"), "an approved plan is not deleted")

            // A stale version is not written over.
            let stale = try await director.post("/plans/\(id)/targets", [("version", "1"), ("revenue", "1"), ("reason", "x")])
            #expect(stale.status == .seeOther && stale.headers[.location] == "/plans/\(id)")
            #expect(try await Self.plan(client, id, token: token).targets.first?.target == 15_000_000)
        }
    }

    /// Breakdown rows as text: customers by name (any case), one named twice refused until written as #ID, a line
    /// that cannot be read named by its number; saved rows come back with their names.
    @Test(arguments: TestDatabase.engines)
    func breakdownRowsAreWrittenByName(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let acme = try await records.account(owner: org.rep.id, name: "Acme Steel")
            let twin = try await records.account(owner: org.rep.id, name: "Twin")
            _ = try await records.account(owner: org.teammate.id, name: "Twin")
            let director = try await Browser.signIn(client, org.director)
            let token = try await client.token(for: org.director)
            func make(_ rows: String) async throws -> TestResponse {
                try await director.post("/plans/new", [("period", "2026-12"), ("subject", "user:\(org.rep.id)"), ("revenue", "1000"), ("rows", rows)])
            }
            let ambiguous = try await make("account; acme steel; revenue; 500\naccount; Twin; revenue; 100")
            #expect(ambiguous.status == .unprocessableContent && ambiguous.text.contains("Line 2: several are called"))
            let unreadable = try await make("account; Acme Steel; revenue")
            #expect(unreadable.status == .unprocessableContent && unreadable.text.contains("Line 1: expected"))
            // A row's measure must have a target in the plan: the store says so at the rows.
            let unplanned = try await make("account; Acme Steel; orders; 5")
            #expect(unplanned.status == .unprocessableContent && unplanned.text.contains(#"id="rows-error""#))
            #expect(try await client.get("/api/v1/plans?period=2026-12", token: token).json(PlansAPITests.Items.self).items.isEmpty)

            let made = try await make("account; acme steel; revenue; 500\naccount; #\(twin); revenue; 100.50")
            #expect(made.status == .seeOther)
            let id = try #require(Int64(made.headers[.location]?.split(separator: "/").last ?? ""))
            let plan = try await Self.plan(client, id, token: token)
            #expect(plan.rows == [.init(dimension: "account", key: acme, measure: "revenue", target: 50_000),
                                  .init(dimension: "account", key: twin, measure: "revenue", target: 10_050)])
            let page = try await director.get("/plans/\(id)")
            #expect(page.text.contains("account; Acme Steel; revenue; 500\naccount; Twin; revenue; 100.50"))
            #expect(page.text.contains("Acme Steel · Revenue"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aHeadSplitsTheTeamsPlanOnTheSplitScreen(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let director = try await client.token(for: org.director)
            let plan = try await client.post("/api/v1/plans", json: PlansAPITests.NewPlan(period: "2026-12", scope: "team:\(org.teamA.id)",
                                                                                           targets: [Target(measure: "revenue", target: 1_000_001)]),
                                             token: director).json(PlansAPITests.PlanAnswer.self).id
            let head = try await Browser.signIn(client, org.head)

            // The head reads the team's plan, may split it but not change it (it comes from above).
            let page = try await head.get("/plans/\(plan)")
            #expect(page.status == .ok && page.text.contains("/plans/\(plan)/split") && !page.text.contains("/plans/\(plan)/targets"))

            // The proposal: equal shares for Rita and Tove, adding up, with the sum check.
            let screen = try await head.get("/plans/\(plan)/split")
            #expect(screen.status == .ok)
            #expect(screen.text.contains(#"name="p0.scope" value="user:\#(org.rep.id)""#) && screen.text.contains(#"name="p1.scope" value="user:\#(org.teammate.id)""#))
            #expect(screen.text.contains(#"name="p0.revenue" value="5000.01""#) && screen.text.contains(#"name="p1.revenue" value="5000""#))
            #expect(screen.text.contains("Unassigned") && !screen.text.contains("number warn"))

            func parts(_ rita: String, _ tove: String) -> [(String, String)] {
                [("by", "subject"), ("method", "equal"), ("p0.scope", "user:\(org.rep.id)"), ("p0.period", "2026-12"), ("p0.revenue", rita),
                 ("p1.scope", "user:\(org.teammate.id)"), ("p1.period", "2026-12"), ("p1.revenue", tove)]
            }
            // Checking edited parts shows what is left unassigned and writes nothing.
            let checked = try await head.post("/plans/\(plan)/split", parts("6000", "3000") + [("action", "check")])
            #expect(checked.status == .unprocessableContent && checked.text.contains(#"class="number warn">€1,000"#), "\(checked.text)")
            // Creating them needs a reason; with one, both drafts are written and the parent's history says so.
            let refused = try await head.post("/plans/\(plan)/split", parts("6000", "3000") + [("action", "create")])
            #expect(refused.status == .unprocessableContent && refused.text.contains(#"id="overrideReason-error""#))
            let list = { try await client.get("/api/v1/plans?period=2026-12&scope=user:\(org.rep.id)", token: director).json(PlansAPITests.Items.self) }
            #expect(try await list().items.isEmpty)
            let created = try await head.post("/plans/\(plan)/split", parts("6000", "3000") + [("action", "create"), ("overrideReason", "Tove on leave")])
            #expect(created.status == .seeOther && created.headers[.location] == "/plans/\(plan)")
            let rita = try #require(try await list().items.first)
            #expect(rita.status == "draft" && rita.targets.first?.target == 600_000)
            #expect(try await head.get("/plans/\(plan)").text.contains("Tove on leave"))

            // Splitting again: the parts exist, and each row says so.
            let again = try await head.post("/plans/\(plan)/split", parts("5000.01", "5000") + [("action", "create")])
            #expect(again.status == .unprocessableContent && again.text.contains("already has a plan"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aRepReadsTheirPlanButChangesNothing(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let director = try await client.token(for: org.director)
            let own = try await client.post("/api/v1/plans", json: PlansAPITests.NewPlan(scope: "user:\(org.rep.id)"), token: director)
                .json(PlansAPITests.PlanAnswer.self)
            let team = try await client.post("/api/v1/plans", json: PlansAPITests.NewPlan(scope: "team:\(org.teamA.id)"), token: director)
                .json(PlansAPITests.PlanAnswer.self)
            let rep = try await Browser.signIn(client, org.rep)
            let page = try await rep.get("/plans/\(own.id)")
            #expect(page.status == .ok && page.text.contains("<svg"))
            #expect(!page.text.contains("/plans/\(own.id)/targets") && !page.text.contains("/plans/\(own.id)/approve")
                    && !page.text.contains("/split"))
            #expect(try await rep.get("/plans/\(team.id)").status == .notFound)
            #expect(try await rep.get("/plans/\(team.id)/split").status == .notFound)
            #expect(try await rep.get("/plans/new").status == .forbidden)
            #expect(try await rep.post("/plans/\(own.id)/approve", [("version", String(own.version))]).status == .forbidden)
            #expect(try await rep.post("/plans/\(own.id)/targets", [("revenue", "1")]).status == .forbidden)
            #expect(try await Self.plan(client, own.id, token: director).status == "draft")
        }
    }
}
