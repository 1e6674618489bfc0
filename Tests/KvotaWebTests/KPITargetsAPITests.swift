import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `/api/v1/kpi-targets` on the hand-made November of the KPI tests: targets per role and per user, a user's own over
/// their role's, pro rata for a part of the month, in the KPIs' answer with the score, on the rep card, and in the KPI
/// part of pay; who may set them; every bad field named. Both engines.
@Suite struct KPITargetsAPITests {
    struct Target: Decodable { let id: Int64; let kpi: String; let appliesTo: String; let target: Double; let effectiveFrom: String }
    struct Targets: Decodable { let items: [Target] }
    struct KPIs: Decodable {
        struct Item: Decodable { let key: String; let value: Double?; let target: Double?; let score: Double? }
        let items: [Item]
        subscript(_ key: String) -> Item? { items.first { $0.key == key } }
    }

    @Test(arguments: TestDatabase.engines)
    func targetsPerRoleAndUserMeetTheKPIsAndPay(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            try await KPIsAPITests.november(org, client)
            let director = try await client.token(for: org.director), head = try await client.token(for: org.head)
            func add(_ kpi: String, _ appliesTo: String, _ target: Double, token: String) async throws -> TestResponse {
                try await PayAPITests.post(client, "/api/v1/kpi-targets", ["kpi": kpi, "appliesTo": appliesTo, "target": target,
                                                                           "effectiveFrom": "2026-11-01"], token: token)
            }
            #expect(try await add("calls_outbound", "role:rep", 10, token: director).status == .created)
            #expect(try await add("calls_outbound", "user:\(org.rep.id)", 4, token: director).status == .created)
            #expect(try await add("tasks_on_time_rate", "role:rep", 0.9, token: director).status == .created)
            // Heads read them but do not set them; the same version twice is refused by its day.
            #expect(try await add("calls_outbound", "role:rep", 12, token: head).status == .forbidden)
            let twice = try await add("calls_outbound", "role:rep", 12, token: director)
            #expect(twice.status == .unprocessableContent && twice.text.contains("effectiveFrom"))
            let bad = try await PayAPITests.post(client, "/api/v1/kpi-targets", ["kpi": "smiles", "appliesTo": "team:1", "target": -1,
                                                                               "effectiveFrom": "1 Nov"], token: director)
            #expect(bad.status == .unprocessableContent)
            for field in ["\"kpi\"", "\"appliesTo\"", "\"target\"", "\"effectiveFrom\""] { #expect(bad.text.contains(field), "\(field)") }
            let listed = try await client.get("/api/v1/kpi-targets", token: head)
            #expect(listed.status == .ok)
            #expect(try listed.json(Targets.self).items.count == 3)
            #expect(try await client.get("/api/v1/kpi-targets?appliesTo=user:\(org.rep.id)", token: head).json(Targets.self).items.map(\.target) == [4])
            #expect(try await client.get("/api/v1/kpi-targets", token: try await client.token(for: org.rep)).status == .forbidden)

            // Rita's own 4 calls (she made 3: 75 %), Tove's role target of 10; half the month is half the target.
            func kpis(_ user: User, _ to: String) async throws -> KPIs {
                try await client.get("/api/v1/kpis?scope=user:\(user.id)&from=2026-11-01&to=\(to)&keys=calls_outbound,tasks_on_time_rate",
                                     token: director).json(KPIs.self)
            }
            let rita = try await kpis(org.rep, "2026-11-30")
            #expect(rita["calls_outbound"]?.target == 4 && rita["calls_outbound"]?.score == 0.75)
            #expect(rita["tasks_on_time_rate"]?.target == 0.9)
            #expect(try await kpis(org.teammate, "2026-11-30")["calls_outbound"]?.target == 10)
            #expect(try await kpis(org.rep, "2026-11-15")["calls_outbound"]?.target == 2)
            #expect(try await client.get("/api/v1/kpis?scope=team:\(org.teamA.id)&keys=calls_outbound", token: director)
                .json(KPIs.self)["calls_outbound"]?.target == nil)

            // Pay: 1 000.00 on calls against her target, 3/4 = 0.75.
            let scheme = try await PayAPITests.post(client, "/api/v1/schemes", [
                "name": "Calls", "appliesTo": "user:\(org.rep.id)", "effectiveFrom": "2026-11-01",
                "rules": ["kpiBonus": ["amount": 100_000, "kpis": [["kpi": "calls_outbound", "weight": 1]]]],
            ], token: director)
            #expect(scheme.status == .created)
            let pay = try await client.get("/api/v1/payouts?period=2026-11&user=\(org.rep.id)", token: director).json(PayAPITests.Payouts.self)
            let line = try #require(pay.items.first?.lines.first { $0.kind == "kpi_bonus" })
            #expect(line.amount == 75_000 && line.explanation.contains("calls_outbound 3/4 = 0.75"))

            // The card shows the target and how far it is met.
            let browser = try await PlanPagesTests.Browser.signIn(client, org.head)
            let card = try await browser.get("/team/reps/\(org.rep.id)?from=2026-11-01&to=2026-11-30")
            #expect(card.status == .ok && card.text.contains(">Target<") && card.text.contains(#"class="number bad""#))

            // A mistaken one goes, with an audit line.
            let id = try #require(try await client.get("/api/v1/kpi-targets?appliesTo=user:\(org.rep.id)", token: director).json(Targets.self).items.first).id
            #expect(try await client.delete("/api/v1/kpi-targets/\(id)", token: head).status == .forbidden)
            #expect(try await client.delete("/api/v1/kpi-targets/\(id)", token: director).status == .noContent)
            #expect(try await kpis(org.rep, "2026-11-30")["calls_outbound"]?.target == 10)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theTargetsPageListsAndSetsThem(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let director = try await PlanPagesTests.Browser.signIn(client, org.director)
            let page = try await director.get("/kpi-targets")
            #expect(page.status == .ok && page.text.contains("No KPI targets yet.") && page.text.contains(#"name="appliesTo""#))
            // 90 % on time for every rep, 1 500.00 of average deal for Rita.
            let saved = try await director.post("/kpi-targets", [("kpi", "tasks_on_time_rate"), ("appliesTo", "role:rep"), ("target", "90"),
                                                                ("effectiveFrom", "2026-11-01")])
            #expect(saved.status == .seeOther || saved.status == .found)
            #expect(try await director.post("/kpi-targets", [("kpi", "avg_won_deal"), ("appliesTo", "user:\(org.rep.id)"), ("target", "1 500"),
                                                            ("effectiveFrom", "2026-12-01")]).status != .unprocessableContent)
            let token = try await client.token(for: org.director)
            let stored = try await client.get("/api/v1/kpi-targets", token: token).json(Targets.self).items
            #expect(stored.map(\.target) == [0.9, 150_000])
            let listed = try await director.get("/kpi-targets")
            #expect(listed.text.contains("in force") && listed.text.contains("from ") && listed.text.contains("Rita"))
            let bad = try await director.post("/kpi-targets", [("kpi", "calls_outbound"), ("appliesTo", "role:rep"), ("target", "many"),
                                                              ("effectiveFrom", "2026-11-01")])
            #expect(bad.status == .unprocessableContent && bad.text.contains("Expected a number, 0 or more."))
            // A head reads them, without the form, and cannot set or delete one.
            let head = try await PlanPagesTests.Browser.signIn(client, org.head)
            let read = try await head.get("/kpi-targets")
            #expect(read.status == .ok && !read.text.contains(#"name="appliesTo""#) && read.text.contains("Rita"))
            #expect(try await head.post("/kpi-targets", [("kpi", "calls_outbound"), ("appliesTo", "role:rep"), ("target", "5"),
                                                        ("effectiveFrom", "2026-11-01")]).status == .forbidden)
            #expect(try await head.post("/kpi-targets/\(stored[0].id)/delete", []).status == .forbidden)
            #expect(try await PlanPagesTests.Browser.signIn(client, org.rep).get("/kpi-targets").status == .forbidden)
            #expect(try await director.post("/kpi-targets/\(stored[0].id)/delete", []).status != .forbidden)
            #expect(try await client.get("/api/v1/kpi-targets", token: token).json(Targets.self).items.count == 1)
        }
    }
}
