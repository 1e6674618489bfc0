import KvotaCore
import SQLKit

extension Database {
    /// The signed-in user and the actor access control sees for them, or nil when there is no such active user.
    public func signedInUser(_ id: User.ID) async throws -> (User, Actor)? {
        try await read { sql in
            guard let user = try await Self.user(id: id, in: sql) else { return nil }
            return try await Self.signedIn(user, in: sql)
        }
    }

    /// `user` and their actor, nil when they are not active. A head's team is everyone who is or ever was in a team
    /// they lead, so records a rep left behind stay visible.
    static func signedIn(_ user: User, in sql: any SQLDatabase) async throws -> (User, Actor)? {
        guard user.active else { return nil }
        var members: Set<User.ID> = []
        var led: Set<Team.ID> = []
        if user.role == .head {
            led = Set(try await sql.raw("SELECT id FROM teams WHERE head_id = \(bind: user.id.rawValue)").all()
                .map { Team.ID(try $0.decode(column: "id", as: Int64.self)) })
            let rows = try await sql.raw("""
                SELECT user_id AS member FROM user_assignments
                WHERE team_id IN (SELECT id FROM teams WHERE head_id = \(bind: user.id.rawValue))
                UNION
                SELECT id AS member FROM users WHERE team_id IN (SELECT id FROM teams WHERE head_id = \(bind: user.id.rawValue))
                """).all()
            members = Set(try rows.map { User.ID(try $0.decode(column: "member", as: Int64.self)) })
        }
        return (user, Actor(userID: user.id, role: user.role, teamID: user.teamID, teamMembers: members, ledTeams: led))
    }
}
