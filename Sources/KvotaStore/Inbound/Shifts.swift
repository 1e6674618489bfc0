import Foundation
import KvotaCore
import SQLKit

/// Who is on shift (issue 9): only those take new requests by round-robin. A user's shift is theirs to switch, their
/// head's and a director's or admin's (`RecordKind.shift`, owned by the user it is about).
extension Database {
    public func isOnShift(_ user: User.ID, for actor: Actor) async throws -> Bool {
        try AccessPolicy.require(actor, .read, .shift, id: user.rawValue, owner: user)
        guard let row = try await read({ sql in try await sql.raw("SELECT on_shift FROM users WHERE id = \(bind: user.rawValue)").first() }) else {
            throw AccessDenied.notFound(.shift, id: user.rawValue)
        }
        return try row.decode(column: "on_shift", as: Bool.self)
    }

    public func setOnShift(_ user: User.ID, _ onShift: Bool, by actor: Actor, at now: Date, address: String? = nil) async throws {
        try AccessPolicy.require(actor, .update, .shift, id: user.rawValue, owner: user)
        try await write { sql in
            guard let row = try await sql.raw("SELECT on_shift FROM users WHERE id = \(bind: user.rawValue)").first() else {
                throw AccessDenied.notFound(.shift, id: user.rawValue)
            }
            let old = try row.decode(column: "on_shift", as: Bool.self)
            guard old != onShift else { return }
            try await sql.raw("UPDATE users SET on_shift = \(bind: onShift) WHERE id = \(bind: user.rawValue)").run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "user", entityID: user.rawValue,
                                            changes: [.init("onShift", old: String(old), new: String(onShift))], address: address), in: sql)
        }
    }

    /// Of these users, those on shift.
    public func onShift(_ users: [User.ID]) async throws -> Set<User.ID> {
        guard !users.isEmpty else { return [] }
        return try await read { sql in
            Set(try await sql.raw("""
                SELECT id FROM users WHERE on_shift = \(bind: true) AND id IN \(SQLQueryString.list(users.map(\.rawValue)[...]))
                """).all().map { User.ID(try $0.decode(column: "id", as: Int64.self)) })
        }
    }
}
