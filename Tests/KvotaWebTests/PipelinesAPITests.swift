import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `/api/v1/pipelines`: a head writes the funnel and its regulations, deals obey them, and a win hands the desk a
/// draft order.
@Suite struct PipelinesAPITests {
    struct StageBody: Decodable {
        let id: Int64
        let position: Int
        let name: String
        let probability: Int
        let outcome: String
        let requiredFields: [String]
        let script: String?
        let checklist: [String]
    }

    struct PipelineBody: Decodable {
        let id: Int64
        let name: String
        let active: Bool
        let stages: [StageBody]

        func stage(_ name: String) -> Int64 { stages.first { $0.name == name }!.id }
    }

    struct Pipelines: Decodable { let items: [PipelineBody] }

    struct NewStage: Encodable {
        var name: String?
        var outcome: String?
        var probability: Int?
        var requiredFields: [String]?
        var script: String?
        var checklist: [String]?
        var position: Int?
    }

    struct NewPipeline: Encodable {
        let name: String
        let stages: [NewStage]
    }

    static let newBusiness = NewPipeline(name: "New business", stages: [
        NewStage(name: "Qualify", probability: 10, checklist: ["Budget", "Decision maker", " "]),
        NewStage(name: "Proposal", probability: 40, requiredFields: ["amount", "expectedClose"], script: "Open with the customer's goal."),
        NewStage(name: "Won", outcome: "won"),
        NewStage(name: "Lost", outcome: "lost"),
    ])

    @Test(arguments: TestDatabase.engines)
    func aHeadWritesTheFunnelAndEveryoneReadsIt(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let head = try await client.token(for: org.head)
            let rep = try await client.token(for: org.rep)
            let made = try await client.post("/api/v1/pipelines", json: Self.newBusiness, token: head)
            #expect(made.status == .created && made.headers[.eTag] == "\"1\"")
            let pipeline = try made.json(PipelineBody.self)
            #expect(pipeline.stages.map(\.name) == ["Qualify", "Proposal", "Won", "Lost"])
            #expect(pipeline.stages.map(\.position) == [1, 2, 3, 4] && pipeline.stages.map(\.probability) == [10, 40, 100, 0])
            #expect(pipeline.stages[0].checklist == ["Budget", "Decision maker"], "blank checklist items are dropped")
            #expect(pipeline.stages[1].requiredFields == ["amount", "expectedClose"])

            #expect(try await client.post("/api/v1/pipelines", json: Self.newBusiness, token: rep).status == .forbidden)
            let bad = try await client.post("/api/v1/pipelines", json: NewPipeline(name: " ", stages: [
                NewStage(name: "Talk", outcome: "maybe", requiredFields: ["budget"]), NewStage(name: "Won", outcome: "won", probability: 80),
            ]), token: head)
            #expect(Set(try bad.problem().errors?.map(\.field) ?? [])
                    == ["name", "stages", "stages[0].outcome", "stages[0].requiredFields", "stages[1].probability"], "no lost stage either")

            // A stage added without a position goes before the closing stages; a moved one renumbers the rest.
            let negotiation = try await client.post("/api/v1/pipelines/\(pipeline.id)/stages", json: NewStage(name: "Negotiation",
                                                                                                               probability: 70), token: head)
            #expect(try negotiation.json(StageBody.self).position == 3)
            let moved = try await client.send(.patch, "/api/v1/pipelines/\(pipeline.id)/stages/\(pipeline.stage("Qualify"))",
                                              json: ["position": 2], token: head)
            #expect(try moved.json(StageBody.self).position == 2 && moved.headers[.eTag] == "\"2\"")
            let read = try await client.get("/api/v1/pipelines/\(pipeline.id)", token: rep).json(PipelineBody.self)
            #expect(read.stages.map(\.name) == ["Proposal", "Qualify", "Negotiation", "Won", "Lost"])
            #expect(read.stages.map(\.position) == [1, 2, 3, 4, 5])

