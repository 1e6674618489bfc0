import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/teams`: admins manage teams; heads, directors and analysts read them.
struct TeamsAPI {
    let database: Database
    let config: AppConfig

    /// For POST every field but `headId` is required; for PATCH absent fields stay and `headId: null` clears the head.
    struct Body: Decodable {
        var name: String?
        var kind: String?
        var headId: Int64??
        var version: Int64?

        enum CodingKeys: String, CodingKey { case name, kind, headId, version }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            kind = try c.decodeIfPresent(String.self, forKey: .kind)
            if c.contains(.headId) { headId = .some(try c.decodeIfPresent(Int64.self, forKey: .headId)) }
            version = try c.decodeIfPresent(Int64.self, forKey: .version)
        }

        func draft(over team: Team?) throws -> TeamDraft {
            var errors = ValidationFailure.Collector()
            errors.check(name != nil || team != nil, "name", "is required")
            errors.check(kind != nil || team != nil, "kind", "is required")
            let kind = decodeKey(kind, as: TeamKind.self, field: "kind", into: &errors)
            try errors.finish()
            let head: User.ID? = headId.map { $0.map { User.ID($0) } } ?? team?.headID
            return TeamDraft(name: name ?? team!.name, kind: kind ?? team!.kind, headID: head)
        }
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/teams") { _, context -> Response in
            _ = try AccessPolicy.require(context.actor, .list, .team)
            return try JSONBody.response(Page(items: try await database.teams().map(TeamDTO.init)))
        }
        api.get("/teams/:id") { request, context -> Response in
            try JSONBody.response(TeamDTO(try await visibleTeam(request, context, for: .read)))
        }
        api.post("/teams") { request, context -> Response in
            _ = try AccessPolicy.require(context.actor, .create, .team)
            let draft = try await JSONBody.decode(Body.self, from: request).draft(over: nil)
            let team = try await database.addTeam(draft, by: context.user.id, at: config.now(), address: context.address)
            return try JSONBody.response(TeamDTO(team), status: .created)
        }
        api.patch("/teams/:id") { request, context -> Response in
            let team = try await visibleTeam(request, context, for: .update)
            let body = try await JSONBody.decode(Body.self, from: request)
            let updated = try await database.updateTeam(team.id, try body.draft(over: team), expectedVersion: body.version,
                                                        by: context.user.id, at: config.now(), address: context.address)
            return try JSONBody.response(TeamDTO(updated))
        }
    }

    private func visibleTeam(_ request: Request, _ context: SignedInContext, for action: AccessAction) async throws -> Team {
        let id = try request.id(.team, context: context)
        guard let team = try await database.team(id: Team.ID(id)) else { throw AccessDenied.notFound(.team, id: id) }
        try AccessPolicy.require(context.actor, action, .team, id: id, owner: nil)
        return team
    }
}
