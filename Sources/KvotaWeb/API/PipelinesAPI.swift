import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/pipelines`: the funnels deals move through, each with its stages, the fields a deal needs to enter a
/// stage, the stage's script and checklist. Everyone reads; heads, directors and admins write.
struct PipelinesAPI {
    let database: Database
    let config: AppConfig

    struct StageDTO: Codable, Equatable {
        let id: Int64
        let position: Int
        let name: String
        let probability: Int
        let outcome: String
        let requiredFields: [String]
        let script: String?
        let checklist: [String]
        let forecastCategory: String
        let version: Int64

        init(_ s: Stage) {
            id = s.id.rawValue; position = s.position; name = s.name; probability = s.probability; outcome = s.outcome.rawValue
            requiredFields = s.requiredFields.map(\.rawValue).sorted(); script = s.script; checklist = s.checklist; version = s.version
            forecastCategory = s.forecastCategory.rawValue
        }
    }

    struct PipelineDTO: Codable, Equatable {
        let id: Int64
        let name: String
        let active: Bool
        let version: Int64
        let stages: [StageDTO]

        init(_ pipeline: Pipeline, _ stages: [Stage]) {
            id = pipeline.id.rawValue; name = pipeline.name; active = pipeline.active; version = pipeline.version
            self.stages = stages.map(StageDTO.init)
        }
    }

    /// A stage in a request: every field optional (PATCH), enums read with a clear error.
    struct StageBody: Decodable {
        var patch = StagePatch()
        var outcomeKey: String?
        var requiredKeys: [String]?
        var forecastKey: String?

        enum CodingKeys: String, CodingKey { case name, position, probability, outcome, requiredFields, script, checklist, forecastCategory }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            patch.name = try c.decodeIfPresent(String.self, forKey: .name)
            patch.position = try c.decodeIfPresent(Int.self, forKey: .position)
            patch.probability = try c.decodeIfPresent(Int.self, forKey: .probability)
            outcomeKey = try c.decodeIfPresent(String.self, forKey: .outcome)
            requiredKeys = try c.decodeIfPresent([String].self, forKey: .requiredFields)
            if c.contains(.script) { patch.script = .some(try c.decodeIfPresent(String.self, forKey: .script)) }
            patch.checklist = try c.decodeIfPresent([String].self, forKey: .checklist)
            forecastKey = try c.decodeIfPresent(String.self, forKey: .forecastCategory)
        }

        func read(field prefix: String = "", into errors: inout ValidationFailure.Collector) -> StagePatch {
            var patch = patch
            patch.outcome = decodeKey(outcomeKey, as: StageOutcome.self, field: prefix + "outcome", into: &errors)
            patch.forecastCategory = decodeKey(forecastKey, as: ForecastCategory.self, field: prefix + "forecastCategory", into: &errors)
            if let requiredKeys {
                patch.requiredFields = Set(requiredKeys.compactMap {
                    decodeKey($0, as: DealRequirement.self, field: prefix + "requiredFields", into: &errors)
                })
            }
            return patch
        }
    }

    struct NewPipeline: Decodable {
        let name: String?
        let stages: [StageBody]?
    }

    struct PipelineChange: Decodable {
        let name: String?
        let active: Bool?
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/pipelines") { _, context -> Response in
            try JSONBody.response(Page(items: try await database.pipelines(for: context.actor).map(PipelineDTO.init)))
        }
        api.get("/pipelines/:id") { request, context -> Response in
            let (pipeline, stages) = try await database.pipeline(Pipeline.ID(try request.id(.pipeline, context: context)), for: context.actor)
            return try answer(PipelineDTO(pipeline, stages))
        }
        api.post("/pipelines") { request, context -> Response in
            let body = try await JSONBody.decode(NewPipeline.self, from: request)
            var errors = ValidationFailure.Collector()
            let stages = (body.stages ?? []).enumerated().map { $0.element.read(field: "stages[\($0.offset)].", into: &errors) }
            let (pipeline, saved) = try await database.addPipeline(name: body.name, stages: stages, problems: errors, by: context.actor,
                                                                   at: config.now(), address: context.address)
            return try answer(PipelineDTO(pipeline, saved), status: .created)
        }
        api.patch("/pipelines/:id") { request, context -> Response in
            let id = Pipeline.ID(try request.id(.pipeline, context: context))
            let body = try await JSONBody.decode(PipelineChange.self, from: request)
            _ = try await database.updatePipeline(id, name: body.name, active: body.active, expectedVersion: try Versioning.expectedVersion(request),
                                                  by: context.actor, at: config.now(), address: context.address)
            let (pipeline, stages) = try await database.pipeline(id, for: context.actor)
            return try answer(PipelineDTO(pipeline, stages))
        }
        api.delete("/pipelines/:id") { request, context -> Response in
            try await database.deletePipeline(Pipeline.ID(try request.id(.pipeline, context: context)),
                                              expectedVersion: try Versioning.expectedVersion(request), by: context.actor, at: config.now(),
                                              address: context.address)
            return Response(status: .noContent)
        }
        api.post("/pipelines/:id/stages") { request, context -> Response in
            let id = Pipeline.ID(try request.id(.pipeline, context: context))
            var errors = ValidationFailure.Collector()
            let patch = try await JSONBody.decode(StageBody.self, from: request).read(into: &errors)
            let stage = try await database.addStage(to: id, patch, problems: errors, by: context.actor, at: config.now(),
                                                    address: context.address)
            return try stageAnswer(stage, status: .created)
        }
        api.patch("/pipelines/:id/stages/:stage") { request, context -> Response in
            let id = Pipeline.ID(try request.id(.pipeline, context: context))
            var errors = ValidationFailure.Collector()
            let patch = try await JSONBody.decode(StageBody.self, from: request).read(into: &errors)
            let stage = try await database.updateStage(try stageID(context, of: id), of: id, patch, problems: errors,
                                                       expectedVersion: try Versioning.expectedVersion(request), by: context.actor,
                                                       at: config.now(), address: context.address)
            return try stageAnswer(stage)
        }
        api.delete("/pipelines/:id/stages/:stage") { request, context -> Response in
            let id = Pipeline.ID(try request.id(.pipeline, context: context))
            try await database.deleteStage(try stageID(context, of: id), of: id, by: context.actor, at: config.now(), address: context.address)
            return Response(status: .noContent)
        }
    }

    private func stageID(_ context: SignedInContext, of pipeline: Pipeline.ID) throws -> Stage.ID {
        guard let text = context.parameters.get("stage"), let id = Int64(text), id > 0 else {
            throw AccessDenied.notFound(.pipeline, id: pipeline.rawValue)
        }
        return Stage.ID(id)
    }

    private func answer(_ pipeline: PipelineDTO, status: HTTPResponse.Status = .ok) throws -> Response {
        try Versioning.response(pipeline, version: pipeline.version, status: status)
    }

    private func stageAnswer(_ stage: Stage, status: HTTPResponse.Status = .ok) throws -> Response {
        try Versioning.response(StageDTO(stage), version: stage.version, status: status)
    }
}
