import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import SQLKit
@testable import KvotaWeb
import Testing

/// Lead and deal scores end to end on both engines: the rules below 200 closed records, a learned score above, its
/// evaluation beside the baseline, the scores and reasons on the records, lists and the board ordered by score, and
/// who may see and train them.
@Suite struct ScoringAPITests {
    struct Scorers: Decodable {
        struct Item: Decodable {
            struct Evaluation: Decodable {
                let trainingRecords: Int; let heldOutRecords: Int; let auc: Double?; let baselineAuc: Double?
            }
            let subject: String; let method: String; let closedRecords: Int; let evaluation: Evaluation?
        }
        let items: [Item]
        subscript(_ subject: String) -> Item? { items.first { $0.subject == subject } }
    }

    struct Scored: Decodable {
        struct Score: Decodable {
            struct Reason: Decodable { let field: String; let value: String; let name: String?; let effect: Double }
            let value: Int; let method: String; let reasons: [Reason]
        }
        let id: Int64
        let score: Score?
    }

    struct Page: Decodable { let items: [Scored] }

    static let day: Int64 = 86_400_000

    /// `count` closed leads from `start` on, one a day before now: referrals qualify four times in five, cold
    /// outreach once in five; every one answered within half an hour, with a phone and an email.
    static func closedLeads(_ database: Database, now: Date, start: Int, count: Int) async throws {
        let rows: [SQLQueryString] = (start..<(start + count)).map { i in
            let referral = i % 2 == 0
            let qualified = referral ? i % 10 != 0 : i % 10 == 1
            let received = now.epochMilliseconds - Int64(500 - i) * day
            return """
                (\(bind: referral ? "referral" : "cold_outreach"), \(bind: received), 20260101, \(bind: received + 1_800_000),
                 \(bind: qualified ? "qualified" : "disqualified"), 'Lead', '+46701234567', 'lead@example.com')
                """
        }
        try await database.write { sql in
            try await sql.raw("""
                INSERT INTO leads (source, received_at, received_on, first_response_at, status, name, phone, email)
                VALUES \(rows.joined(separator: ", "))
                """).run()
        }
    }

