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
