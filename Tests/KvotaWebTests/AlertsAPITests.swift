import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// Alerts (issue 8): each rule raises once per occurrence, to the owner and their head (the directors for company
/// matters); a write that ends the condition clears it at once; a person may resolve one; the bell counts the new;
/// nobody sees another's alerts. Both engines.
@Suite struct AlertsAPITests {
    struct Item: Decodable {
        let id: Int64
        let rule: String
        let subjectId: Int64
        let episode: String
        let title: String
        let value: Double?
        let state: String
        let clearedAt: Date?
        let link: String?
    }

    struct Page: Decodable { let items: [Item]; let unread: Int; let next: String? }
    struct Round: Decodable { let checked: [String]; let raised: [String: Int]; let cleared: [String: Int] }
    struct Made: Decodable { let id: Int64 }

    struct NewActivity: Encodable {
        var kind = "call"
        var subject = "Call"
        var leadId: Int64?
        var dealId: Int64?
        var accountId: Int64?
        var occurredAt: Date
        var callDirection: String? = "outbound"
        var callDisposition: String? = "answered"
        var externalNumber: String?
        var talkSeconds: Int? = 30
    }

    static func alerts(_ client: any TestClientProtocol, _ token: String, _ query: String = "") async throws -> Page {
        let answer = try await client.get("/api/v1/alerts\(query)", token: token)
        #expect(answer.status == .ok)
        return try answer.json(Page.self)
    }

    static func evaluate(_ client: any TestClientProtocol, _ org: WebFixture) async throws -> Round {
        let answer = try await client.post("/api/v1/alerts/evaluate", json: [String: String](), token: try await client.token(for: org.admin))
        #expect(answer.status == .ok)
        return try answer.json(Round.self)
    }

