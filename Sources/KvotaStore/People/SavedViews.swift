import Foundation
import KvotaCore
import SQLKit

/// Saved views: each user's named filters of a list. They are preferences, not business records, so they carry no
/// version and no audit line; the access policy still decides (a user's own alone), through the same checks as
/// records.
extension Database {
    /// The actor's views of a list, by name.
    public func savedViews(of list: RecordKind, for actor: Actor) async throws -> [SavedView] {
        _ = try AccessPolicy.require(actor, .list, .savedView)
        return try await read { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.savedViewColumns) FROM saved_views AS r
                WHERE \(RecordAccess.condition(actor, .list, .savedView, row: "r")) AND r.list = \(bind: list.rawValue)
                ORDER BY LOWER(r.name), r.id
                """).all().map(Self.savedView(from:))
        }
    }

    /// Saves the actor's view of a list; saving again under a name they already use replaces that view's query.
    public func saveView(of list: RecordKind, name: String?, query: String, by actor: Actor, at now: Date) async throws -> SavedView {
        _ = try AccessPolicy.require(actor, .create, .savedView)
        _ = try AccessPolicy.require(actor, .list, list)
        var errors = ValidationFailure.Collector()
        let name = SavedView.checked(name: name, query: query, into: &errors)
        try errors.finish()
        return try await write { sql in
            let mine = try await sql.raw("""
                SELECT \(unsafeRaw: Self.savedViewColumns) FROM saved_views AS r
                WHERE r.owner_id = \(bind: actor.userID.rawValue) AND r.list = \(bind: list.rawValue)
                """).all().map(Self.savedView(from:))
            if let same = mine.first(where: { $0.name.lowercased() == name.lowercased() }) {
                try await sql.raw("UPDATE saved_views SET query = \(bind: query) WHERE id = \(bind: same.id.rawValue)").run()
                return SavedView(id: same.id, list: list, name: same.name, query: query, createdAt: same.createdAt)
            }
            var errors = ValidationFailure.Collector()
            errors.check(mine.count < SavedView.maximumPerList, "name",
                         "you already keep \(SavedView.maximumPerList) views of this list; delete one first")
            try errors.finish()
            let row = try await sql.raw("""
                INSERT INTO saved_views (owner_id, list, name, query, created_at)
                VALUES (\(bind: actor.userID.rawValue), \(bind: list.rawValue), \(bind: name), \(bind: query), \(bind: now.epochMilliseconds))
                RETURNING id
                """).first()
            return SavedView(id: .init(try row!.decode(column: "id", as: Int64.self)), list: list, name: name, query: query,
                             createdAt: Date(epochMilliseconds: now.epochMilliseconds))
        }
    }

    /// Deletes one of the actor's views; anyone else's answers not found.
    public func deleteSavedView(_ id: SavedView.ID, by actor: Actor) async throws {
        try await requireAccess(actor, .delete, .savedView, id: id.rawValue)
        try await write { sql in try await sql.raw("DELETE FROM saved_views WHERE id = \(bind: id.rawValue)").run() }
    }

    static let savedViewColumns = "r.id, r.list, r.name, r.query, r.created_at"

    static func savedView(from row: any SQLRow) throws -> SavedView {
        let listKey = try row.decode(column: "list", as: String.self)
        guard let list = RecordKind(rawValue: listKey) else { throw StoreError.query("saved_views: unknown list '\(listKey)'") }
        return SavedView(id: .init(try row.decode(column: "id", as: Int64.self)), list: list, name: try row.decode(column: "name", as: String.self),
                         query: try row.decode(column: "query", as: String.self),
                         createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)))
    }
}
