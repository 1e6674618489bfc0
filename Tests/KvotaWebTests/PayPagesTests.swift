import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// The pay pages in a browser: the month's payouts with statements, approval of a closed month and the payroll CSV;
/// a rep's own month with what her open deal would add; the team board for the daily meeting; the scheme editor with
/// its preview on last month; each page refused to whoever the access policy keeps out; on both engines.
@Suite struct PayPagesTests {
    typealias Browser = PlanPagesTests.Browser

    /// The reps' scheme from January; Rita's approved October (10 000.00) and November (10 000.00) plans; 11 200.00 sold
    /// in October and 900.00 in November; an open deal of hers.
    static func setUp(_ client: any TestClientProtocol, _ org: WebFixture) async throws -> (deal: Int64, director: String) {
        let director = try await client.token(for: org.director)
        #expect(try await PayAPITests.post(client, "/api/v1/schemes", ["name": "Reps 2026", "appliesTo": "role:rep", "effectiveFrom": "2026-01-01",
                                                                      "rules": PayAPITests.repsRules], token: director).status == .created)
        for period in ["2026-10", "2026-11"] {
            let plan = try await client.post("/api/v1/plans", json: PlansAPITests.NewPlan(period: period, scope: "user:\(org.rep.id)",
                                                                                           targets: [.init(measure: "revenue", target: 1_000_000)]),
                                             token: director).json(PlansAPITests.PlanAnswer.self)
            #expect(try await client.post("/api/v1/plans/\(plan.id)/approve", json: [String: String](), token: director).status == .ok)
        }
        let sales = try await SalesDesk.open(client, org)
        try await sales.sell(1_000, by: org.rep, on: "2026-10-05")
        try await sales.sell(120, by: org.rep, on: "2026-10-20")
        try await sales.sell(90, by: org.rep, on: "2026-11-02")
        return (try await sales.records.deal(account: sales.account, owner: org.rep.id), director)
    }

    @Test(arguments: TestDatabase.engines)
    func payoutsAreReadApprovedAndExportedByWhoMay(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (_, token) = try await Self.setUp(client, org)
            let director = try await Browser.signIn(client, org.director)
            // October is the month just closed (the clock says 18 November): every rep's statement, to approve.
            let page = try await director.get("/pay")
            #expect(page.status == .ok && page.text.contains("Payouts · 2026-10"))
            #expect(page.text.contains("Rita · €30,672") && page.text.contains("Tove") && page.text.contains("revenue plan 112 %"), "\(page.text.components(separatedBy: "<summary>").dropFirst().map { $0.prefix(40) })")
            #expect(page.text.contains("Approve and lock 3 payouts") && page.text.contains("/pay/payroll.csv?period=2026-10"))
            let csv = try await director.get("/pay/payroll.csv?period=2026-10")
            #expect(csv.text.contains("\(org.rep.id),Rita,2026-10,draft,plan_bonus,672.00,EUR,"))

            // A head reads the team's pay but approves nothing; a rep reads her own.
            let head = try await Browser.signIn(client, org.head)
            let headPage = try await head.get("/pay?period=2026-10")
            #expect(headPage.text.contains("Rita · ") && headPage.text.contains("Tove · ") && !headPage.text.contains("Approve and lock"))
            #expect(try await head.post("/pay/approve", [("period", "2026-10")]).status == .forbidden)
            let rita = try await Browser.signIn(client, org.rep)
            let own = try await rita.get("/pay?period=2026-10")
            #expect(own.text.contains("Rita · ") && !own.text.contains("Tove"))
            #expect(try await Browser.signIn(client, org.desk).get("/pay").status == .forbidden)

            // The month in progress cannot be approved yet.
            #expect(try await director.get("/pay?period=2026-11").text.contains("Payouts are approved once the month is over."))

            let approved = try await director.post("/pay/approve", [("period", "2026-10")])
            #expect(approved.status == .seeOther && approved.headers[.location] == "/pay?period=2026-10")
            let after = try await client.get("/api/v1/payouts?period=2026-10", token: token).json(PayAPITests.Payouts.self)
            #expect(after.items.count == 3 && after.items.allSatisfy { $0.status == "approved" })
            #expect(!(try await director.get("/pay?period=2026-10").text.contains("Approve and lock")))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aRepSeesHerMonthAndWhatADealWouldAdd(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (deal, _) = try await Self.setUp(client, org)
            let rita = try await Browser.signIn(client, org.rep)
            let page = try await rita.get("/my-plan")
            #expect(page.status == .ok && page.text.contains("My plan and pay · 2026-11"))
            #expect(page.text.contains("Rita · approved") && page.text.contains("<svg") && page.text.contains("Run-rate"))
            #expect(page.text.contains("My pay to date:") && page.text.contains("revenue plan 9 %"))
            // Her open deal (1 000.00) takes her from 9 % to 19 %: still under the 80 % threshold, so it adds nothing but the
            // weekly bonus it cannot reach either; the line is there with its link.
            #expect(page.text.contains("/deals/\(deal)") && page.text.contains("If I win"))

            // The team board: the head sees Rita's month beside her plan; a rep has no board.
            let head = try await Browser.signIn(client, org.head)
            let board = try await head.get("/plans/board?date=2026-11-18")
            #expect(board.status == .ok && board.text.contains("New Business") && board.text.contains("Rita"))
            #expect(board.text.contains("€10,000") && board.text.contains("€900"))
            #expect(try await rita.get("/plans/board").status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aDirectorPreviewsAndSavesANewSchemeVersion(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let (_, token) = try await Self.setUp(client, org)
            struct Schemes: Decodable { struct Item: Decodable { let id: Int64; let name: String; let effectiveFrom: String }; let items: [Item] }
            let first = try #require(try await client.get("/api/v1/schemes", token: token).json(Schemes.self).items.first)
            let director = try await Browser.signIn(client, org.director)
            let list = try await director.get("/schemes")
            #expect(list.status == .ok && list.text.contains("Reps 2026") && list.text.contains("/schemes/new?from=\(first.id)"))
            let editor = try await director.get("/schemes/new?from=\(first.id)")
            #expect(editor.text.contains(#"name="name" type="text" value="Reps 2026""#) && editor.text.contains(#"value="2026-12-01""#))

            let fields: [(String, String)] = [("name", "Reps 2027"), ("appliesTo", "role:rep"), ("effectiveFrom", "2027-01-01"), ("fixedMonthly", "3000"),
                                              ("planMeasure", "revenue"), ("planSource", "own"), ("planBaseKind", "revenue_percent"), ("planBase", "10"),
                                              ("planThreshold", "80"), ("planTiers", "80\n100 1.2\n120 1.5")]
            // Last month again: Rita's plan bonus doubles (10 % instead of 5 % of 11 200.00 at ×1.2: 1 344.00 instead of 672.00); nothing is saved.
            let preview = try await director.post("/schemes/new", fields + [("action", "preview")])
            #expect(preview.status == .ok && preview.text.contains("2026-10 under this scheme"))
            #expect(preview.text.contains("×1.2 × 10 % × 11 200.00 = 1 344.00"))
            #expect(try await client.get("/api/v1/schemes", token: token).json(Schemes.self).items.count == 1)

            let bad = try await director.post("/schemes/new", fields.map { $0.0 == "planTiers" ? ($0.0, "lots") : $0 } + [("action", "save")])
            #expect(bad.status == .unprocessableContent && bad.text.contains(#"id="planTiers-error""#))
            let saved = try await director.post("/schemes/new", fields + [("action", "save"), ("clawback", "on")])
            #expect(saved.status == .seeOther && saved.headers[.location] == "/schemes")
            let schemes = try await client.get("/api/v1/schemes", token: token).json(Schemes.self).items
            #expect(schemes.map(\.name).sorted() == ["Reps 2026", "Reps 2027"] && schemes.contains { $0.effectiveFrom == "2027-01-01" })

            // A head reads the schemes but changes none; a rep does not see them.
            let head = try await Browser.signIn(client, org.head)
            let headList = try await head.get("/schemes")
            #expect(headList.status == .ok && !headList.text.contains("/schemes/new"))
            #expect(try await head.get("/schemes/new").status == .forbidden)
            #expect(try await head.post("/schemes/new", fields + [("action", "save")]).status == .forbidden)
            #expect(try await Browser.signIn(client, org.rep).get("/schemes").status == .forbidden)
        }
    }
}
