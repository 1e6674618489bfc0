import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `/api/v1/deals`: the stage decides the status, a lost deal needs a reason, every stage entered is kept.
@Suite struct DealsAPITests {
    struct DealBody: Decodable {
        let id: Int64
        let stageId: Int64
        let pipelineId: Int64
        let status: String
        let amountMinor: Int64
        let currency: String
        let expectedClose: String?
        let closedAt: Date?
        let lossReason: String?
        let ownerId: Int64
    }

    struct Stages: Decodable {
        struct Entry: Decodable { let stageId: Int64; let userId: Int64? }
        let items: [Entry]
    }

    struct NewDeal: Encodable {
        var title: String? = "Forklifts"
        var accountId: Int64?
        var contactId: Int64?
        var amountMinor: Int64? = 1_250_000
        var currency: String? = "sek"
        var expectedClose: String? = "2026-12-15"
    }

    @Test(arguments: TestDatabase.engines)
    func theStageDecidesTheStatusAndEveryStageEnteredIsKept(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let won = try await records.stage("Won", position: 8, outcome: "won", probability: 100)
            let lost = try await records.stage("Lost", position: 9, outcome: "lost", probability: 0)
            let account = try await records.account(owner: org.rep.id)
            let rep = try await client.token(for: org.rep)

            let created = try await client.post("/api/v1/deals", json: NewDeal(accountId: account), token: rep)
            #expect(created.status == .created)
            let deal = try created.json(DealBody.self)
            #expect(deal.stageId == records.firstStageID && deal.status == "open" && deal.ownerId == org.rep.id.rawValue)
            #expect(deal.currency == "SEK" && deal.amountMinor == 1_250_000 && deal.expectedClose == "2026-12-15")

            let noReason = try await client.send(.patch, "/api/v1/deals/\(deal.id)", json: ["stageId": lost], token: rep)
            #expect(try noReason.problem().errors?.map(\.field) == ["lossReason"])
            let lostDeal = try await client.send(.patch, "/api/v1/deals/\(deal.id)", json: LostChange(stageId: lost, lossReason: "price"),
                                                 token: rep).json(DealBody.self)
            #expect(lostDeal.status == "lost" && lostDeal.closedAt == org.clock.now && lostDeal.lossReason == "price")
            org.clock.advance(60)
            let wonDeal = try await client.send(.patch, "/api/v1/deals/\(deal.id)", json: ["stageId": won], token: rep).json(DealBody.self)
            #expect(wonDeal.status == "won" && wonDeal.lossReason == nil && wonDeal.closedAt == org.clock.now)

            let history = try await client.get("/api/v1/deals/\(deal.id)/stages", token: rep).json(Stages.self)
            #expect(history.items.map(\.stageId) == [records.firstStageID, lost, won])
            #expect(history.items.allSatisfy { $0.userId == org.rep.id.rawValue })
            #expect(try await client.get("/api/v1/deals/\(deal.id)/stages", token: try await client.token(for: org.stranger)).status == .notFound)
        }
    }

    struct StagePage: Decodable {
        struct Entry: Decodable, Equatable { let stageId: Int64; let enteredAt: Date }
        let items: [Entry]
        let nextCursor: String?
    }

    /// A deal moved many times answers its stage history a page at a time, oldest first; moves in the same
    /// millisecond are neither lost nor repeated at a page's edge.
    @Test(arguments: TestDatabase.engines)
    func aLongStageHistoryIsReadAPageAtATime(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in try await Self.pageThroughHistory(client, org) }
    }

    static func pageThroughHistory(_ client: any TestClientProtocol, _ org: WebFixture) async throws {
        let records = try await TestRecords.make(org.database)
        let proposal = try await records.stage("Proposal", position: 2, outcome: "open", probability: 40)
        let account = try await records.account(owner: org.rep.id)
        let rep = try await client.token(for: org.rep)
        let deal = try await client.post("/api/v1/deals", json: NewDeal(accountId: account), token: rep).json(DealBody.self)
        // Eleven moves; only every third moves the clock on, so most share their millisecond with the one before.
        for move in 1...11 {
            if move % 3 == 0 { org.clock.advance(1) }
            let stage = move % 2 == 1 ? proposal : records.firstStageID
            #expect(try await client.send(.patch, "/api/v1/deals/\(deal.id)", json: ["stageId": stage], token: rep).status == .ok)
        }
        let whole = try await client.get("/api/v1/deals/\(deal.id)/stages", token: rep).json(StagePage.self)
        #expect(whole.items.count == 12 && whole.nextCursor == nil, "the creation and eleven moves, in one page by default")

        var walked: [StagePage.Entry] = []
        var cursor: String?
        var pages = 0
        repeat {
            let query = "limit=5" + (cursor.map { "&cursor=\($0)" } ?? "")
            let page = try await client.get("/api/v1/deals/\(deal.id)/stages?\(query)", token: rep).json(StagePage.self)
            walked += page.items
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil && pages < 10
        #expect(pages == 3 && walked == whole.items)

        let badCursor = try await client.get("/api/v1/deals/\(deal.id)/stages?cursor=yesterday", token: rep)
        #expect(try badCursor.status == .unprocessableContent && badCursor.problem().errors?.map(\.field) == ["cursor"])
        let tooMany = try await client.get("/api/v1/deals/\(deal.id)/stages?limit=501", token: rep)
        #expect(try tooMany.status == .unprocessableContent && tooMany.problem().errors?.map(\.field) == ["limit"])
    }

    struct LostChange: Encodable {
        let stageId: Int64
        let lossReason: String
    }

    @Test(arguments: TestDatabase.engines)
    func everyProblemIsNamedAtOnce(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let mine = try await records.account(owner: org.rep.id)
            let otherAccount = try await records.account(owner: org.rep.id)
            let strangers = try await records.account(owner: org.stranger.id)
            let elsewhere = try await records.contact(account: otherAccount)
            let rep = try await client.token(for: org.rep)
            let bad = try await client.post("/api/v1/deals", json: NewDeal(title: " ", accountId: strangers, amountMinor: -5,
                                                                            currency: "kronor", expectedClose: "15.12.2026"), token: rep)
            #expect(Set(try bad.problem().errors?.map(\.field) ?? []) == ["title", "accountId", "amountMinor", "currency", "expectedClose"])
            let wrongContact = try await client.post("/api/v1/deals", json: NewDeal(accountId: mine, contactId: elsewhere), token: rep)
            #expect(try wrongContact.problem().errors?.map(\.field) == ["contactId"])
            let wrongStage = try await client.post("/api/v1/deals", json: ["title": "X", "accountId": "\(mine)"], token: rep)
            #expect(try wrongStage.problem().errors?.map(\.field) == ["accountId"], "an id given as text is a type error")
        }
    }
}

