import Foundation
import KvotaCore
import SQLKit

/// Teams: listing, adding, changing. A change of head changes what the old and new head see at once, because a
/// head's team is looked up on every request.
extension Database {
    /// Every team, by name.
    public func teams() async throws -> [Team] {
        try await read { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.teamColumns) FROM teams ORDER BY name, id").all().map(Self.team(from:))
        }
    }

    public func team(id: Team.ID) async throws -> Team? {
        try await read { sql in try await Self.team(id: id, in: sql) }
    }

    /// The team's active members with one of these roles, by id: whom a spread hand-over deals work to.
    public func activeMembers(of team: Team.ID, roles: Set<Role>) async throws -> [User.ID] {
        try await read { sql in
            try await sql.raw("""
                SELECT id, role FROM users WHERE team_id = \(bind: team.rawValue) AND active = \(bind: true) ORDER BY id
                """).all().compactMap { row in
                let role = Role(rawValue: try row.decode(column: "role", as: String.self))
                return role.map(roles.contains) == true ? User.ID(try row.decode(column: "id", as: Int64.self)) : nil
            }
        }
    }

    public func addTeam(_ draft: TeamDraft, by actor: User.ID?, at now: Date, address: String? = nil) async throws -> Team {
        let draft = draft.normalised()
        return try await write { sql in
            try await Self.check(draft, in: sql)
            let row = try await sql.raw("""
                INSERT INTO teams (name, kind, head_id) VALUES (\(bind: draft.name), \(bind: draft.kind.rawValue),
                                                                 \(bind: draft.headID?.rawValue))
                RETURNING id
                """).first()
            let team = Team(id: Team.ID(try row!.decode(column: "id", as: Int64.self)), name: draft.name, kind: draft.kind,
                            headID: draft.headID)
            try await AuditLog.append(.init(at: now, actorID: actor, action: "create", entity: "team", entityID: team.id.rawValue,
                                            changes: AuditLog.created(Self.fields(of: team)),
                                            address: address), in: sql)
            return team
        }
    }

    /// Replaces a team's name, kind and head.
    public func updateTeam(_ id: Team.ID, _ draft: TeamDraft, expectedVersion: Int64?, by actor: User.ID?, at now: Date,
                           address: String? = nil) async throws -> Team {
        let draft = draft.normalised()
        return try await write { sql in
            try await sql.lockForChange("teams", id: id.rawValue)
            guard let old = try await Self.team(id: id, in: sql) else { throw AccessDenied.notFound(.team, id: id.rawValue) }
            try VersionConflict.check(.team, id: id.rawValue, expected: expectedVersion, current: old.version)
            try await Self.check(draft, in: sql)
            let new = Team(id: id, name: draft.name, kind: draft.kind, headID: draft.headID, version: old.version + 1)
            let changes = AuditLog.diff(Self.fields(of: old), Self.fields(of: new))
            guard !changes.isEmpty else { return old }
            try await sql.raw("""
                UPDATE teams SET name = \(bind: new.name), kind = \(bind: new.kind.rawValue), head_id = \(bind: new.headID?.rawValue),
                    version = version + 1
                WHERE id = \(bind: id.rawValue)
                """).run()
            try await AuditLog.append(.init(at: now, actorID: actor, action: "update", entity: "team", entityID: id.rawValue,
                                            changes: changes, address: address), in: sql)
            return new
        }
    }

    // MARK: - Rows

    static let teamColumns = "id, name, kind, head_id, version"

    static func team(from row: any SQLRow) throws -> Team {
        let kindKey = try row.decode(column: "kind", as: String.self)
        guard let kind = TeamKind(rawValue: kindKey) else { throw StoreError.query("teams.kind: unknown kind '\(kindKey)'") }
        return Team(id: Team.ID(try row.decode(column: "id", as: Int64.self)), name: try row.decode(column: "name", as: String.self),
                    kind: kind, headID: try row.decode(column: "head_id", as: Int64?.self).map { User.ID($0) },
                    version: try row.decode(column: "version", as: Int64.self))
    }

    static func team(id: Team.ID, in sql: any SQLDatabase) async throws -> Team? {
        try await sql.raw("SELECT \(unsafeRaw: teamColumns) FROM teams WHERE id = \(bind: id.rawValue)").first().map(team(from:))
    }

    static func fields(of team: Team) -> [(String, String?)] {
        [("name", team.name), ("kind", team.kind.rawValue), ("head", team.headID?.description)]
    }

    private static func check(_ draft: TeamDraft, in sql: any SQLDatabase) async throws {
        var errors = ValidationFailure.Collector()
        draft.check(into: &errors)
        if let head = draft.headID {
            errors.check(try await count(sql, "SELECT COUNT(*) AS n FROM users WHERE id = \(bind: head.rawValue) AND active = \(bind: true)") == 1,
                         "headId", "no active user \(head)")
        }
        try errors.finish()
    }
}
