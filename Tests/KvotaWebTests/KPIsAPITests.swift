import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import SQLKit
@testable import KvotaWeb
import Testing

/// `GET /api/v1/kpis` on a hand-made November for Rita (the clock says 18 November): every KPI worked out by hand
/// below, the period before, the team median, the team's sum, and who may ask; on both engines.
@Suite struct KPIsAPITests {
    struct Answer: Decodable {
        struct Item: Decodable { let key: String; let value: Double?; let unit: String; let previous: Double?; let teamMedian: Double? }
        let scope: String
        let from: String
        let to: String
        let previousFrom: String
        let previousTo: String
        let items: [Item]

        subscript(_ key: String) -> Item? { items.first { $0.key == key } }
    }

    /// Writes Rita's November (and a little of October) straight into the tables.
    static func november(_ org: WebFixture, _ client: any TestClientProtocol) async throws {
        let zone = try await org.database.companyTimeZone()
        func at(_ day: String, _ hour: Int, _ minute: Int = 0) throws -> Int64 {
            try LocalDate(iso: day).start(in: zone).epochMilliseconds + Int64(hour * 3_600_000 + minute * 60_000)
        }
        func key(_ day: String) throws -> Int { (try LocalDate(iso: day)).key }
        let records = try await TestRecords.make(org.database)
        let rita = org.rep.id.rawValue, tove = org.teammate.id.rawValue
        let stage = records.firstStageID
        try await org.database.write { sql in
            func call(_ owner: Int64, _ day: String, _ hour: Int, _ minute: Int, _ direction: String, _ disposition: String, _ number: String,
                      _ talk: Int) async throws {
                try await sql.raw("""
                    INSERT INTO activities (kind, owner_id, subject, occurred_at, occurred_on, call_direction, call_disposition, external_number, talk_seconds)
                    VALUES ('call', \(bind: owner), 'Call', \(bind: try at(day, hour, minute)), \(bind: try key(day)), \(bind: direction),
                            \(bind: disposition), \(bind: number), \(bind: talk))
                    """).run()
            }
            try await call(rita, "2026-11-02", 10, 0, "outbound", "answered", "+46700000001", 90)
            try await call(rita, "2026-11-03", 10, 0, "outbound", "answered", "+46700000002", 30)
            try await call(rita, "2026-11-04", 10, 0, "inbound", "missed", "+46700000003", 0)
            try await call(tove, "2026-11-04", 10, 10, "outbound", "busy", "+46700000003", 0)  // called back in 10 minutes
            try await call(rita, "2026-11-05", 10, 0, "inbound", "missed", "+46700000004", 0)
            try await call(rita, "2026-11-05", 10, 20, "outbound", "failed", "+46700000004", 0)  // 20 minutes: too late
            try await call(rita, "2026-11-06", 10, 0, "inbound", "answered", "+46700000005", 120)
            try await call(rita, "2026-10-20", 10, 0, "outbound", "answered", "+46700000006", 60)
            func other(_ kind: String, _ day: String, due: Int64?, done: Int64?) async throws {
                try await sql.raw("""
                    INSERT INTO activities (kind, owner_id, subject, occurred_at, occurred_on, due_at, done_at)
                    VALUES (\(bind: kind), \(bind: rita), 'Work', \(bind: try at(day, 9)), \(bind: try key(day)), \(bind: due), \(bind: done))
                    """).run()
            }
            try await other("meeting", "2026-11-07", due: nil, done: try at("2026-11-07", 12))
            try await other("meeting", "2026-11-08", due: nil, done: nil)
            try await other("task", "2026-11-09", due: try at("2026-11-09", 18), done: try at("2026-11-09", 12))  // on time
            try await other("task", "2026-11-09", due: try at("2026-11-09", 18), done: try at("2026-11-10", 12))  // late
            try await other("task", "2026-11-11", due: nil, done: try at("2026-11-11", 12))
            try await other("task", "2026-11-12", due: try at("2026-11-12", 18), done: nil)  // overdue on the 18th
            try await other("task", "2026-11-25", due: try at("2026-11-25", 18), done: nil)  // not yet due

            func lead(_ day: String, response: Int64?, qualified: String?, status: String) async throws -> Int64 {
                try await sql.raw("""
                    INSERT INTO leads (source, received_at, received_on, first_response_at, status, owner_id, name, qualified_on)
                    VALUES ('web_form', \(bind: try at(day, 9)), \(bind: try key(day)), \(bind: response), \(bind: status), \(bind: rita), 'Lead',
                            \(bind: try qualified.map(key)))
                    RETURNING id
                    """).first()!.decode(column: "id", as: Int64.self)
            }
            let converted = try await lead("2026-11-02", response: try at("2026-11-02", 9, 5), qualified: "2026-11-03", status: "converted")
            _ = try await lead("2026-11-04", response: try at("2026-11-04", 10), qualified: nil, status: "in_work")
            _ = try await lead("2026-11-16", response: nil, qualified: nil, status: "new")
            _ = try await lead("2026-10-20", response: try at("2026-10-20", 9, 1), qualified: "2026-11-01", status: "qualified")

            let account = try await sql.raw("INSERT INTO accounts (name, owner_id, created_at, updated_at) VALUES ('Dealer', \(bind: rita), 0, 0) RETURNING id")
                .first()!.decode(column: "id", as: Int64.self)
            let pipeline = try await sql.raw("SELECT pipeline_id FROM stages WHERE id = \(bind: stage)").first()!.decode(column: "pipeline_id", as: Int64.self)
            func deal(_ amount: Int64, created: String, status: String, closed: String?, lead: Int64?) async throws {
                try await sql.raw("""
                    INSERT INTO deals (title, account_id, pipeline_id, stage_id, amount_minor, currency, forecast_category, owner_id, status,
                                       created_at, closed_at, closed_on, lead_id, updated_at)
                    VALUES ('Deal', \(bind: account), \(bind: pipeline), \(bind: stage), \(bind: amount), 'EUR', 'pipeline', \(bind: rita), \(bind: status),
                            \(bind: try at(created, 10)), \(bind: try closed.map { try at($0, 10) }), \(bind: try closed.map(key)), \(bind: lead), 0)
                    """).run()
            }
            try await deal(500_000, created: "2026-11-02", status: "won", closed: "2026-11-12", lead: converted)
            try await deal(200_000, created: "2026-10-01", status: "lost", closed: "2026-11-14", lead: nil)
            try await deal(300_000, created: "2026-11-05", status: "open", closed: nil, lead: nil)
            try await deal(100_000, created: "2026-10-01", status: "open", closed: nil, lead: nil)  // untouched since: stalled
        }
        // Sales through the order desk: the desk's customer has bought since October, a second one is new in November.
        let sales = try await SalesDesk.open(client, org)
        try await sales.sell(10, by: org.rep, on: "2026-10-20")
        try await sales.sell(100, by: org.rep, on: "2026-11-02")
        try await sales.sell(50, by: org.rep, on: "2026-11-10")
        let second = try await records.account(owner: org.rep.id, name: "Second")
        struct Line: Encodable { let productId: Int64; let quantityMilli: Int64 }
        struct NewOrder: Encodable { let accountId: Int64; let ownerId: Int64; let orderedOn: String; let lines: [Line] }
        #expect(try await client.post("/api/v1/orders", json: NewOrder(accountId: second, ownerId: org.rep.id.rawValue, orderedOn: "2026-11-11",
                                                                      lines: [Line(productId: sales.product, quantityMilli: 30_000)]),
                                      token: sales.token).status == .created)
        let director = try await client.token(for: org.director)
        let plan = try await client.post("/api/v1/plans", json: PlansAPITests.NewPlan(period: "2026-11", scope: "user:\(org.rep.id)",
                                                                                       targets: [.init(measure: "revenue", target: 360_000)]),
                                         token: director)
        #expect(plan.status == .created)
    }

    @Test(arguments: TestDatabase.engines)
    func everyKPIOfAHandMadeMonth(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            try await Self.november(org, client)
            let head = try await client.token(for: org.head)
            let response = try await client.get("/api/v1/kpis?scope=user:\(org.rep.id)&from=2026-11-01&to=2026-11-30", token: head)
            #expect(response.status == .ok)
            let kpis = try response.json(Answer.self)
            #expect(kpis.previousFrom == "2026-10-02" && kpis.previousTo == "2026-10-31")
            #expect(kpis.items.map(\.key) == KPI.allCases.map(\.rawValue))
            let expected: [String: Double?] = [
                "calls_outbound": 3, "calls_inbound": 3, "effective_conversations": 2, "missed_calls": 2, "callback_within_sla_rate": 0.5,
                "avg_talk_s": 80, "meetings_held": 1, "tasks_completed": 3, "tasks_on_time_rate": 0.5, "tasks_overdue": 1,
                "leads_new": 3, "qualified_leads": 2, "qualification_rate": 1.0 / 3, "first_response_median_s": 1_950, "first_response_p90_s": 3_270,
                "leads_over_sla": 2, "lead_to_won_rate": 1.0 / 3, "avg_conversion_days": 10,
                "deals_new": 2, "pipeline_open": 400_000, "pipeline_weighted": 200_000, "deals_won": 1, "deals_lost": 1, "win_rate_count": 0.5,
                "win_rate_amount": 5.0 / 7, "avg_won_deal": 500_000, "sales_cycle_median_days": 10, "deals_stalled": 1,
                "revenue": 180_000, "margin": 72_000, "margin_rate": 0.4, "orders": 3, "avg_order_value": 60_000, "plan_fulfilment_revenue": 0.5,
                "run_rate_revenue": 300_000, "customers_active": 2, "customers_new": 1, "customers_repeat": 1,
                "top_customer_share": 1_500.0 / 1_800, "hhi": pow(1_500.0 / 1_800, 2) + pow(300.0 / 1_800, 2), "a_class_customers": 1,
                // October's one customer is still A and bought on the 10th: nobody fell out of A, nobody is at risk.
                "churn_risk_count": 0, "a_class_downgrades": 0,
            ]
            #expect(Set(expected.keys) == Set(KPI.allCases.map(\.rawValue)), "every KPI is worked out by hand")
            for (key, value) in expected {
                let got = kpis[key]?.value
                #expect(got.map { abs($0 - value!) < 1e-9 } == true, "\(key): \(String(describing: got)) instead of \(String(describing: value))")
            }
            // October 2–31: one answered outbound call of 60 s, one lead, one order of 100.00; a snapshot has no "before".
            #expect(kpis["calls_outbound"]?.previous == 1 && kpis["effective_conversations"]?.previous == 1 && kpis["leads_new"]?.previous == 1)
            #expect(kpis["revenue"]?.previous == 10_000 && kpis["pipeline_open"]?.previous == nil && kpis["deals_stalled"]?.previous == nil)
            #expect(kpis["callback_within_sla_rate"]?.previous == nil, "no missed call in October: no rate")
            #expect(kpis["revenue"]?.unit == "money" && kpis["win_rate_count"]?.unit == "share" && kpis["avg_talk_s"]?.unit == "seconds")
            // The team median: Hanna (the head, no calls), Rita (3) and Tove (1 outbound call).
            #expect(kpis["calls_outbound"]?.teamMedian == 1 && kpis["revenue"]?.teamMedian == 0)
            #expect(kpis["tasks_on_time_rate"]?.teamMedian == 0.5, "only Rita has a rate")

            // The team's KPIs are its members' added up.
            let team = try await client.get("/api/v1/kpis?scope=team:\(org.teamA.id)&from=2026-11-01&to=2026-11-30&keys=calls_outbound,revenue",
                                            token: head).json(Answer.self)
            #expect(team.items.map(\.key) == ["calls_outbound", "revenue"] && team["calls_outbound"]?.value == 4 && team["revenue"]?.value == 180_000)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func whoMayAskAndBadQuestions(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let rita = try await client.token(for: org.rep)
            let own = try await client.get("/api/v1/kpis?scope=user:\(org.rep.id)&keys=revenue", token: rita)
            #expect(own.status == .ok)
            let answer = try own.json(Answer.self)
            #expect(answer.from == "2026-11-01" && answer.to == "2026-11-18" && answer["revenue"]?.teamMedian == nil, "a rep sees no team median")
            for scope in ["team:\(org.teamA.id)", "user:\(org.teammate.id)", "company"] {
                #expect(try await client.get("/api/v1/kpis?scope=\(scope)", token: rita).status == .forbidden, "\(scope)")
            }
            #expect(try await client.get("/api/v1/kpis?scope=company", token: try await client.token(for: org.desk)).status == .forbidden)
            #expect(try await client.get("/api/v1/kpis?scope=company", token: try await client.token(for: org.director)).status == .ok)
            let bad = try await client.get("/api/v1/kpis?scope=everyone&keys=revenue,nope&from=2026-11-30&to=2026-11-01", token: rita)
            #expect(bad.status == .badRequest)
            #expect(try bad.problem().errors?.map(\.field).sorted() == ["keys", "scope", "to"])
        }
    }

    struct Board: Decodable {
        struct Row: Decodable { let rank: Int; let userId: Int64; let value: Double? }
        let key: String
        let unit: String
        let items: [Row]
    }

    /// The leaderboard ranks the members best first (fewest first where less is better), members without a value
    /// last; the page shows it with the KPI's name; every KPI has a name in the catalogs.
    @Test(arguments: TestDatabase.engines)
    func theLeaderboardRanksBestFirst(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            try await Self.november(org, client)
            let head = try await client.token(for: org.head)
            func board(_ key: String) async throws -> Board {
                let answer = try await client.get("/api/v1/kpis/leaderboard?team=\(org.teamA.id)&key=\(key)&from=2026-11-01&to=2026-11-30", token: head)
                #expect(answer.status == .ok)
                return try answer.json(Board.self)
            }
            let (hanna, rita, tove) = (org.head.id.rawValue, org.rep.id.rawValue, org.teammate.id.rawValue)
            let calls = try await board("calls_outbound")
            #expect(calls.items.map(\.userId) == [rita, tove, hanna] && calls.items.map(\.value) == [3, 1, 0] && calls.items.map(\.rank) == [1, 2, 3])
            #expect(try await board("missed_calls").items.map(\.userId) == [hanna, tove, rita], "fewest first, ties by id")
            let onTime = try await board("tasks_on_time_rate")
            #expect(onTime.items.first?.userId == rita && onTime.items.dropFirst().allSatisfy { $0.value == nil } && onTime.unit == "share")
            #expect(try await client.get("/api/v1/kpis/leaderboard?team=\(org.teamA.id)", token: try await client.token(for: org.rep)).status == .forbidden)
            #expect(try await client.get("/api/v1/kpis/leaderboard?key=nope", token: head).status == .badRequest)

            let browser = try await PlanPagesTests.Browser.signIn(client, org.head)
            let page = try await browser.get("/team/leaderboard?key=calls_outbound&from=2026-11-01&to=2026-11-30")
            #expect(page.status == .ok && page.text.contains("Leaderboard · New Business") && page.text.contains("Outbound calls"))
            let order = ["Rita", "Tove", "Hanna"].compactMap { page.text.range(of: ">\($0)</a></td>")?.lowerBound }
            #expect(order.count == 3 && order == order.sorted())
            #expect(KPI.allCases.allSatisfy { UIKey(rawValue: "kpi." + $0.rawValue) != nil })
        }
    }

    /// The churn-risk count and the downgrades from A, over August to October against May to July: a customer who was
    /// A in June and has bought nothing since 10 June is both; one new in September is neither.
    @Test(arguments: TestDatabase.engines)
    func churnRiskAndDowngradesFromA(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let sales = try await SalesDesk.open(client, org)
            let fallen = try await TestRecords.make(org.database).account(owner: org.rep.id, name: "Fallen")
            try await sales.sell(1_000, by: org.rep, on: "2026-06-10", to: fallen)
            try await sales.sell(2_000, by: org.rep, on: "2026-09-09")
            let answer = try await client.get("/api/v1/kpis?scope=company&from=2026-08-01&to=2026-10-31&keys=churn_risk_count,a_class_downgrades",
                                              token: try await client.token(for: org.director)).json(Answer.self)
            #expect(answer.previousFrom == "2026-05-01")
            #expect(answer["churn_risk_count"]?.value == 1 && answer["a_class_downgrades"]?.value == 1)
            // Rita's own are the same customers; Tove has none.
            let tove = try await client.get("/api/v1/kpis?scope=user:\(org.teammate.id)&from=2026-08-01&to=2026-10-31&keys=churn_risk_count",
                                            token: try await client.token(for: org.director)).json(Answer.self)
            #expect(tove["churn_risk_count"]?.value == 0)
        }
    }
}
