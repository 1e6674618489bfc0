import Foundation
import KvotaCore
import SQLKit

/// Users: adding, listing, disabling, passwords. Every change writes its audit line in the same transaction, and a
/// new user's first team assignment starts the dated history reports attribute results by.
extension Database {
    /// Adds a user after checking the draft and what only the database knows (a free email and extension, an
    /// existing team and manager); every problem is reported at once, and nothing is written unless all is well.
    public func addUser(_ draft: UserDraft, passwordHash: String?, by actor: User.ID?, at now: Date,
                        address: String? = nil) async throws -> User {
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
                                            changes: AuditLog.created(Self.fields(of: user)),
                                            address: address), in: sql)
            return user
        }
    }

    /// Everyone, by name; inactive users too (their history stays in reports).
    public func users() async throws -> [User] {
        try await read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.userColumns) FROM users ORDER BY name, id").all().map(Self.user(from:))
        }
    }

    /// Every user's name by id, for pages that say who owns or did what: the two columns, unsorted. Every user's whole
    /// row sorted by name (`users()`) was, with 988 users at scale L, 1.5 ms of PostgreSQL's sorting and as much again
    /// of Kvota's decoding on every deal page.
    public func userNames() async throws -> [User.ID: String] {
        try await read { sql in
            var names: [User.ID: String] = [:]
            for row in try await sql.raw("SELECT id, name FROM users").all() {
                names[User.ID(try row.decode(column: "id", as: Int64.self))] = try row.decode(column: "name", as: String.self)
            }
            return names
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
            if !active { try await Self.endSignIns(of: user.id, in: sql, at: now) }
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

    /// The user with this id, active or not.
    public func user(id: User.ID) async throws -> User? {
        try await read { sql in try await Self.user(id: id, in: sql) }
    }

    /// Changes a user. A new role, team or manager closes the user's current row of team history and opens the next,
    /// so results stay with the team the rep was in at the time. Disabling ends sessions and revokes tokens. All
    /// problems are reported at once; `expectedVersion` guards against overwriting someone else's change.
    public func updateUser(_ id: User.ID, _ patch: UserPatch, expectedVersion: Int64?, by actor: User.ID?, at now: Date,
                           address: String? = nil) async throws -> User {
        try await write { sql in
            try await sql.lockForChange("users", id: id.rawValue)
            guard let old = try await Self.user(id: id, in: sql) else { throw AccessDenied.notFound(.user, id: id.rawValue) }
            try VersionConflict.check(.user, id: id.rawValue, expected: expectedVersion, current: old.version)
            var new = patch.applied(to: old)
            var errors = ValidationFailure.Collector()
            UserDraft(name: new.name, email: new.email, role: new.role, phoneExtension: new.phoneExtension).check(into: &errors)
            if let ext = new.phoneExtension, ext != old.phoneExtension {
                errors.check(try await Self.count(sql, """
                    SELECT COUNT(*) AS n FROM users WHERE phone_extension = \(bind: ext) AND id <> \(bind: id.rawValue)
                    """) == 0, "extension", "\(ext) is already someone else's extension")
            }
            if let team = new.teamID, team != old.teamID {
                errors.check(try await Self.count(sql, "SELECT COUNT(*) AS n FROM teams WHERE id = \(bind: team.rawValue)") == 1,
                             "teamId", "no team \(team)")
            }
            if let manager = new.managerID, manager != old.managerID {
                errors.check(manager != id, "managerId", "a user cannot be their own manager")
                errors.check(try await Self.count(sql, "SELECT COUNT(*) AS n FROM users WHERE id = \(bind: manager.rawValue)") == 1,
                             "managerId", "no user \(manager)")
            }
            try errors.finish()
            let changes = AuditLog.diff(Self.fields(of: old), Self.fields(of: new))
            guard !changes.isEmpty else { return old }

            try await sql.raw("""
                UPDATE users SET name = \(bind: new.name), role = \(bind: new.role.rawValue), team_id = \(bind: new.teamID?.rawValue),
                    manager_id = \(bind: new.managerID?.rawValue), language = \(bind: new.language.rawValue),
                    phone_extension = \(bind: new.phoneExtension), active = \(bind: new.active), version = version + 1
                WHERE id = \(bind: id.rawValue)
                """).run()
            new.version = old.version + 1
            if UserPatch.movesInOrganisation(old, new) {
                let at = now.epochMilliseconds
                try await sql.raw("""
                    UPDATE user_assignments SET valid_to = \(bind: at) WHERE user_id = \(bind: id.rawValue) AND valid_to IS NULL
                    """).run()
                try await sql.raw("""
                    INSERT INTO user_assignments (user_id, role, team_id, manager_id, valid_from)
                    VALUES (\(bind: id.rawValue), \(bind: new.role.rawValue), \(bind: new.teamID?.rawValue),
                            \(bind: new.managerID?.rawValue), \(bind: at))
                    """).run()
            }
            if old.active && !new.active { try await Self.endSignIns(of: id, in: sql, at: now) }
            try await AuditLog.append(.init(at: now, actorID: actor, action: "update", entity: "user", entityID: id.rawValue,
                                            changes: changes, address: address), in: sql)
            return new
        }
    }

    /// A user's team history, oldest first: (role, team, manager, from, to).
    public func assignments(of id: User.ID) async throws -> [UserAssignment] {
        try await read { sql in
            try await sql.raw("""
                SELECT role, team_id, manager_id, valid_from, valid_to FROM user_assignments
                WHERE user_id = \(bind: id.rawValue) ORDER BY valid_from, id
                """).all().map { row in
                let roleKey = try row.decode(column: "role", as: String.self)
                guard let role = Role(rawValue: roleKey) else { throw StoreError.query("user_assignments.role: unknown role '\(roleKey)'") }
                return UserAssignment(
                    role: role, teamID: try row.decode(column: "team_id", as: Int64?.self).map { Team.ID($0) },
                    managerID: try row.decode(column: "manager_id", as: Int64?.self).map { User.ID($0) },
                    from: Date(epochMilliseconds: try row.decode(column: "valid_from", as: Int64.self)),
                    to: try row.decode(column: "valid_to", as: Int64?.self).map(Date.init(epochMilliseconds:)))
            }
        }
    }

    /// A disabled user can no longer act: browser sessions end and bearer tokens stop working.
    static func endSignIns(of id: User.ID, in sql: any SQLDatabase, at now: Date) async throws {
        try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: id.rawValue)").run()
        try await sql.raw("""
            UPDATE api_tokens SET revoked_at = \(bind: now.epochMilliseconds)
            WHERE user_id = \(bind: id.rawValue) AND revoked_at IS NULL
            """).run()
    }

    // MARK: - Rows

    static let userColumns = "id, name, email, role, team_id, manager_id, language, phone_extension, active, created_at, version"

    /// `userColumns` of the users table aliased `row`, each named with `prefix` in front: for a user read beside
    /// another record's columns (a session's or a token's) in one statement.
    static func userColumns(row: String, prefix: String) -> String {
        userColumns.split(separator: ", ").map { "\(row).\($0) AS \(prefix)\($0)" }.joined(separator: ", ")
    }

    static func user(from row: any SQLRow) throws -> User { try user(from: row, prefix: "") }

    static func user(from row: any SQLRow, prefix: String) throws -> User {
        func column(_ name: String) -> String { prefix + name }
        let roleKey = try row.decode(column: column("role"), as: String.self)
        let languageKey = try row.decode(column: column("language"), as: String.self)
        guard let role = Role(rawValue: roleKey) else { throw StoreError.query("users.role: unknown role '\(roleKey)'") }
        guard let language = Language(rawValue: languageKey) else {
            throw StoreError.query("users.language: unknown language '\(languageKey)'")
        }
        let id: Int64 = try row.decode(column: column("id"), as: Int64.self)
        let teamID: Int64? = try row.decode(column: column("team_id"), as: Int64?.self)
        let managerID: Int64? = try row.decode(column: column("manager_id"), as: Int64?.self)
        let createdAt: Int64 = try row.decode(column: column("created_at"), as: Int64.self)
        return User(
            id: User.ID(id), name: try row.decode(column: column("name"), as: String.self),
            email: try row.decode(column: column("email"), as: String.self), role: role, teamID: teamID.map { Team.ID($0) },
            managerID: managerID.map { User.ID($0) }, language: language,
            phoneExtension: try row.decode(column: column("phone_extension"), as: String?.self),
            active: try row.decode(column: column("active"), as: Bool.self), createdAt: Date(epochMilliseconds: createdAt),
            version: try row.decode(column: column("version"), as: Int64.self))
    }

    static func user(id: User.ID, in sql: any SQLDatabase) async throws -> User? {
        try await sql.raw("SELECT \(unsafeRaw: userColumns) FROM users WHERE id = \(bind: id.rawValue)").first().map(user(from:))
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

    static func count(_ sql: any SQLDatabase, _ query: SQLQueryString) async throws -> Int {
        try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
