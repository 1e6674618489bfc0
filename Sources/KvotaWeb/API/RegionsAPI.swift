import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/regions`: the territory tree, parents first, and `/api/v1/channels`, the sales channels; everyone signed
/// in reads them, admins add to them.
struct RegionsAPI {
    let database: Database
    let config: AppConfig

    struct RegionDTO: Codable, Equatable {
        let id: Int64
        let parentId: Int64?
        let code: String
        let name: String
    }

    struct NewRegion: Decodable {
        let code: String
        let name: String
        let parentId: Int64?
    }

    struct ChannelDTO: Codable, Equatable {
        let id: Int64
        let code: String
        let name: String
        let kind: String

        init(_ c: Channel) {
            id = c.id.rawValue; code = c.code; name = c.name; kind = c.kind.rawValue
        }
    }

    struct NewChannel: Decodable {
        let code: String
        let name: String
        let kind: String?
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/channels") { _, context -> Response in
            _ = try AccessPolicy.require(context.actor, .list, .region)
            return try JSONBody.response(Page(items: try await database.channels().map(ChannelDTO.init)))
        }
        api.post("/channels") { request, context -> Response in
            let body = try await JSONBody.decode(NewChannel.self, from: request)
            var errors = ValidationFailure.Collector()
            let kind = decodeKey(body.kind, as: ChannelKind.self, field: "kind", into: &errors)
            try errors.finish()
            let channel = try await database.addChannel(code: body.code, name: body.name, kind: kind, by: context.actor, at: config.now(),
                                                        address: context.address)
            return try JSONBody.response(ChannelDTO(channel), status: .created)
        }
        api.get("/regions") { _, context -> Response in
            _ = try AccessPolicy.require(context.actor, .list, .region)
            let regions = try await database.regions().map {
                RegionDTO(id: $0.id.rawValue, parentId: $0.parentID?.rawValue, code: $0.code, name: $0.name)
            }
            return try JSONBody.response(Page(items: regions))
        }
        api.post("/regions") { request, context -> Response in
            let body = try await JSONBody.decode(NewRegion.self, from: request)
            let region = try await database.addRegion(code: body.code, name: body.name, parentID: body.parentId.map { Region.ID($0) },
                                                      by: context.actor, at: config.now(), address: context.address)
            return try JSONBody.response(RegionDTO(id: region.id.rawValue, parentId: region.parentID?.rawValue, code: region.code,
                                                   name: region.name), status: .created)
        }
    }
}
