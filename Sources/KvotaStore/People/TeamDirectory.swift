import KvotaCore
import SQLKit

extension Database {
    /// Every team, by name.
    public func teams() async throws -> [Team] {
        try await read { sql in
            try await sql.raw("SELECT id, name, kind, head_id FROM teams ORDER BY name, id").all().map { row in
                let kindKey = try row.decode(column: "kind", as: String.self)
                guard let kind = TeamKind(rawValue: kindKey) else { throw StoreError.query("teams.kind: unknown kind '\(kindKey)'") }
                let id: Int64 = try row.decode(column: "id", as: Int64.self)
                let head: Int64? = try row.decode(column: "head_id", as: Int64?.self)
                return Team(id: Team.ID(id), name: try row.decode(column: "name", as: String.self), kind: kind,
                            headID: head.map { User.ID($0) })
            }
        }
    }
}
