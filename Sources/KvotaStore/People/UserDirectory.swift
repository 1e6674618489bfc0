import Foundation
import KvotaCore
import SQLKit

/// Users: adding, listing, disabling, passwords. Every change writes its audit line in the same transaction, and a
/// new user's first team assignment starts the dated history reports attribute results by.
extension Database {
    /// Adds a user after checking the draft and what only the database knows (a free email and extension, an
    /// existing team and manager); every problem is reported at once, and nothing is written unless all is well.
    public func addUser(_ draft: UserDraft, passwordHash: String?, by actor: User.ID?, at now: Date) async throws -> User {
        let draft = draft.normalised()
        return try await write { sql in
            var errors = ValidationFailure.Collector()
            draft.check(into: &errors)
            let key = UserDraft.emailKey(draft.email)
            errors.check(try await Self.count(sql, "SELECT COUNT(*) AS n FROM users WHERE email_key = \(bind: key)") == 0,
                         "email", "'\(draft.email)' is already used by another user")
            if let ext = draft.phoneExtension {
                errors.check(try await Self.count(sql, "SELECT COUNT(*) AS n FROM users WHERE phone_extension = \(bind: ext)") == 0,
                             "extension", "\(ext) is already someone else's extension")
            }
            if let team = draft.teamID {
                errors.check(try await Self.count(sql, "SELECT COUNT(*) AS n FROM teams WHERE id = \(bind: team.rawValue)") == 1,
                             "team", "no team \(team)")
            }
            if let manager = draft.managerID {
                errors.check(try await Self.count(sql, "SELECT COUNT(*) AS n FROM users WHERE id = \(bind: manager.rawValue)") == 1,
                             "manager", "no user \(manager)")
            }
            try errors.finish()

            let at = now.epochMilliseconds
            let row = try await sql.raw("""
                INSERT INTO users (name, email, email_key, role, team_id, manager_id, language, phone_extension, active,
                                   password_hash, created_at)
                VALUES (\(bind: draft.name), \(bind: draft.email), \(bind: key), \(bind: draft.role.rawValue),
                        \(bind: draft.teamID?.rawValue), \(bind: draft.managerID?.rawValue), \(bind: draft.language.rawValue),
                        \(bind: draft.phoneExtension), \(bind: true), \(bind: passwordHash), \(bind: at))
                RETURNING id
                """).first()
            let id = User.ID(try row!.decode(column: "id", as: Int64.self))
            try await sql.raw("""
                INSERT INTO user_assignments (user_id, role, team_id, manager_id, valid_from)
                VALUES (\(bind: id.rawValue), \(bind: draft.role.rawValue), \(bind: draft.teamID?.rawValue),
                        \(bind: draft.managerID?.rawValue), \(bind: at))
                """).run()
            let user = User(id: id, name: draft.name, email: draft.email, role: draft.role, teamID: draft.teamID,
                            managerID: draft.managerID, language: draft.language, phoneExtension: draft.phoneExtension,
                            active: true, createdAt: Date(epochMilliseconds: at))
            try await AuditLog.append(.init(at: now, actorID: actor, action: "create", entity: "user", entityID: id.rawValue,
                                            changes: Self.fields(of: user).map { .init($0.0, old: nil, new: $0.1) }), in: sql)
            return user
        }
    }

