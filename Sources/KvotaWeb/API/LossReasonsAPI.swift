import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/loss-reasons`: the reasons a deal is lost or a lead disqualified for; everyone reads, admins keep them.
struct LossReasonsAPI {
    let database: Database
    let config: AppConfig

    struct ReasonDTO: Codable, Equatable {
        let id: Int64
        let appliesTo: String
        let name: String
        let position: Int
        let active: Bool
        let version: Int64

        init(_ r: LossReason) {
            id = r.id.rawValue; appliesTo = r.appliesTo.rawValue; name = r.name; position = r.position; active = r.active; version = r.version
        }
    }

    struct NewReason: Decodable {
        let appliesTo: String?
        let name: String?
    }

    struct Change: Decodable {
        let name: String?
        let position: Int?
        let active: Bool?
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/loss-reasons") { request, context -> Response in
            var errors = ValidationFailure.Collector()
            let kind = decodeKey(request.uri.queryParameters["for"].map(String.init), as: LossReason.AppliesTo.self, field: "for",
                                 into: &errors)
            try errors.finish()
            return try JSONBody.response(Page(items: try await database.lossReasons(for: context.actor, appliesTo: kind).map(ReasonDTO.init)))
        }
        api.post("/loss-reasons") { request, context -> Response in
            let body = try await JSONBody.decode(NewReason.self, from: request)
            var errors = ValidationFailure.Collector()
            let kind = decodeKey(body.appliesTo, as: LossReason.AppliesTo.self, field: "appliesTo", into: &errors)
            let reason = try await database.addLossReason(appliesTo: kind, name: body.name, problems: errors, by: context.actor,
                                                          at: config.now(), address: context.address)
            return try answer(reason, status: .created)
        }
        api.patch("/loss-reasons/:id") { request, context -> Response in
            let body = try await JSONBody.decode(Change.self, from: request)
            let reason = try await database.updateLossReason(LossReason.ID(try request.id(.lossReason, context: context)), name: body.name,
                                                             position: body.position, active: body.active,
                                                             expectedVersion: try Versioning.expectedVersion(request), by: context.actor,
                                                             at: config.now(), address: context.address)
            return try answer(reason)
        }
    }

    private func answer(_ reason: LossReason, status: HTTPResponse.Status = .ok) throws -> Response {
        try Versioning.response(ReasonDTO(reason), version: reason.version, status: status)
    }
}
