import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// A deal's forecast category follows the stage it enters (each stage's default, set by the head or from its odds)
/// until its rep chooses one; from then on a stage move keeps the rep's choice.
@Suite struct ForecastCategoryTests {
    struct Stage: Decodable { let id: Int64; let name: String; let forecastCategory: String }
    struct Pipeline: Decodable {
        let id: Int64
        let stages: [Stage]
        func stage(_ name: String) -> Int64 { stages.first { $0.name == name }!.id }
    }
    struct Deal: Decodable { let id: Int64; let forecastCategory: String }
    struct NewStage: Encodable { let name: String; var probability: Int?; var outcome: String?; var forecastCategory: String? }
    struct NewPipeline: Encodable { let name: String; let stages: [NewStage] }
    struct NewDeal: Encodable { let title: String; let accountId: Int64; let pipelineId: Int64; var forecastCategory: String? }

    @Test(arguments: TestDatabase.engines)
    func aDealTakesItsStagesCategoryUntilItsRepChooses(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let head = try await client.token(for: org.head)
            let rep = try await client.token(for: org.rep)
            let pipeline = try await client.post("/api/v1/pipelines", json: NewPipeline(name: "Projects", stages: [
                NewStage(name: "Qualify", probability: 10), NewStage(name: "Proposal", probability: 50),
                NewStage(name: "Negotiation", probability: 80), NewStage(name: "Signing", probability: 90, forecastCategory: "best_case"),
                NewStage(name: "Won", outcome: "won"), NewStage(name: "Lost", outcome: "lost"),
            ]), token: head).json(Pipeline.self)
            // Without a choice, the stage's odds decide; the head's choice stands.
            #expect(pipeline.stages.map(\.forecastCategory) == ["pipeline", "best_case", "commit", "best_case", "commit", "omitted"])
            let bad = try await client.post("/api/v1/pipelines/\(pipeline.id)/stages", json: NewStage(name: "X", probability: 20, forecastCategory: "maybe"),
                                            token: head)
            #expect(try bad.problem().errors?.map(\.field) == ["forecastCategory"])

            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            let deal = try await client.post("/api/v1/deals", json: NewDeal(title: "Hall", accountId: account, pipelineId: pipeline.id), token: rep)
                .json(Deal.self)
            #expect(deal.forecastCategory == "pipeline")
            func move(_ stage: String) async throws -> String {
                try await client.send(.patch, "/api/v1/deals/\(deal.id)", json: ["stageId": pipeline.stage(stage)], token: rep)
                    .json(Deal.self).forecastCategory
            }
            #expect(try await move("Negotiation") == "commit")
            #expect(try await move("Proposal") == "best_case", "back a step, back to the stage's category")
            let chosen = try await client.send(.patch, "/api/v1/deals/\(deal.id)", json: ["forecastCategory": "omitted"], token: rep).json(Deal.self)
            #expect(chosen.forecastCategory == "omitted")
            #expect(try await move("Signing") == "omitted", "the rep's choice outlives a stage move")

            // A deal made with a category keeps it from the start.
            let own = try await client.post("/api/v1/deals", json: NewDeal(title: "Roof", accountId: account, pipelineId: pipeline.id,
                                                                           forecastCategory: "commit"), token: rep).json(Deal.self)
            #expect(own.forecastCategory == "commit")
            let moved = try await client.send(.patch, "/api/v1/deals/\(own.id)", json: ["stageId": pipeline.stage("Proposal")], token: rep)
            #expect(try moved.json(Deal.self).forecastCategory == "commit")

            // Raising a stage's odds moves its category along while nobody chose one.
            let raised = try await client.send(.patch, "/api/v1/pipelines/\(pipeline.id)/stages/\(pipeline.stage("Qualify"))",
                                               json: ["probability": 75], token: head).json(Stage.self)
            #expect(raised.forecastCategory == "commit")
        }
    }
}
