import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/training` and the onboarding checklist (issue 8, training records): each rep's courses, webinars and
/// mentoring sessions with dates and results; the checklist's steps and a person's ticks.
struct TrainingAPI {
    let database: Database
    let config: AppConfig

    struct RecordDTO: Encodable {
        let id: Int64
        let userId: Int64
        let kind: String
        let title: String
        let startsOn: String
        let endsOn: String?
        let mentorId: Int64?
        let result: String
        let score: Int?
        let notes: String
        let version: Int64

        init(_ record: TrainingRecord) {
            id = record.id.rawValue; userId = record.userID.rawValue; kind = record.kind.rawValue; title = record.title
            startsOn = record.startsOn.iso; endsOn = record.endsOn?.iso; mentorId = record.mentorID?.rawValue; result = record.result.rawValue
            score = record.score; notes = record.notes; version = record.version
        }
    }

    struct Body: Decodable {
        let userId: Int64?
        let kind: String?
        let title: String?
        let startsOn: String?
        let endsOn: String?
        let mentorId: Int64?
        let result: String?
        let score: Int?
        let notes: String?
    }

    struct StepDTO: Encodable { let id: Int64; let text: String; let position: Int; let active: Bool }
    struct OnboardingDTO: Encodable {
        struct Item: Encodable { let stepId: Int64; let text: String; let doneAt: Date?; let doneBy: Int64? }
        let userId: Int64
        let done: Int
        let total: Int
        let items: [Item]

        init(_ onboarding: Onboarding) {
            userId = onboarding.userID.rawValue; done = onboarding.done; total = onboarding.items.count
            items = onboarding.items.map { Item(stepId: $0.step.id.rawValue, text: $0.step.text, doneAt: $0.doneAt, doneBy: $0.doneBy?.rawValue) }
        }
    }

    struct Records: Encodable { let items: [RecordDTO] }
    struct Steps: Encodable { let items: [StepDTO] }

    /// A body's fields as a patch, each bad one named.
    static func patch(_ body: Body, into errors: inout ValidationFailure.Collector) -> TrainingPatch {
        var patch = TrainingPatch()
        patch.kind = decodeKey(body.kind, as: TrainingRecord.Kind.self, field: "kind", into: &errors)
        patch.result = decodeKey(body.result, as: TrainingRecord.Result.self, field: "result", into: &errors)
        patch.title = body.title
        patch.notes = body.notes
        if let score = body.score { patch.score = .some(score) }
        if let mentor = body.mentorId { patch.mentorID = .some(User.ID(mentor)) }
        for (field, text) in [("startsOn", body.startsOn), ("endsOn", body.endsOn)] {
            guard let text else { continue }
            guard let day = try? LocalDate(iso: text, field: field) else {
                errors.check(false, field, "expected a date like 2026-11-01, got '\(text)'")
                continue
            }
            if field == "startsOn" { patch.startsOn = day } else { patch.endsOn = .some(day) }
        }
        return patch
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/training") { request, context -> Response in
            var errors = ValidationFailure.Collector()
            let parameters = request.uri.queryParameters
            let user = ListParameters.id(parameters, "user", into: &errors).map { User.ID($0) }
            let from = ListParameters.date(parameters, "from", into: &errors), through = ListParameters.date(parameters, "to", into: &errors)
            try errors.finish()
            return try JSONBody.response(Records(items: try await database.trainingRecords(for: context.actor, user: user, from: from, through: through)
                .map(RecordDTO.init)))
        }
        api.post("/training") { request, context -> Response in
            let body = try await JSONBody.decode(Body.self, from: request)
            var errors = ValidationFailure.Collector()
            let patch = Self.patch(body, into: &errors)
            let record = try await database.addTrainingRecord(user: body.userId.map { User.ID($0) }, patch, problems: errors, by: context.actor,
                                                              at: config.now(), address: context.address)
            return try Versioning.response(RecordDTO(record), version: record.version, status: .created)
        }
        api.patch("/training/:id") { request, context -> Response in
            let id = TrainingRecord.ID(try request.id(.training, context: context))
            let body = try await JSONBody.decode(Body.self, from: request)
            var errors = ValidationFailure.Collector()
            let patch = Self.patch(body, into: &errors)
            let record = try await database.updateTrainingRecord(id, patch, problems: errors, expectedVersion: try Versioning.expectedVersion(request),
                                                                 by: context.actor, at: config.now(), address: context.address)
            return try Versioning.response(RecordDTO(record), version: record.version)
        }
        api.delete("/training/:id") { request, context -> Response in
            try await database.deleteTrainingRecord(TrainingRecord.ID(try request.id(.training, context: context)), by: context.actor,
                                                    at: config.now(), address: context.address)
            return Response(status: .noContent)
        }
        api.get("/onboarding/steps") { _, context -> Response in
            try JSONBody.response(Steps(items: try await database.onboardingSteps(for: context.actor, all: true).map {
                StepDTO(id: $0.id.rawValue, text: $0.text, position: $0.position, active: $0.active)
            }))
        }
        api.post("/onboarding/steps") { request, context -> Response in
            struct NewStep: Decodable { let text: String? }
            let body = try await JSONBody.decode(NewStep.self, from: request)
            let step = try await database.addOnboardingStep(text: body.text, by: context.actor, at: config.now(), address: context.address)
            return try JSONBody.response(StepDTO(id: step.id.rawValue, text: step.text, position: step.position, active: step.active), status: .created)
        }
        api.post("/onboarding/steps/:id/retire") { request, context -> Response in
            try await database.retireOnboardingStep(OnboardingStep.ID(try request.id(.onboardingStep, context: context)), by: context.actor,
                                                    at: config.now(), address: context.address)
            return Response(status: .noContent)
        }
        api.get("/users/:id/onboarding") { request, context -> Response in
            let user = User.ID(try request.id(.user, context: context))
            return try JSONBody.response(OnboardingDTO(try await database.onboarding(of: user, for: context.actor)))
        }
        api.put("/users/:id/onboarding/:step") { request, context -> Response in
            struct Tick: Decodable { let done: Bool? }
            let user = User.ID(try request.id(.user, context: context))
            guard let step = context.parameters.get("step", as: Int64.self) else {
                throw ValidationFailure([.invalid(field: "step", reason: "expected a whole number id in the path")])
            }
            let body = try await JSONBody.decode(Tick.self, from: request)
            let onboarding = try await database.tickOnboarding(of: user, step: OnboardingStep.ID(step), done: body.done ?? true, by: context.actor,
                                                               at: config.now(), address: context.address)
            return try JSONBody.response(OnboardingDTO(onboarding))
        }
    }
}