    @Test(arguments: TestDatabase.engines)
    func responseRulesRaiseOnceAndClearOnTheWriteThatEndsThem(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let now = org.clock.now.epochMilliseconds
            let zone = try await org.database.companyTimeZone()
            let today = LocalDate(org.clock.now, in: zone).key
            let rita = org.rep.id.rawValue
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            let (late, fresh, old, missed, stalled) = try await org.database.write { sql -> (Int64, Int64, Int64, Int64, Int64) in
                func lead(minutesAgo: Int64) async throws -> Int64 {
                    let at = now - minutesAgo * 60_000
                    return try await sql.raw("""
                        INSERT INTO leads (source, received_at, received_on, status, owner_id, name)
                        VALUES ('web_form', \(bind: at), \(bind: LocalDate(Date(epochMilliseconds: at), in: zone).key), 'new', \(bind: rita), 'Visitor')
                        RETURNING id
                        """).first()!.decode(column: "id", as: Int64.self)
                }
                let late = try await lead(minutesAgo: 30), fresh = try await lead(minutesAgo: 5), old = try await lead(minutesAgo: 10 * 24 * 60)
                let missed = try await sql.raw("""
                    INSERT INTO activities (kind, owner_id, subject, occurred_at, occurred_on, call_direction, call_disposition, external_number, talk_seconds)
                    VALUES ('call', \(bind: rita), 'Call', \(bind: now - 20 * 60_000), \(bind: today), 'inbound', 'missed', '+46700000009', 0)
                    RETURNING id
                    """).first()!.decode(column: "id", as: Int64.self)
                let stage = try await sql.raw("SELECT id, pipeline_id FROM stages ORDER BY id LIMIT 1").first()!
                let stalled = try await sql.raw("""
                    INSERT INTO deals (title, account_id, pipeline_id, stage_id, amount_minor, currency, forecast_category, owner_id, status,
                                       created_at, updated_at)
                    VALUES ('Quiet deal', \(bind: account), \(bind: try stage.decode(column: "pipeline_id", as: Int64.self)),
                            \(bind: try stage.decode(column: "id", as: Int64.self)), 100000, 'EUR', 'pipeline', \(bind: rita), 'open',
                            \(bind: now - 20 * 86_400_000), 0)
                    RETURNING id
                    """).first()!.decode(column: "id", as: Int64.self)
                return (late, fresh, old, missed, stalled)
            }
            let round = try await Self.evaluate(client, org)
            #expect(round.raised["lead_unanswered"] == 1 && round.raised["missed_call"] == 1 && round.raised["deal_stalled"] == 1, "\(round)")
            #expect(Set(round.checked) == Set(AlertRule.evaluated.map(\.rawValue)))

            // To Rita and her head Hanna; not to Tove, the director or a rep of another team.
            var rep = try await client.token(for: org.rep)
            let head = try await client.token(for: org.head)
            let ritas = try await Self.alerts(client, rep)
            #expect(ritas.unread == 3 && Set(ritas.items.map(\.rule)) == ["lead_unanswered", "missed_call", "deal_stalled"])
            #expect(ritas.items.first { $0.rule == "lead_unanswered" }?.subjectId == late)
            #expect(!ritas.items.contains { [fresh, old].contains($0.subjectId) && $0.rule == "lead_unanswered" })
            #expect(ritas.items.first { $0.rule == "missed_call" }.map { $0.subjectId == missed && $0.title == "+46700000009" } == true)
            #expect(ritas.items.first { $0.rule == "lead_unanswered" }?.link == "/leads/\(late)")
            #expect(try await Self.alerts(client, head).unread == 3)
            for other in [org.teammate, org.director, org.stranger] {
                #expect(try await Self.alerts(client, try await client.token(for: other)).items.isEmpty, "\(other.name)")
            }
            let leadAlert = try #require(ritas.items.first { $0.rule == "lead_unanswered" })
            let stranger = try await client.token(for: org.stranger)
            #expect(try await client.get("/api/v1/alerts/\(leadAlert.id)", token: stranger).status == .notFound)
            #expect(try await client.post("/api/v1/alerts/\(leadAlert.id)/resolve", json: [String: String](), token: stranger).status == .notFound)
            #expect(try await client.post("/api/v1/alerts/evaluate", json: [String: String](), token: rep).status == .forbidden)

            // Once: a second round raises nothing again.
            #expect(try await Self.evaluate(client, org).raised.values.reduce(0, +) == 0)
            #expect(try await Self.alerts(client, rep).items.count == 3)

            // Rita calls the lead back and the missed number: both alerts clear with the writes, before any round.
            org.clock.advance(60)
            let reply = try await client.post("/api/v1/activities", json: NewActivity(leadId: late, occurredAt: org.clock.now,
                                                                                      externalNumber: "+46700000010"), token: rep)
            #expect(reply.status == .created)
            let callBack = try await client.post("/api/v1/activities", json: NewActivity(accountId: account, occurredAt: org.clock.now, externalNumber: "+46700000009"),
                                                 token: rep)
            #expect(callBack.status == .created, "\(callBack.text)")
            let after = try await Self.alerts(client, rep)
            #expect(after.items.map(\.rule) == ["deal_stalled"] && after.unread == 1)
            let cleared = try await Self.alerts(client, rep, "?show=resolved")
            #expect(cleared.items.count == 2 && cleared.items.allSatisfy { $0.state == "resolved" && $0.clearedAt != nil })

            // Hanna resolves the stalled deal for both; it stays resolved while the deal is still quiet.
            let dealAlert = try #require(after.items.first)
            let resolved = try await client.post("/api/v1/alerts/\(dealAlert.id)/resolve", json: ["note": "Talked it through"], token: head)
            #expect(resolved.status == .ok)
            #expect(try resolved.json(Item.self).state == "resolved")
            #expect(try await Self.alerts(client, rep).items.isEmpty)
            #expect(try await Self.evaluate(client, org).raised["deal_stalled"] == 0)
            // Touched, it clears; quiet for another 15 days, it is a second occurrence.
            #expect(try await client.post("/api/v1/activities", json: NewActivity(kind: "note", dealId: stalled, occurredAt: org.clock.now,
                                                                                  callDirection: nil, callDisposition: nil, talkSeconds: nil),
                                          token: rep).status == .created)
            org.clock.advance(15 * 86_400)
            rep = try await client.token(for: org.rep)  // a day's token has run out
            let later = try await Self.evaluate(client, org)
            #expect(later.raised["deal_stalled"] == 1)
            let both = try await Self.alerts(client, rep, "?show=all&rule=deal_stalled")
            #expect(both.items.count == 2 && both.items.filter { $0.state == "new" }.count == 1)

            // The bell: mark everything seen.
            struct Seen: Decodable { let marked: Int; let unread: Int }
            let seen = try await client.post("/api/v1/alerts/seen", json: ["all": true], token: rep)
            let marked = try seen.json(Seen.self)
            #expect(marked.unread == 0 && marked.marked >= 1)
            #expect(try await Self.alerts(client, rep, "?show=new").items.isEmpty)
            #expect(try await client.post("/api/v1/alerts/seen", json: [String: String](), token: rep).status == .unprocessableContent)
            #expect(try await client.get("/api/v1/alerts?show=everything", token: rep).status == .unprocessableContent)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func customerAndPlanRules(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let sales = try await SalesDesk.open(client, org)
            let records = try await TestRecords.make(org.database)
            let fallen = try await records.account(owner: org.rep.id, name: "Fallen")
            // Over the last 12 months both customers are A: the desk's (two thirds of the revenue) last bought 70 days ago;
            // the other was the A customer of May to July and has bought nothing since.
            try await sales.sell(1_000, by: org.rep, on: "2026-06-10", to: fallen)
            try await sales.sell(2_000, by: org.rep, on: "2026-09-09")
            let director = try await client.token(for: org.director)
            func plan(_ scope: String, _ target: Int64) async throws {
                let made = try await client.post("/api/v1/plans", json: PlansAPITests.NewPlan(scope: scope, targets: [.init(measure: "revenue", target: target)]),
                                                 token: director)
                #expect(made.status == .created)
                let id = try made.json(Made.self).id
                #expect(try await client.post("/api/v1/plans/\(id)/approve", json: [String: String](), token: director).status == .ok)
            }
            try await plan("user:\(org.rep.id)", 5_000_000)
            try await plan("team:\(org.teamA.id)", 5_000_000)

            let round = try await Self.evaluate(client, org)
            #expect(round.raised["concentration"] == 1 && round.raised["key_customer_silent"] == 2 && round.raised["downgraded_from_a"] == 1)
            #expect(round.raised["plan_behind"] == 2)

            let rep = try await client.token(for: org.rep)
            let ritas = try await Self.alerts(client, rep)
            #expect(Set(ritas.items.map(\.rule)) == ["key_customer_silent", "downgraded_from_a", "plan_behind"])
            let silent = ritas.items.filter { $0.rule == "key_customer_silent" }
            #expect(Set(silent.map(\.subjectId)) == [sales.account, fallen])
            #expect(silent.first { $0.subjectId == sales.account }?.value == 70)
            let downgrade = try #require(ritas.items.first { $0.rule == "downgraded_from_a" })
            #expect(downgrade.subjectId == fallen && downgrade.episode == "2026-08-01/2026-10-31" && downgrade.title == "Fallen")
            #expect(ritas.items.first { $0.rule == "plan_behind" }.map { $0.episode == "revenue" && ($0.value ?? 1) < 0.7 } == true)
            // The concentration is the directors'; the team's plan the head's and the directors'.
            let directors = try await Self.alerts(client, director)
            #expect(Set(directors.items.map(\.rule)) == ["concentration", "plan_behind"])
            #expect(directors.items.first { $0.rule == "concentration" }.map { abs(($0.value ?? 0) - 2.0 / 3) < 1e-9 && $0.link == "/analytics/concentration" } == true)
            let heads = try await Self.alerts(client, try await client.token(for: org.head))
            #expect(heads.items.filter { $0.rule == "plan_behind" }.count == 2)

            // A new order ends the silence at once; the events and states stay as they are on the next round.
            try await sales.sell(500_000, by: org.rep, on: "2026-11-18")
            #expect(try await Self.alerts(client, rep, "?rule=key_customer_silent").items.map(\.subjectId) == [fallen])
            let again = try await Self.evaluate(client, org)
            #expect(again.raised.values.reduce(0, +) == 0)
            #expect(again.cleared["plan_behind"] == 2 && again.cleared["downgraded_from_a"] == 0)
            #expect(try await Self.alerts(client, rep, "?rule=downgraded_from_a").items.count == 1)
        }
    }
}