            let lastWon = try await client.delete("/api/v1/pipelines/\(pipeline.id)/stages/\(pipeline.stage("Won"))", token: head)
            #expect(try lastWon.problem().errors?.map(\.field) == ["id"], "a funnel needs a won stage")
            #expect(try await client.delete("/api/v1/pipelines/\(pipeline.id)/stages/\(pipeline.stage("Qualify"))", token: head).status
                    == .noContent)
            #expect(try await client.send(.patch, "/api/v1/pipelines/\(pipeline.id)/stages/9999", json: ["name": "X"], token: head).status
                    == .notFound)
            let list = try await client.get("/api/v1/pipelines", token: rep).json(Pipelines.self)
            #expect(list.items.first?.stages.map(\.position) == [1, 2, 3, 4])
            let trail = try await org.database.auditTrail(entity: "stage", id: pipeline.stage("Qualify"))
            #expect(trail.map(\.action) == ["update", "delete"])
        }
    }

    struct DealBody: Decodable { let id: Int64; let status: String; let stageId: Int64 }

    struct OrderBody: Decodable {
        let id: Int64
        let number: String
        let status: String
        let dealId: Int64?
        let ownerId: Int64?
        let totalMinor: Int64
    }

    struct Orders: Decodable { let items: [OrderBody] }

    @Test(arguments: TestDatabase.engines)
    func aDealMissingWhatAStageRequiresStaysOutAndAWinHandsTheDeskADraftOrder(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let head = try await client.token(for: org.head)
            let rep = try await client.token(for: org.rep)
            let desk = try await client.token(for: org.desk)
            let pipeline = try await client.post("/api/v1/pipelines", json: Self.newBusiness, token: head).json(PipelineBody.self)
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            let deal = try await client.post("/api/v1/deals", json: NewDeal(title: "Forklifts", accountId: account,
                                                                                         pipelineId: pipeline.id), token: rep).json(DealBody.self)
            #expect(deal.stageId == pipeline.stage("Qualify"))

            let proposal = try await client.send(.patch, "/api/v1/deals/\(deal.id)", json: ["stageId": pipeline.stage("Proposal")], token: rep)
            #expect(proposal.status == .unprocessableContent)
            #expect(Set(try proposal.problem().errors?.map(\.field) ?? []) == ["amountMinor", "expectedClose"])
            let straightToWon = try await client.send(.patch, "/api/v1/deals/\(deal.id)", json: ["stageId": pipeline.stage("Won")], token: rep)
            #expect(Set(try straightToWon.problem().errors?.map(\.field) ?? []) == ["amountMinor", "expectedClose"],
                    "the won stage inherits what earlier stages require")
            #expect(try await client.get("/api/v1/orders", token: desk).json(Orders.self).items.isEmpty, "nothing half-written")
            let bolt = try await records.product(sku: "BOLT", priceMinor: 250, costMinor: 100)
            struct Line: Encodable { let productId: Int64; let quantityMilli: Int64; let unitPriceMinor: Int64; let discountMinor: Int64 }
            let lines = try await client.send(.put, "/api/v1/deals/\(deal.id)/lines",
                                              json: ["lines": [Line(productId: bolt, quantityMilli: 3_000, unitPriceMinor: 200, discountMinor: 50)]],
                                              token: rep)
            #expect(lines.status == .ok)

            let won = try await client.send(.patch, "/api/v1/deals/\(deal.id)", json: WinChange(stageId: pipeline.stage("Won")), token: rep)
            #expect(try won.json(DealBody.self).status == "won")
            let drafts = try await client.get("/api/v1/orders?status=draft", token: desk).json(Orders.self).items
            #expect(drafts.count == 1 && drafts[0].dealId == deal.id && drafts[0].ownerId == org.rep.id.rawValue)
            #expect(drafts[0].number == "SO-\(drafts[0].id)" && drafts[0].totalMinor == 3 * 200 - 50, "the deal's lines as sold")
            #expect(try await client.get("/api/v1/orders/\(drafts[0].id)", token: rep).status == .ok, "the rep sees the order of their deal")
            let trail = try await org.database.auditTrail(entity: "order", id: drafts[0].id)
            #expect(trail.first?.changes.contains { $0.field == "from" && $0.new == "won deal \(deal.id)" } == true)

            // Reopened and won again: still one order.
            _ = try await client.send(.patch, "/api/v1/deals/\(deal.id)", json: ["stageId": pipeline.stage("Proposal")], token: rep)
            _ = try await client.send(.patch, "/api/v1/deals/\(deal.id)", json: ["stageId": pipeline.stage("Won")], token: rep)
            #expect(try await client.get("/api/v1/orders", token: desk).json(Orders.self).items.count == 1)
            let years = (try LocalDate(year: 2020, month: 1, day: 1), try LocalDate(year: 2030, month: 12, day: 31))
            let draftRevenue = try await org.database.revenueByMonth(from: years.0, through: years.1).map(\.revenueMinor).reduce(0, +)
            #expect(draftRevenue == 0, "a draft is not a sale yet")
            let confirmed = try await client.send(.patch, "/api/v1/orders/\(drafts[0].id)", json: ["status": "confirmed"], token: desk)
            #expect(try confirmed.json(OrderBody.self).status == "confirmed")
            let revenue = try await org.database.revenueByMonth(from: years.0, through: years.1).map(\.revenueMinor).reduce(0, +)
            #expect(revenue == 550, "once the desk confirms it, it is")
        }
    }

    struct NewDeal: Encodable {
        let title: String
        let accountId: Int64
        var currency = "EUR"
        var pipelineId: Int64?
    }

    struct LostChange: Encodable {
        let stageId: Int64
        let lossReason: String
    }

    struct WinChange: Encodable {
        let stageId: Int64
        var expectedClose = "2026-12-20"
    }

    @Test(arguments: TestDatabase.engines)
    func aRetiredPipelineKeepsItsDealsButTakesNoNewOnes(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let director = try await client.token(for: org.director)
            let rep = try await client.token(for: org.rep)
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            let pipeline = try await client.post("/api/v1/pipelines", json: Self.newBusiness, token: director).json(PipelineBody.self)
            let deal = try await client.post("/api/v1/deals", json: NewDeal(title: "Cranes", accountId: account,
                                                                                         pipelineId: pipeline.id), token: rep).json(DealBody.self)

            let refused = try await client.delete("/api/v1/pipelines/\(pipeline.id)", token: director)
            #expect(try refused.problem().errors?.map(\.reason) == ["the pipeline keeps its history: deals (1); it cannot be deleted",
                                                                    "the pipeline keeps its history: stage changes (1); it cannot be deleted",
                                                                    "set it to false to retire the pipeline instead"])
            let stale = try await client.send(.patch, "/api/v1/pipelines/\(pipeline.id)", json: ["active": false], token: director,
                                              headers: [.ifMatch: "\"7\""])
            #expect(stale.status == .preconditionFailed)
            let retired = try await client.send(.patch, "/api/v1/pipelines/\(pipeline.id)", json: ["active": false], token: director,
                                                headers: [.ifMatch: "\"1\""])
            #expect(try retired.json(PipelineBody.self).active == false && retired.headers[.eTag] == "\"2\"")

            let moved = try await client.send(.patch, "/api/v1/deals/\(deal.id)", json: LostChange(stageId: pipeline.stage("Lost"),
                                                                                                     lossReason: "price"), token: rep)
            #expect(moved.status == .ok, "deals already in a retired pipeline still move")
            let newDeal = try await client.post("/api/v1/deals", json: NewDeal(title: "Hoists", accountId: account,
                                                                                            pipelineId: pipeline.id), token: rep)
            #expect(try newDeal.problem().errors?.map(\.field) == ["pipelineId"])
            let defaulted = try await client.post("/api/v1/deals", json: NewDeal(title: "Hoists", accountId: account),
                                                  token: rep).json(DealBody.self)
            #expect(defaulted.stageId == records.firstStageID, "a new deal goes to the first active pipeline")

            let empty = try await client.post("/api/v1/pipelines", json: NewPipeline(name: "Spare", stages: Self.newBusiness.stages),
                                              token: director).json(PipelineBody.self)
            #expect(try await client.delete("/api/v1/pipelines/\(empty.id)", token: director).status == .noContent)
            #expect(try await client.get("/api/v1/pipelines/\(empty.id)", token: director).status == .notFound)
        }
    }
}
