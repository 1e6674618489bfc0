import Foundation
import KvotaCore
import SQLKit

/// A browser session as the database holds it. The cookie carries the session id; only its hash is stored.
public struct StoredSession: Hashable, Sendable {
    public let userID: User.ID
    public let csrfToken: String
    public let createdAt: Date
    public let expiresAt: Date
    public let lastSeenAt: Date
}

extension Database {
    /// Starts a session after a successful sign-in. The session the browser came with (if any) ends, so an id
    /// planted before sign-in never becomes a signed-in one (session fixation).
    public func startSession(userID: User.ID, idHash: String, csrfToken: String, expiresAt: Date, replacing old: String?,
                             at now: Date, address: String?) async throws {
        try await write { sql in
            if let old { try await sql.raw("DELETE FROM sessions WHERE id_hash = \(bind: old)").run() }
            let at = now.epochMilliseconds
            try await sql.raw("""
                INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at, last_seen_at)
                VALUES (\(bind: idHash), \(bind: userID.rawValue), \(bind: csrfToken), \(bind: at),
                        \(bind: expiresAt.epochMilliseconds), \(bind: at))
                """).run()
            try await AuditLog.append(.init(at: now, actorID: userID, action: "sign_in", entity: "user",
                                            entityID: userID.rawValue, detail: "browser", address: address), in: sql)
        }
    }

    /// The session with this id hash that has not expired, its user and their actor (`signedIn`), or nil: the session
    /// and its user are one statement, as every page starts with them.
    public func signedIn(sessionHash idHash: String, at now: Date) async throws -> (StoredSession, User, Actor)? {
        try await read { sql in
            guard let row = try await sql.raw("""
                SELECT s.user_id, s.csrf_token, s.created_at, s.expires_at, s.last_seen_at, \(unsafeRaw: Self.userColumns(row: "u", prefix: "u_"))
                FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.id_hash = \(bind: idHash) AND s.expires_at > \(bind: now.epochMilliseconds)
                """).first(), let (user, actor) = try await Self.signedIn(try Self.user(from: row, prefix: "u_"), in: sql)
            else { return nil }
            return (try Self.session(from: row), user, actor)
        }
    }

    private static func session(from row: any SQLRow) throws -> StoredSession {
        StoredSession(
            userID: User.ID(try row.decode(column: "user_id", as: Int64.self)),
            csrfToken: try row.decode(column: "csrf_token", as: String.self),
            createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
            expiresAt: Date(epochMilliseconds: try row.decode(column: "expires_at", as: Int64.self)),
            lastSeenAt: Date(epochMilliseconds: try row.decode(column: "last_seen_at", as: Int64.self)))
    }

    /// Moves a session's idle expiry on.
    public func touchSession(idHash: String, expiresAt: Date, at now: Date) async throws {
        try await write { sql in
            try await sql.raw("""
                UPDATE sessions SET last_seen_at = \(bind: now.epochMilliseconds), expires_at = \(bind: expiresAt.epochMilliseconds)
                WHERE id_hash = \(bind: idHash)
                """).run()
        }
    }

    /// Signs a browser out.
    public func endSession(idHash: String, userID: User.ID, at now: Date, address: String?) async throws {
        try await write { sql in
            try await sql.raw("DELETE FROM sessions WHERE id_hash = \(bind: idHash)").run()
            try await AuditLog.append(.init(at: now, actorID: userID, action: "sign_out", entity: "user",
                                            entityID: userID.rawValue, address: address), in: sql)
        }
    }

    /// Changes a user's own password: checks nothing (the caller verified the old one), stores the new hash and ends
    /// every other session of theirs, in one transaction.
    public func changeOwnPassword(userID: User.ID, hash: String, keepingSession kept: String?, at now: Date,
                                  address: String?) async throws {
        try await write { sql in
            try await sql.raw("""
                UPDATE users SET password_hash = \(bind: hash), version = version + 1 WHERE id = \(bind: userID.rawValue)
                """).run()
            try await sql.raw("""
                DELETE FROM sessions WHERE user_id = \(bind: userID.rawValue) AND id_hash <> \(bind: kept ?? "")
                """).run()
            try await AuditLog.append(.init(at: now, actorID: userID, action: "password_changed", entity: "user",
                                            entityID: userID.rawValue, address: address), in: sql)
        }
    }
}
