import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `/api/v1/schemes` and `/api/v1/payouts`: a rep's October pay from the reps' scheme and her approved plans, worked
/// out live and then approved and locked; an order cancelled afterwards taken back from November; a scheme changed
/// mid-month; who sees whose pay; the payroll CSV; on both engines.
@Suite struct PayAPITests {
    struct Payouts: Decodable {
        struct Line: Decodable { let kind: String; let amount: Int64; let explanation: String; let from: String? }
        struct Item: Decodable { let userId: Int64; let status: String; let total: Int64; let lines: [Line] }
        let period: String
        let items: [Item]
    }

    /// The reps' scheme: 30 000.00 a month, 5 % of revenue along the curve, 1 000.00 a week whose revenue plan is met,
    /// 2 000.00 for ten outbound calls, clawback on.
    static var repsRules: [String: Any] { [
        "fixedMonthly": 3_000_000,
        "planBonus": ["baseKind": "revenue_percent", "base": 500,
                      "curve": ["threshold": 0.8, "tiers": [["from": 0.8], ["from": 1.0, "multiplier": 1.2], ["from": 1.2, "multiplier": 1.5]]]],
        "kpiBonus": ["amount": 200_000, "items": [["measure": "outbound_calls", "weight": 1, "target": 10]]],
        "weeklyBonus": ["amount": 100_000],
        "clawback": true,
    ] }

