import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/lead-sources`: the standard sources and the company's own; everyone reads them, admins add, rename and
/// retire their own.
struct LeadSourcesAPI {
    let database: Database
    let config: AppConfig

    struct SourceDTO: Codable, Equatable {
        let key: String
        /// The own source's label; null for a standard one (clients name those in their own language).
        let label: String?
        let standard: Bool
        let active: Bool

        init(_ own: OwnLeadSource) {
            key = own.key; label = own.label; standard = false; active = own.active
        }

        init(standard source: LeadSource) {
            key = source.rawValue; label = nil; standard = true; active = true
        }
    }

    struct NewSource: Decodable {
        let key: String?
        let label: String?
    }

    struct Change: Decodable {
        let label: String?
        let active: Bool?
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/lead-sources") { _, context -> Response in
            let own = try await database.leadSources(for: context.actor)
            return try JSONBody.response(Page(items: LeadSource.standard.map { SourceDTO(standard: $0) } + own.map(SourceDTO.init)))
        }
        api.post("/lead-sources") { request, context -> Response in
            let body = try await JSONBody.decode(NewSource.self, from: request)
            let source = try await database.addLeadSource(key: body.key, label: body.label, by: context.actor, at: config.now(),
                                                          address: context.address)
            return try JSONBody.response(SourceDTO(source), status: .created)
        }
        api.patch("/lead-sources/:key") { request, context -> Response in
            let key = try context.parameters.require("key")
            let body = try await JSONBody.decode(Change.self, from: request)
            let source = try await database.updateLeadSource(key, label: body.label, active: body.active, by: context.actor, at: config.now(),
                                                             address: context.address)
            return try JSONBody.response(SourceDTO(source))
        }
    }
}