    static func openLead(_ database: Database, source: String, now: Date) async throws -> Int64 {
        try await database.write { sql in
            try await sql.raw("""
                INSERT INTO leads (source, received_at, received_on, first_response_at, status, name, phone, email, company_name)
                VALUES (\(bind: source), \(bind: now.epochMilliseconds - 7_200_000), 20260101, \(bind: now.epochMilliseconds - 6_000_000),
                        'new', 'Open lead', '+46701234567', 'lead@example.com', 'Buyer AB')
                RETURNING id
                """).first()!.decode(column: "id", as: Int64.self)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func leadsAreScoredByRulesUntil200ClosedThenByWhatTheyTaught(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let now = org.clock.now
            let admin = try await client.token(for: org.admin)
            try await Self.closedLeads(org.database, now: now, start: 0, count: 150)
            let referral = try await Self.openLead(org.database, source: "referral", now: now)
            let cold = try await Self.openLead(org.database, source: "cold_outreach", now: now)

            // 150 closed leads: the rules. A referral (+15) answered within the hour (+20), phone and email (+10), a company (+5).
            let rules = try await client.post("/api/v1/scoring/train", json: [String: String](), token: admin)
            #expect(rules.status == .ok)
            let ruled = try rules.json(Scorers.self)
            #expect(ruled["lead"]?.method == "rules" && ruled["lead"]?.closedRecords == 150 && ruled["lead"]?.evaluation == nil)
            let byRules = try await client.get("/api/v1/leads/\(referral)", token: admin).json(Scored.self)
            #expect(byRules.score?.value == 80 && byRules.score?.method == "rules")
            #expect(byRules.score?.reasons.map(\.field) == ["response", "source", "contact"])

            // 400: a learned score, tested on the latest 80 against the baseline.
            try await Self.closedLeads(org.database, now: now, start: 150, count: 250)
            let learned = try await client.post("/api/v1/scoring/train", json: [String: String](), token: admin).json(Scorers.self)
            let lead = try #require(learned["lead"])
            #expect(lead.method == "model" && lead.closedRecords == 400)
            let evaluation = try #require(lead.evaluation)
            #expect(evaluation.heldOutRecords == 80 && evaluation.trainingRecords == 320)
            let auc = try #require(evaluation.auc), baseline = try #require(evaluation.baselineAuc)
            #expect(auc > 0.7 && baseline > 0.7, "\(auc) \(baseline)")

            let good = try #require(try await client.get("/api/v1/leads/\(referral)", token: admin).json(Scored.self).score)
            let poor = try #require(try await client.get("/api/v1/leads/\(cold)", token: admin).json(Scored.self).score)
            #expect(good.method == "model" && good.value > 65 && poor.value < 35, "\(good.value) \(poor.value)")
            #expect(good.reasons.first?.field == "source" && good.reasons.first!.effect > 0)
            #expect(poor.reasons.first?.field == "source" && poor.reasons.first!.effect < 0)

            // The inbox as a list, best first; and the leads inbox page in the same order.
            let list = try await client.get("/api/v1/leads?status=new&sort=-score", token: admin).json(Page.self)
            #expect(list.items.map(\.id) == [referral, cold])
            let browser = try await PlanPagesTests.Browser.signIn(client, org.admin)
            let inbox = try await browser.get("/leads?status=new&order=score").text
            let first = try #require(inbox.range(of: "/leads/\(referral)\"")), second = try #require(inbox.range(of: "/leads/\(cold)\""))
            #expect(first.lowerBound < second.lowerBound)
            #expect(inbox.contains(#"class="score high""#))
            // A lead's actions come back to the inbox in the same order.
            #expect(inbox.contains(#"name="return" value="/leads?status=new&amp;order=score""#))
            let page = try await browser.get("/leads/\(referral)").text
            #expect(page.contains(#"<div class="score-fact">"#) && page.contains("↑ Source: Referral"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func dealsAreScoredPerStageFromTheirHistory(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let now = org.clock.now.epochMilliseconds
            let records = try await TestRecords.make(org.database)
            let offer = records.firstStageID
            let proposal = try await records.stage("Proposal", position: 2, outcome: "open", probability: 60)
            let won = try await records.stage("Won", position: 3, outcome: "won", probability: 100)
            let lost = try await records.stage("Lost", position: 4, outcome: "lost", probability: 0)
            let north = try await records.account(owner: org.rep.id, name: "North AB")
            let south = try await records.account(owner: org.rep.id, name: "South AB")
            let pipeline = try await org.database.read { sql in
                try await sql.raw("SELECT pipeline_id FROM stages WHERE id = \(bind: offer)").first()!.decode(column: "pipeline_id", as: Int64.self)
            }
            // Regions: North wins four in five, South one in five.
            try await org.database.write { sql in
                for (code, account) in [("north", north), ("south", south)] {
                    let region = try await sql.raw("INSERT INTO regions (code, name) VALUES (\(bind: code), \(bind: code.capitalized)) RETURNING id")
                        .first()!.decode(column: "id", as: Int64.self)
                    try await sql.raw("UPDATE accounts SET region_id = \(bind: region) WHERE id = \(bind: account)").run()
                }
                for i in 0..<260 {
                    let id = Int64(10_000 + i), isNorth = i % 2 == 0
                    let isWon = isNorth ? i % 10 != 0 : i % 10 == 1
                    let created = now - Int64(400 - i) * Self.day, closed = created + 10 * Self.day
                    try await sql.raw("""
                        INSERT INTO deals (id, title, account_id, pipeline_id, stage_id, amount_minor, currency, forecast_category, owner_id,
                                           status, created_at, closed_at, closed_on, updated_at)
                        VALUES (\(bind: id), 'Closed', \(bind: isNorth ? north : south), \(bind: pipeline), \(bind: isWon ? won : lost), 100000,
                                'EUR', 'pipeline', \(bind: org.rep.id.rawValue), \(bind: isWon ? "won" : "lost"), \(bind: created), \(bind: closed),
                                20260101, \(bind: closed))
                        """).run()
                    try await sql.raw("""
                        INSERT INTO deal_stage_history (deal_id, stage_id, entered_at) VALUES (\(bind: id), \(bind: offer), \(bind: created)),
                            (\(bind: id), \(bind: proposal), \(bind: created + 5 * Self.day)), (\(bind: id), \(bind: isWon ? won : lost), \(bind: closed))
                        """).run()
                }
            }
            var open: [Int64] = []
            for account in [north, south] {
                let deal = try await records.deal(account: account, owner: org.rep.id)
                try await org.database.write { sql in
                    try await sql.raw("UPDATE deals SET stage_id = \(bind: proposal) WHERE id = \(bind: deal)").run()
                    try await sql.raw("""
                        INSERT INTO deal_stage_history (deal_id, stage_id, entered_at) VALUES (\(bind: deal), \(bind: proposal), \(bind: now - 2 * Self.day))
                        """).run()
                }
                open.append(deal)
            }

            let admin = try await client.token(for: org.admin)
            let trained = try await client.post("/api/v1/scoring/train", json: [String: String](), token: admin).json(Scorers.self)
            let deal = try #require(trained["deal"])
            #expect(deal.method == "model" && deal.closedRecords == 260 && deal.evaluation?.heldOutRecords == 52)
            #expect((deal.evaluation?.auc ?? 0) > 0.7)

            let director = try await client.token(for: org.director)
            let best = try #require(try await client.get("/api/v1/deals/\(open[0])", token: director).json(Scored.self).score)
            let worst = try #require(try await client.get("/api/v1/deals/\(open[1])", token: director).json(Scored.self).score)
            #expect(best.value > worst.value + 30, "\(best.value) \(worst.value)")
            #expect(best.reasons.first?.field == "region" && best.reasons.first?.name == "North")
            // A closed deal is not scored.
            #expect(try await client.get("/api/v1/deals/10000", token: director).json(Scored.self).score == nil)
            let list = try await client.get("/api/v1/deals?status=open&sort=-score", token: director).json(Page.self)
            #expect(list.items.map(\.id) == open)
            let ascending = try await client.get("/api/v1/deals?status=open&sort=score", token: director).json(Page.self)
            #expect(ascending.items.map(\.id) == open.reversed())

            // The board: the Proposal column best first when asked, its cards with their score.
            let browser = try await PlanPagesTests.Browser.signIn(client, org.director)
            let board = try await browser.get("/board?order=score").text
            let first = try #require(board.range(of: "href=\"/deals/\(open[0])\"")), second = try #require(board.range(of: "href=\"/deals/\(open[1])\""))
            #expect(first.lowerBound < second.lowerBound)
            #expect(board.contains(#"<option value="score" selected"#) && board.contains(#"class="score high""#))
            let page = try await browser.get("/deals/\(open[0])").text
            #expect(page.contains("↑ Region: North"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func onlyAdminsSeeAndTrainTheScores(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            for user in [org.director, org.analyst, org.head, org.rep, org.desk] {
                let token = try await client.token(for: user)
                #expect(try await client.get("/api/v1/scoring", token: token).status == .forbidden, "\(user.role)")
                #expect(try await client.post("/api/v1/scoring/train", json: [String: String](), token: token).status == .forbidden)
                let browser = try await PlanPagesTests.Browser.signIn(client, user)
                #expect(try await browser.get("/admin/scoring").status == .forbidden)
                #expect(try await browser.post("/admin/scoring/train", []).status == .forbidden)
            }
            // Before any training: the rules, nothing trained; the admin page says so.
            let admin = try await client.token(for: org.admin)
            let scorers = try await client.get("/api/v1/scoring", token: admin).json(Scorers.self)
            #expect(scorers.items.map(\.subject) == ["lead", "deal"] && scorers.items.allSatisfy { $0.method == "rules" && $0.closedRecords == 0 })
            let browser = try await PlanPagesTests.Browser.signIn(client, org.admin)
            #expect(try await browser.get("/admin/scoring").text.contains("Not trained yet"))
            let trained = try await browser.post("/admin/scoring/train", [])
            #expect(trained.status == .seeOther && trained.headers[.location] == "/admin/scoring")
            #expect(try await browser.get("/admin/scoring").text.contains("Rules: 0 closed records"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theServerTrainsAndRescoresOnItsSchedule(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine, configure: { $0.scoreEverySeconds = 1; $0.trainEverySeconds = 3_600 }) { client, org in
            let lead = try await Self.openLead(org.database, source: "referral", now: org.clock.now)
            let admin = try await client.token(for: org.admin)
            let scored = try await Poll.until({ try await client.get("/api/v1/leads/\(lead)", token: admin).json(Scored.self).score }) { $0 != nil }
            #expect(scored?.method == "rules" && scored?.value == 80, "the first round trains (the rules) and scores")
            // Trained a moment ago: not due; a day later: due; never when training on the server is off.
            #expect(try await ScoreSchedule.trainingDue(org.database, at: org.clock.now, trainEvery: 3_600) == false)
            #expect(try await ScoreSchedule.trainingDue(org.database, at: org.clock.now.addingTimeInterval(3_601), trainEvery: 3_600))
            #expect(try await ScoreSchedule.trainingDue(org.database, at: org.clock.now.addingTimeInterval(86_400), trainEvery: 0) == false)
        }
    }

    @Test func theSchedulesAreReadFromTheEnvironment() throws {
        let standard = try AppConfig.fromEnvironment([:])
        #expect(standard.scoreEverySeconds == 900 && standard.trainEverySeconds == 86_400)
        #expect(AppConfig().scoreEverySeconds == 0, "off in an app built for a test")
        let set = try AppConfig.fromEnvironment(["KVOTA_SCORE_EVERY": "60", "KVOTA_TRAIN_EVERY": "0"])
        #expect(set.scoreEverySeconds == 60 && set.trainEverySeconds == 0)
        #expect(throws: StoreError.self) { try AppConfig.fromEnvironment(["KVOTA_SCORE_EVERY": "often"]) }
        #expect(throws: StoreError.self) { try AppConfig.fromEnvironment(["KVOTA_TRAIN_EVERY": "2592001"]) }
    }
}
