import Foundation
import KvotaCore
import SQLKit

/// Bearer tokens: access tokens from signing in and integration tokens made by admins. Only hashes are stored.
extension Database {
    /// Stores a new token; creating one is a security event in the audit trail: a sign-in for the token signing in
    /// hands out (`signingIn`), the creation of a token otherwise.
    public func createToken(userID: User.ID, name: String, kind: TokenKind, scope: TokenScope, hash: String,
                            expiresAt: Date?, signingIn: Bool = false, by creator: User.ID?, at now: Date,
                            address: String?) async throws -> APIToken {
        var errors = ValidationFailure.Collector()
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        errors.check(!name.isEmpty, "name", "must not be empty")
        errors.check(name.count <= 200, "name", "must be at most 200 characters")
        if let expiresAt { errors.check(expiresAt > now, "expiresAt", "must be in the future") }
        return try await write { sql in
            let user = try await Self.user(id: userID, in: sql)
            errors.check(user?.active == true, "userId", "no active user \(userID)")
            try errors.finish()
            let row = try await sql.raw("""
                INSERT INTO api_tokens (user_id, name, kind, scope, token_hash, created_by, created_at, expires_at)
                VALUES (\(bind: userID.rawValue), \(bind: name), \(bind: kind.rawValue), \(bind: scope.rawValue),
                        \(bind: hash), \(bind: creator?.rawValue), \(bind: now.epochMilliseconds),
                        \(bind: expiresAt?.epochMilliseconds))
                RETURNING id
                """).first()
            let id = APIToken.ID(try row!.decode(column: "id", as: Int64.self))
            if !signingIn {
                try await AuditLog.append(.init(
                    at: now, actorID: creator, action: "token_created", entity: "token", entityID: id.rawValue,
                    changes: [.init("name", old: nil, new: name), .init("user", old: nil, new: userID.description),
                              .init("scope", old: nil, new: scope.rawValue)],
                    address: address), in: sql)
            } else {
                try await AuditLog.append(.init(at: now, actorID: userID, action: "sign_in", entity: "user",
                                                entityID: userID.rawValue, detail: "api token", address: address), in: sql)
            }
            return APIToken(id: id, userID: userID, name: name, kind: kind, scope: scope, createdBy: creator,
                            createdAt: now, expiresAt: expiresAt)
        }
    }

    /// The usable token with this hash, its user and their actor (`signedIn`), or nil: the token and its user are one
    /// statement, as every API request starts with them (a deal's record at scale L on PostgreSQL was five).
    public func signedIn(tokenHash hash: String, at now: Date) async throws -> (APIToken, User, Actor)? {
        let found = try await read { sql -> (APIToken, User, Actor)? in
            guard let row = try await sql.raw("""
                SELECT \(unsafeRaw: Self.tokenColumns.split(separator: ", ").map { "t.\($0)" }.joined(separator: ", ")),
                       \(unsafeRaw: Self.userColumns(row: "u", prefix: "u_"))
                FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = \(bind: hash)
                """).first() else { return nil }
            let token = try Self.token(from: row)
            guard token.isUsable(at: now), let (user, actor) = try await Self.signedIn(try Self.user(from: row, prefix: "u_"), in: sql)
            else { return nil }
            return (token, user, actor)
        }
        if let (token, _, _) = found { try await noteUse(of: token, at: now) }
        return found
    }

    /// Written at most once a minute per token: "last used" is for spotting dead integrations, not an access log.
    private func noteUse(of token: APIToken, at now: Date) async throws {
        guard token.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true else { return }
        try await write { sql in
            try await sql.raw("""
                UPDATE api_tokens SET last_used_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: token.id.rawValue)
                """).run()
        }
    }

    /// A user's own access tokens still in use (from signing in through the API, or made on their profile), newest
    /// first.
    public func personalTokens(of user: User.ID, at now: Date) async throws -> [APIToken] {
        try await read { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.tokenColumns) FROM api_tokens
                WHERE user_id = \(bind: user.rawValue) AND kind = 'access' AND revoked_at IS NULL
                  AND (expires_at IS NULL OR expires_at > \(bind: now.epochMilliseconds))
                ORDER BY id DESC
                """).all().map(Self.token(from:))
        }
    }

    /// Integration tokens, newest first; revoked ones too, so the list shows what was cut off and when.
    public func integrationTokens() async throws -> [APIToken] {
        try await read { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.tokenColumns) FROM api_tokens WHERE kind = 'integration' ORDER BY id DESC
                """).all().map(Self.token(from:))
        }
    }

    /// Revokes a token at once. `owner` limits it to one user's tokens (signing out revokes only one's own);
    /// revoking an already revoked token changes nothing.
    public func revokeToken(_ id: APIToken.ID, owner: User.ID? = nil, by actor: User.ID?, at now: Date,
                            address: String?) async throws {
        try await write { sql in
            guard let token = try await sql.raw("SELECT \(unsafeRaw: Self.tokenColumns) FROM api_tokens WHERE id = \(bind: id.rawValue)")
                .first().map(Self.token(from:)), owner.map({ $0 == token.userID }) ?? true
            else { throw AccessDenied.notFound(.integration, id: id.rawValue) }
            guard token.revokedAt == nil else { return }
            try await sql.raw("""
                UPDATE api_tokens SET revoked_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: id.rawValue)
                """).run()
            try await AuditLog.append(.init(at: now, actorID: actor, action: "token_revoked", entity: "token",
                                            entityID: id.rawValue, detail: token.name, address: address), in: sql)
        }
    }

    static let tokenColumns = "id, user_id, name, kind, scope, created_by, created_at, expires_at, last_used_at, revoked_at"

    static func token(from row: any SQLRow) throws -> APIToken {
        let kindKey = try row.decode(column: "kind", as: String.self)
        let scopeKey = try row.decode(column: "scope", as: String.self)
        guard let kind = TokenKind(rawValue: kindKey), let scope = TokenScope(rawValue: scopeKey) else {
            throw StoreError.query("api_tokens: unknown kind '\(kindKey)' or scope '\(scopeKey)'")
        }
        func date(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Int64?.self).map(Date.init(epochMilliseconds:))
        }
        return APIToken(
            id: .init(try row.decode(column: "id", as: Int64.self)),
            userID: .init(try row.decode(column: "user_id", as: Int64.self)),
            name: try row.decode(column: "name", as: String.self), kind: kind, scope: scope,
            createdBy: try row.decode(column: "created_by", as: Int64?.self).map { User.ID($0) },
            createdAt: try date("created_at")!, expiresAt: try date("expires_at"), lastUsedAt: try date("last_used_at"),
            revokedAt: try date("revoked_at"))
    }
}