/// The schedule inside the server: with no one asking, a round runs within its interval and raises the alert.
@Suite struct AlertScheduleTests {
    @Test(arguments: TestDatabase.engines)
    func theServerEvaluatesOnItsOwn(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine, configure: { $0.alertsEverySeconds = 1 }) { client, org in
            let received = org.clock.now.epochMilliseconds, rita = org.rep.id.rawValue
            let lead = try await org.database.write { sql in
                try await sql.raw("""
                    INSERT INTO leads (source, received_at, received_on, status, owner_id, name)
                    VALUES ('web_form', \(bind: received), 20261118, 'new', \(bind: rita), 'Visitor') RETURNING id
                    """).first()!.decode(column: "id", as: Int64.self)
            }
            org.clock.advance(3_600)  // an hour unanswered
            let rep = try await client.token(for: org.rep)
            let raised = try await Poll.until({ try await AlertsAPITests.alerts(client, rep).items }) { !$0.isEmpty }
            #expect(raised.map(\.subjectId) == [lead] && raised.first?.rule == "lead_unanswered")
        }
    }
}

/// The bell and the alerts page: the count of new alerts on every page, the list in the user's words, seen on
/// opening, resolved with a button; another's alert cannot be resolved.
@Suite struct AlertPagesTests {
    @Test(arguments: TestDatabase.engines)
    func theBellCountsAndThePageResolves(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let now = org.clock.now.epochMilliseconds, rita = org.rep.id.rawValue
            let lead = try await org.database.write { sql in
                try await sql.raw("""
                    INSERT INTO leads (source, received_at, received_on, status, owner_id, name)
                    VALUES ('web_form', \(bind: now - 3_600_000), 20261118, 'new', \(bind: rita), 'Website visitor') RETURNING id
                    """).first()!.decode(column: "id", as: Int64.self)
            }
            _ = try await AlertsAPITests.evaluate(client, org)
            let rep = try await PlanPagesTests.Browser.signIn(client, org.rep)
            let myDay = try await rep.get("/")
            #expect(myDay.text.contains(#"class="bell unread""#) && myDay.text.contains(#"<span class="count""#))
            let page = try await rep.get("/alerts")
            #expect(page.status == .ok && page.text.contains("Lead not answered") && page.text.contains("/leads/\(lead)"))
            #expect(page.text.contains("Website visitor") && page.text.contains("waiting since"))
            // Opened is seen: the bell is quiet now, the alert still listed as open.
            #expect(!(try await rep.get("/")).text.contains(#"class="bell unread""#))
            let id = try await AlertsAPITests.alerts(client, try await client.token(for: org.rep)).items.first!.id
            // Another rep cannot resolve it; Rita can.
            let stranger = try await PlanPagesTests.Browser.signIn(client, org.stranger)
            #expect(try await stranger.post("/alerts/\(id)/resolve", []).status == .notFound)
            let resolved = try await rep.post("/alerts/\(id)/resolve", [])
            #expect(resolved.status == .seeOther || resolved.status == .found)
            #expect(try await rep.get("/alerts").text.contains("No alerts here."))
            #expect(try await rep.get("/alerts?show=resolved").text.contains("Website visitor"))
            // Her head had it too; resolved by Rita, it is resolved for him.
            let head = try await PlanPagesTests.Browser.signIn(client, org.head)
            #expect(try await head.get("/alerts?show=all").text.contains("Website visitor"))
        }
    }
}

