import Foundation
import Hummingbird
import KvotaCore
import KvotaStore
import NIOPosix

/// Signing in from API clients, and the caller's own account: `/api/v1/auth/token`, `/api/v1/me`.
struct AuthAPI {
    let database: Database
    let config: AppConfig
    let check: SignInCheck

    struct TokenRequest: Decodable {
        let email: String
        let password: String
    }

    struct TokenAnswer: Encodable {
        let token: String
        let expiresAt: Date
    }

    struct PasswordChange: Decodable {
        let currentPassword: String
        let newPassword: String
    }

    func register(public router: Router<AppRequestContext>, signedIn: RouterGroup<SignedInContext>) {
        router.post("/api/v1/auth/token") { request, context -> Response in
            let body = try await JSONBody.decode(TokenRequest.self, from: request)
            let now = config.now()
            let user = try await check.verify(email: body.email, password: body.password, address: context.clientAddress, now: now)
            let secret = Secrets.generate(prefix: "kvt_")
            let expires = now.addingTimeInterval(config.signIn.accessTokenLifetime)
            _ = try await database.createToken(userID: user.id, name: "sign-in", kind: .access, scope: .readWrite,
                                               hash: Secrets.hash(secret), expiresAt: expires, signingIn: true, by: user.id, at: now,
                                               address: context.clientAddress)
            return try JSONBody.response(TokenAnswer(token: secret, expiresAt: expires))
        }
        // Signing out of the API: the token used for this request stops working.
        signedIn.delete("/api/v1/auth/token") { _, context -> Response in
            guard case .token(let token) = context.signedIn.credential else {
                throw HTTPError(.badRequest, message: "this request carries no bearer token; browsers sign out at /sign-out")
            }
            try await database.revokeToken(token.id, owner: context.user.id, by: context.user.id, at: config.now(),
                                           address: context.address)
            return Response(status: .noContent)
        }
        signedIn.get("/api/v1/me") { _, context -> Response in
            let team = try await context.user.teamID.asyncFlatMap { try await database.team(id: $0) }
            let access = switch context.signedIn.credential {
            case .session: "session"
            case .token(let token): token.scope.rawValue
            }
            return try JSONBody.response(MeDTO(user: UserDTO(context.user), team: team.map(TeamDTO.init), access: access))
        }
        signedIn.put("/api/v1/me/password") { request, context -> Response in
            let body = try await JSONBody.decode(PasswordChange.self, from: request)
            let stored = try await database.passwordHash(of: context.user.id)
            var errors = ValidationFailure.Collector()
            let matches = try await SignInCheck.bcryptVerify(body.currentPassword, hash: stored ?? SignInCheck.decoyHash)
            errors.check(matches && stored != nil, "currentPassword", "is not your current password")
            Passwords.check(body.newPassword, field: "newPassword", into: &errors)
            try errors.finish()
            let hash = try await NIOThreadPool.singleton.runIfActive { try Passwords.hash(body.newPassword) }
            let kept: String? = if case .session(let idHash, _) = context.signedIn.credential { idHash } else { nil }
            try await database.changeOwnPassword(userID: context.user.id, hash: hash, keepingSession: kept, at: config.now(),
                                                 address: context.address)
            return Response(status: .noContent)
        }
    }
}
