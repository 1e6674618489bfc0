import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/tokens`: integration tokens, created and revoked by admins. The secret is in the create answer only.
struct TokensAPI {
    let database: Database
    let config: AppConfig

    struct NewToken: Decodable {
        let name: String
        let scope: String
        /// Whose rights the token carries; the admin creating it when absent. A PBX or web form usually gets a
        /// user of its own.
        let userId: Int64?
        let expiresAt: Date?
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/tokens") { _, context -> Response in
            _ = try AccessPolicy.require(context.actor, .list, .integration)
            return try JSONBody.response(Page(items: try await database.integrationTokens().map { TokenDTO($0) }))
        }
        api.post("/tokens") { request, context -> Response in
            _ = try AccessPolicy.require(context.actor, .create, .integration)
            let body = try await JSONBody.decode(NewToken.self, from: request)
            var errors = ValidationFailure.Collector()
            let scope = decodeKey(body.scope, as: TokenScope.self, field: "scope", into: &errors)
            try errors.finish()
            let secret = Secrets.generate(prefix: "kvt_")
            let token = try await database.createToken(
                userID: body.userId.map { User.ID($0) } ?? context.user.id, name: body.name, kind: .integration,
                scope: scope!, hash: Secrets.hash(secret), expiresAt: body.expiresAt, by: context.user.id, at: config.now(),
                address: context.address)
            return try JSONBody.response(TokenDTO(token, secret: secret), status: .created)
        }
        api.delete("/tokens/:id") { request, context -> Response in
            let id = try request.id(.integration, context: context)
            try AccessPolicy.require(context.actor, .delete, .integration, id: id, owner: nil)
            try await database.revokeToken(APIToken.ID(id), by: context.user.id, at: config.now(), address: context.address)
            return Response(status: .noContent)
        }
    }
}