/// The thresholds are company settings: an admin changes them (each bad one named), and the KPIs and the alert rules
/// follow. Both engines.
@Suite struct ThresholdSettingsTests {
    struct Settings: Decodable { let thresholds: [String: Double] }

    @Test(arguments: TestDatabase.engines)
    func kpisAndAlertsFollowTheSettings(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            try await KPIsAPITests.november(org, client)
            let admin = try await client.token(for: org.admin)
            let defaults = try await client.get("/api/v1/settings", token: admin).json(Settings.self)
            #expect(defaults.thresholds["effectiveTalkSeconds"] == 60 && defaults.thresholds["stalledDays"] == 14 && defaults.thresholds["topShare"] == 0.25)
            let bad = try await client.send(.patch, "/api/v1/settings", json: ["thresholds": ["effectiveTalkSeconds": 0, "speed": 3, "stalledDays": 2.5]],
                                            token: admin)
            #expect(bad.status == .unprocessableContent)
            for field in ["thresholds.effectiveTalkSeconds", "thresholds.speed", "thresholds.stalledDays"] { #expect(bad.text.contains(field), "\(field)") }

            // Rita's November had effective calls of 90 s and 120 s: at 100 s only one counts.
            func effective() async throws -> Double? {
                try await client.get("/api/v1/kpis?scope=user:\(org.rep.id)&from=2026-11-01&to=2026-11-30&keys=effective_conversations", token: admin)
                    .json(KPITargetsAPITests.KPIs.self)["effective_conversations"]?.value
            }
            #expect(try await effective() == 2)
            let changed = try await client.send(.patch, "/api/v1/settings", json: ["thresholds": ["effectiveTalkSeconds": 100, "stalledDays": 60]],
                                                token: admin)
            #expect(changed.status == .ok)
            #expect(try changed.json(Settings.self).thresholds["stalledDays"] == 60)
            #expect(try await effective() == 1)
            // The deal quiet since 1 October is not stalled at 60 days.
            let round = try await AlertsAPITests.evaluate(client, org)
            #expect(round.raised["deal_stalled"] == 0)

            // The settings page shows them and refuses text that is no number.
            let browser = try await PlanPagesTests.Browser.signIn(client, org.admin)
            #expect(try await browser.get("/admin/settings").text.contains(#"name="stalledDays""#))
            let form = try await browser.post("/admin/settings", [("name", "Acme"), ("baseCurrency", "EUR"), ("timeZone", "Europe/Stockholm"),
                                                                 ("defaultCountry", "SE"), ("stalledDays", "soon")])
            #expect(form.status == .unprocessableContent && form.text.contains("Expected a number."))
        }
    }
}