/// `sort=` on lists: every order a list offers pages through all rows exactly once in both directions, a missing
/// close date sorts last, a cursor belongs to its order, and an unknown key is named.
@Suite struct ListSortAPITests {
    struct Page: Decodable {
        struct Item: Decodable { let id: Int64; let title: String; let amountMinor: Int64; let expectedClose: String? }
        let items: [Item]
        let next: String?
    }

    struct NewDeal: Encodable {
        let title: String
        let accountId: Int64
        let amountMinor: Int64
        let currency = "SEK"
        let expectedClose: String?
    }

    @Test(arguments: TestDatabase.engines)
    func everyOrderPagesThroughEveryRowOnce(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            let rep = try await client.token(for: org.rep)
            let deals = [("delta", 300, "2026-12-01"), ("Alpha", 500, nil), ("charlie", 100, "2026-11-30"), ("bravo", 500, "2027-01-15"),
                         ("echo", 200, nil)]
            var ids: [String: Int64] = [:]
            for (title, amount, close) in deals {
                let created = try await client.post("/api/v1/deals", json: NewDeal(title: title, accountId: account, amountMinor: Int64(amount),
                                                                                   expectedClose: close), token: rep)
                ids[title] = try created.json(Page.Item.self).id
            }
            func walk(_ sort: String) async throws -> [String] {
                var titles: [String] = []
                var cursor: String?
                repeat {
                    let page = try await client.get("/api/v1/deals?limit=2&sort=\(sort)" + (cursor.map { "&cursor=\($0)" } ?? ""), token: rep)
                        .json(Page.self)
                    titles += page.items.map(\.title)
                    cursor = page.next
                } while cursor != nil
                return titles
            }
            #expect(try await walk("title") == ["Alpha", "bravo", "charlie", "delta", "echo"], "any case, A to Z")
            #expect(try await walk("-title") == ["echo", "delta", "charlie", "bravo", "Alpha"])
            // Equal amounts fall back to the id, so a page boundary between them loses nothing.
            #expect(try await walk("amount") == ["charlie", "echo", "delta", "Alpha", "bravo"])
            #expect(try await walk("-amount") == ["bravo", "Alpha", "delta", "echo", "charlie"])
            #expect(try await walk("close") == ["charlie", "delta", "bravo", "Alpha", "echo"], "no close date last")

            let first = try await client.get("/api/v1/deals?limit=2&sort=amount", token: rep).json(Page.self)
            let mixed = try await client.get("/api/v1/deals?limit=2&sort=title&cursor=\(try #require(first.next))", token: rep)
            #expect(mixed.status == .unprocessableContent)
            #expect(try mixed.problem().errors?.map(\.field) == ["cursor"])
            let unknown = try await client.get("/api/v1/deals?sort=colour", token: rep)
            #expect(unknown.status == .unprocessableContent)
            let problem = try unknown.problem().errors?.first
            #expect(problem?.field == "sort" && problem?.reason.contains("amount") == true, "the keys on offer are named")

            let csv = try await client.get("/api/v1/deals?format=csv&sort=-amount", token: rep).text
            let order = csv.components(separatedBy: "\r\n").dropFirst().compactMap { line in deals.map(\.0).first { line.contains(",\($0),") } }
            #expect(order == ["bravo", "Alpha", "delta", "echo", "charlie"], "the export keeps the order")
        }
    }
}