    /// Everyone, by name; inactive users too (their history stays in reports).
    public func users() async throws -> [User] {
        try await read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.userColumns) FROM users ORDER BY name, id").all().map(Self.user(from:))
        }
    }

    /// The user with this email, whatever its case.
    public func user(email: String) async throws -> User? {
        try await read { sql in try await Self.user(email: email, in: sql) }
    }

    /// The stored bcrypt hash of an active user's password, for signing in.
    public func passwordHash(of id: User.ID) async throws -> String? {
        try await read { sql in
            try await sql.raw("SELECT password_hash FROM users WHERE id = \(bind: id.rawValue) AND active = \(bind: true)")
                .first()?.decode(column: "password_hash", as: String?.self)
        }
    }

    /// Turns a user's sign-in on or off; their records and history stay. Disabling also ends their sessions and
    /// revokes their tokens.
    @discardableResult
    public func setActive(email: String, _ active: Bool, by actor: User.ID?, at now: Date) async throws -> User {
        try await write { sql in
            let user = try await Self.existingUser(email: email, in: sql)
            guard user.active != active else { return user }
            try await sql.raw("""
                UPDATE users SET active = \(bind: active), version = version + 1 WHERE id = \(bind: user.id.rawValue)
                """).run()
            if !active {
                try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: user.id.rawValue)").run()
                try await sql.raw("""
                    UPDATE api_tokens SET revoked_at = \(bind: now.epochMilliseconds)
                    WHERE user_id = \(bind: user.id.rawValue) AND revoked_at IS NULL
                    """).run()
            }
            try await AuditLog.append(.init(at: now, actorID: actor, action: "update", entity: "user", entityID: user.id.rawValue,
                                            changes: [.init("active", old: String(user.active), new: String(active))]), in: sql)
            var changed = user
            changed.active = active
            return changed
        }
    }

    /// Stores a new password hash; the audit line says that it changed, never what it is.
    public func setPasswordHash(email: String, _ hash: String, by actor: User.ID?, at now: Date) async throws {
        try await write { sql in
            let user = try await Self.existingUser(email: email, in: sql)
            try await sql.raw("""
                UPDATE users SET password_hash = \(bind: hash), version = version + 1 WHERE id = \(bind: user.id.rawValue)
                """).run()
            try await AuditLog.append(.init(at: now, actorID: actor, action: "password_changed", entity: "user",
                                            entityID: user.id.rawValue), in: sql)
        }
    }

    // MARK: - Rows

    static let userColumns = "id, name, email, role, team_id, manager_id, language, phone_extension, active, created_at"

    static func user(from row: any SQLRow) throws -> User {
        let roleKey = try row.decode(column: "role", as: String.self)
        let languageKey = try row.decode(column: "language", as: String.self)
        guard let role = Role(rawValue: roleKey) else { throw StoreError.query("users.role: unknown role '\(roleKey)'") }
        guard let language = Language(rawValue: languageKey) else {
            throw StoreError.query("users.language: unknown language '\(languageKey)'")
        }
        let id: Int64 = try row.decode(column: "id", as: Int64.self)
        let teamID: Int64? = try row.decode(column: "team_id", as: Int64?.self)
        let managerID: Int64? = try row.decode(column: "manager_id", as: Int64?.self)
        let createdAt: Int64 = try row.decode(column: "created_at", as: Int64.self)
        return User(
            id: User.ID(id), name: try row.decode(column: "name", as: String.self),
            email: try row.decode(column: "email", as: String.self), role: role, teamID: teamID.map { Team.ID($0) },
            managerID: managerID.map { User.ID($0) }, language: language,
            phoneExtension: try row.decode(column: "phone_extension", as: String?.self),
            active: try row.decode(column: "active", as: Bool.self), createdAt: Date(epochMilliseconds: createdAt))
    }

    static func user(email: String, in sql: any SQLDatabase) async throws -> User? {
        try await sql.raw("SELECT \(unsafeRaw: userColumns) FROM users WHERE email_key = \(bind: UserDraft.emailKey(email))")
            .first().map(user(from:))
    }

    static func existingUser(email: String, in sql: any SQLDatabase) async throws -> User {
        guard let user = try await user(email: email, in: sql) else {
            throw ValidationFailure([.invalid(field: "email", reason: "no user with the email '\(email)'")])
        }
        return user
    }

    /// The fields an audit line shows for a user, as text.
    static func fields(of user: User) -> [(String, String?)] {
        [("name", user.name), ("email", user.email), ("role", user.role.rawValue), ("team", user.teamID?.description),
         ("manager", user.managerID?.description), ("language", user.language.rawValue),
         ("extension", user.phoneExtension), ("active", String(user.active))]
    }

    private static func count(_ sql: any SQLDatabase, _ query: SQLQueryString) async throws -> Int {
        try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