    static func post(_ client: any TestClientProtocol, _ path: String, _ object: [String: Any], token: String) async throws -> TestResponse {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        headers[.contentType] = "application/json"
        return try await client.checked(uri: path, method: .post, headers: headers,
                                        body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: object)))
    }

    @Test(arguments: TestDatabase.engines)
    func aMonthsPayIsWorkedOutApprovedAndAnOrderCancelledLaterIsTakenBack(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let director = try await client.token(for: org.director)
            let scheme = try await Self.post(client, "/api/v1/schemes", ["name": "Reps 2026", "appliesTo": "role:rep", "effectiveFrom": "2026-01-01",
                                                                         "rules": Self.repsRules], token: director)
            #expect(scheme.status == .created)

            // Rita's approved October plan (10 000.00) and week 41's (5 000.00); a draft plan for week 42 pays nothing.
            for (period, target, approve) in [("2026-10", Int64(1_000_000), true), ("2026-W41", 500_000, true), ("2026-W42", 1, false)] {
                let plan = try await client.post("/api/v1/plans", json: PlansAPITests.NewPlan(period: period, scope: "user:\(org.rep.id)",
                                                                                               targets: [.init(measure: "revenue", target: target)]),
                                                 token: director).json(PlansAPITests.PlanAnswer.self)
                if approve { #expect(try await client.post("/api/v1/plans/\(plan.id)/approve", json: [String: String](), token: director).status == .ok) }
            }
            // 11 200.00 sold in October: 10 000.00 in week 41, 1 200.00 on the 20th.
            let sales = try await SalesDesk.open(client, org)
            let desk = sales.token
            let orders = [try await sales.sell(1_000, by: org.rep, on: "2026-10-05"), try await sales.sell(120, by: org.rep, on: "2026-10-20")]

            let october = try await client.get("/api/v1/payouts?period=2026-10", token: director).json(Payouts.self)
            // The three reps have the scheme; the head, the desk and the others have none.
            #expect(october.items.map(\.userId) == [org.rep, org.teammate, org.stranger].map(\.id.rawValue))
            let rita = try #require(october.items.first)
            #expect(rita.status == "draft")
            #expect(rita.lines.map(\.kind) == ["fixed", "plan_bonus", "kpi_bonus", "weekly_bonus"])
            // 112 % → ×1.2 × 5 % × 11 200.00 = 672.00; no calls → KPI 0; week 41 met → 1 000.00.
            #expect(rita.lines.map(\.amount) == [3_000_000, 67_200, 0, 100_000])
            #expect(rita.lines[1].explanation == "revenue plan 112 % → tier 100–120 % → ×1.2 × 5 % × 11 200.00 = 672.00")
            #expect(rita.lines[3].explanation == "weekly revenue plans met in 1 of 5 weeks (2026-W41) × 1 000.00 = 1 000.00")
            #expect(rita.total == 3_167_200)
            #expect(october.items[1].lines[1].explanation == "no approved revenue plan for 2026-10 → 0")

            // Who sees whose pay, and who approves.
            let ritaToken = try await client.token(for: org.rep)
            #expect(try await client.get("/api/v1/payouts?period=2026-10", token: ritaToken).json(Payouts.self).items.map(\.userId) == [org.rep.id.rawValue])
            let head = try await client.token(for: org.head)
            #expect(try await client.get("/api/v1/payouts?period=2026-10", token: head).json(Payouts.self).items.map(\.userId)
                    == [org.rep.id.rawValue, org.teammate.id.rawValue])
            #expect(try await client.get("/api/v1/payouts?period=2026-10", token: try await client.token(for: org.desk)).status == .forbidden)
            #expect(try await client.get("/api/v1/schemes", token: ritaToken).status == .forbidden)
            #expect(try await Self.post(client, "/api/v1/payouts/approve", ["period": "2026-10"], token: head).status == .forbidden)

            let approved = try await Self.post(client, "/api/v1/payouts/approve", ["period": "2026-10", "userIds": [org.rep.id.rawValue]], token: director)
            #expect(approved.status == .ok)
            #expect(try approved.json(Payouts.self).items.map(\.total) == [3_167_200])

            // The order of the 20th is cancelled after the payout: October stays as approved, November takes back the difference.
            #expect(try await client.send(.patch, "/api/v1/orders/\(orders[1])", json: ["status": "cancelled"], token: desk).status == .ok)
            let locked = try await client.get("/api/v1/payouts?period=2026-10&user=\(org.rep.id)", token: director).json(Payouts.self)
            #expect(locked.items.map(\.status) == ["approved"] && locked.items.map(\.total) == [3_167_200])
            let november = try await client.get("/api/v1/payouts?period=2026-11&user=\(org.rep.id)", token: director).json(Payouts.self)
            let clawback = try #require(november.items.first?.lines.first { $0.kind == "clawback" })
            // 100 % now: ×1.2 × 5 % × 10 000.00 = 600.00 instead of 672.00.
            #expect(clawback.amount == -7_200 && clawback.from == "2026-10")
            #expect(clawback.explanation == "clawback for 2026-10: orders changed after its payout; its plan bonus is now 600.00 instead of 672.00 → −72.00")
            _ = try await Self.post(client, "/api/v1/payouts/approve", ["period": "2026-11", "userIds": [org.rep.id.rawValue]], token: director)
            let december = try await client.get("/api/v1/payouts?period=2026-12&user=\(org.rep.id)", token: director).json(Payouts.self)
            #expect(december.items.first?.lines.contains { $0.kind == "clawback" } == false, "taken back once")

            let csv = try await client.get("/api/v1/payouts?period=2026-10&format=csv", token: director)
            #expect(csv.text.contains("\(org.rep.id),Rita,2026-10,approved,plan_bonus,672.00,EUR,"))
            #expect(csv.text.contains("\(org.rep.id),Rita,2026-10,approved,total,31672.00,EUR,"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aSchemeChangedMidMonthPaysEachVersionForItsDaysAndBadRulesAreNamed(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let director = try await client.token(for: org.director)
            #expect(try await Self.post(client, "/api/v1/schemes", ["name": "Reps", "appliesTo": "role:rep", "effectiveFrom": "2026-01-01",
                                                                    "rules": ["fixedMonthly": 3_000_000]], token: director).status == .created)
            #expect(try await Self.post(client, "/api/v1/schemes", ["name": "Tove senior", "appliesTo": "user:\(org.teammate.id)", "effectiveFrom": "2026-10-13",
                                                                    "rules": ["fixedMonthly": 3_600_000]], token: director).status == .created)
            let october = try await client.get("/api/v1/payouts?period=2026-10&user=\(org.teammate.id)", token: director).json(Payouts.self)
            let lines = try #require(october.items.first).lines
            // 30 000.00 × 12/31 = 11 612.90; 36 000.00 × 19/31 = 22 064.52.
            #expect(lines.map(\.amount) == [1_161_290, 2_206_452])
            #expect(lines.map(\.explanation) == ["Reps: fixed salary 30 000.00 × 12/31 days = 11 612.90",
                                                 "Tove senior: fixed salary 36 000.00 × 19/31 days = 22 064.52"])

            let twice = try await Self.post(client, "/api/v1/schemes", ["name": "Again", "appliesTo": "role:rep", "effectiveFrom": "2026-01-01",
                                                                        "rules": [String: Any]()], token: director)
            #expect(try twice.problem().errors?.map(\.field) == ["effectiveFrom"])
            let bad = try await Self.post(client, "/api/v1/schemes", ["name": " ", "appliesTo": "role:boss", "effectiveFrom": "2026-13-01",
                                                                      "rules": ["fixedMonthly": -5, "weeklyBonus": ["amount": -1]]], token: director)
            #expect(try bad.problem().errors?.map(\.field) == ["appliesTo", "effectiveFrom", "name", "rules.fixedMonthly", "rules.weeklyBonus.amount"])
            let head = try await client.token(for: org.head)
            #expect(try await Self.post(client, "/api/v1/schemes", ["name": "Mine", "appliesTo": "role:rep", "effectiveFrom": "2026-12-01",
                                                                    "rules": [String: Any]()], token: head).status == .forbidden)
            #expect(try await client.get("/api/v1/schemes", token: head).status == .ok)
        }
    }

    struct WhatIf: Decodable {
        struct Statement: Decodable { let total: Int64; let lines: [Payouts.Line] }
        struct Added: Decodable { let measure: String; let actual: Int64 }
        let userId: Int64
        let period: String
        let added: [Added]
        let marginKnown: Bool
        let current: Statement
        let ifWon: Statement
        let difference: Int64
    }

    /// Rita has sold 9 000.00 of her 10 000.00 November plan; her open deal of 1 000.00 would bring her to 100 %.
    @Test(arguments: TestDatabase.engines)
    func aRepSeesWhatWinningADealDoesToHerPay(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let director = try await client.token(for: org.director)
            #expect(try await Self.post(client, "/api/v1/schemes", ["name": "Reps", "appliesTo": "role:rep", "effectiveFrom": "2026-01-01",
                                                                    "rules": Self.repsRules], token: director).status == .created)
            let plan = try await client.post("/api/v1/plans", json: PlansAPITests.NewPlan(period: "2026-11", scope: "user:\(org.rep.id)",
                                                                                           targets: [.init(measure: "revenue", target: 1_000_000)]),
                                             token: director).json(PlansAPITests.PlanAnswer.self)
            _ = try await client.post("/api/v1/plans/\(plan.id)/approve", json: [String: String](), token: director)
            let sales = try await SalesDesk.open(client, org)
            try await sales.sell(900, by: org.rep, on: "2026-11-02")
            let records = sales.records, account = sales.account
            let deal = try await records.deal(account: account, owner: org.rep.id)

            let rita = try await client.token(for: org.rep)
            let answer = try await client.get("/api/v1/payouts/what-if?deal=\(deal)", token: rita)
            #expect(answer.status == .ok)
            let whatIf = try answer.json(WhatIf.self)
            #expect(whatIf.userId == org.rep.id.rawValue && whatIf.period == "2026-11" && !whatIf.marginKnown)
            #expect(whatIf.added.map(\.measure) == ["revenue", "orders", "deals_won"] && whatIf.added.first?.actual == 100_000)
            // 90 %: ×0.9 × 5 % × 9 000.00 = 405.00; won: 100 % → ×1.2 × 5 % × 10 000.00 = 600.00.
            #expect(whatIf.current.lines.first { $0.kind == "plan_bonus" }?.amount == 40_500)
            #expect(whatIf.ifWon.lines.first { $0.kind == "plan_bonus" }?.explanation
                    == "revenue plan 100 % → tier 100–120 % → ×1.2 × 5 % × 10 000.00 = 600.00")
            #expect(whatIf.difference == 19_500 && whatIf.ifWon.total - whatIf.current.total == 19_500)

            #expect(try await client.get("/api/v1/payouts/what-if?deal=\(deal)", token: try await client.token(for: org.stranger)).status == .notFound)
            let won = try await records.deal(account: account, owner: org.rep.id, status: "won")
            let refused = try await client.get("/api/v1/payouts/what-if?deal=\(won)", token: rita)
            #expect(try refused.problem().errors == [.init(field: "deal", reason: "deal \(won) is already won")])
        }
    }

    /// A sale in another currency counts toward the plan and the pay in the base currency, at the rate of its day:
    /// 2 000.00 USD on 10 October at 0.90 is 1 800.00, with 9 000.00 EUR Rita's October is 10 800.00 of 10 000.00.
    @Test(arguments: TestDatabase.engines)
    func aSaleInAnotherCurrencyCountsAtItsDaysRate(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let director = try await client.token(for: org.director)
            #expect(try await Self.post(client, "/api/v1/schemes", ["name": "Reps", "appliesTo": "role:rep", "effectiveFrom": "2026-01-01",
                                                                    "rules": Self.repsRules], token: director).status == .created)
            let plan = try await client.post("/api/v1/plans", json: PlansAPITests.NewPlan(period: "2026-10", scope: "user:\(org.rep.id)",
                                                                                           targets: [.init(measure: "revenue", target: 1_000_000)]),
                                             token: director).json(PlansAPITests.PlanAnswer.self)
            _ = try await client.post("/api/v1/plans/\(plan.id)/approve", json: [String: String](), token: director)
            let sales = try await SalesDesk.open(client, org)
            try await sales.records.exchangeRate("USD", from: 20260101, baseMicros: 900_000)
            try await sales.records.exchangeRate("USD", from: 20261101, baseMicros: 950_000)
            try await sales.sell(900, by: org.rep, on: "2026-10-05")
            struct Line: Encodable { let productId: Int64; let quantityMilli: Int64; let unitPriceMinor: Int64 }
            struct NewOrder: Encodable { let accountId: Int64; let ownerId: Int64; let orderedOn: String; let currency: String; let lines: [Line] }
            let usd = try await client.post("/api/v1/orders", json: NewOrder(accountId: sales.account, ownerId: org.rep.id.rawValue, orderedOn: "2026-10-10",
                                                                             currency: "USD", lines: [Line(productId: sales.product, quantityMilli: 2_000,
                                                                                                           unitPriceMinor: 100_000)]),
                                            token: sales.token)
            #expect(usd.status == .created)

            let progress = try await client.get("/api/v1/plans/\(plan.id)/progress", token: director).json(PlansAPITests.Progress.self)
            #expect(progress.measures.first?.actual == 1_080_000)
            let october = try await client.get("/api/v1/payouts?period=2026-10&user=\(org.rep.id)", token: director).json(Payouts.self)
            #expect(october.items.first?.lines.first { $0.kind == "plan_bonus" }?.explanation
                    == "revenue plan 108 % → tier 100–120 % → ×1.2 × 5 % × 10 800.00 = 648.00")
        }
    }

    /// Hanna, head of team A, is paid on the team's October plan: Rita's 6 000.00 and Tove's 5 500.00 against 10 000.00.
    @Test(arguments: TestDatabase.engines)
    func aHeadIsPaidOnTheTeamsPlan(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let director = try await client.token(for: org.director)
            let rules: [String: Any] = ["planBonus": ["plan": "team", "baseKind": "revenue_percent", "base": 50,
                                                      "curve": ["threshold": 0.8, "tiers": [["from": 0.8], ["from": 1.0, "multiplier": 1.2]]]]]
            #expect(try await Self.post(client, "/api/v1/schemes", ["name": "Heads", "appliesTo": "role:head", "effectiveFrom": "2026-01-01",
                                                                    "rules": rules], token: director).status == .created)
            let plan = try await client.post("/api/v1/plans", json: PlansAPITests.NewPlan(period: "2026-10", scope: "team:\(org.teamA.id)",
                                                                                           targets: [.init(measure: "revenue", target: 1_000_000)]),
                                             token: director).json(PlansAPITests.PlanAnswer.self)
            _ = try await client.post("/api/v1/plans/\(plan.id)/approve", json: [String: String](), token: director)
            let sales = try await SalesDesk.open(client, org)
            for (owner, units) in [(org.rep, Int64(600)), (org.teammate, 550), (org.stranger, 9_000)] {
                try await sales.sell(units, by: owner, on: "2026-10-14")
            }
            let head = try await client.token(for: org.head)
            let pay = try await client.get("/api/v1/payouts?period=2026-10&user=\(org.head.id)", token: head).json(Payouts.self)
            let line = try #require(pay.items.first?.lines.first)
            #expect(line.kind == "plan_bonus" && line.amount == 6_900)
            #expect(line.explanation == "team revenue plan 115 % → tier from 100 % → ×1.2 × 0.5 % × 11 500.00 = 69.00")
        }
    }
}
