import Foundation
import KvotaCore
import SQLKit

/// Writes and reads the audit trail. Writes happen inside the transaction of the change they describe, so a change
/// and its audit line commit or roll back together.
enum AuditLog {
    struct Entry {
        var at: Date
        var actorID: User.ID?
        var action: String
        var entity: String
        var entityID: Int64?
        var changes: [AuditEntry.FieldChange] = []
        var detail: String? = nil
        var address: String? = nil
    }

    static func append(_ entry: Entry, in sql: any SQLDatabase) async throws {
        let changes = entry.changes.isEmpty ? nil : String(decoding: try JSONEncoder().encode(entry.changes), as: UTF8.self)
        try await sql.raw("""
            INSERT INTO audit_log (at, user_id, action, entity, entity_id, detail, changes, address)
            VALUES (\(bind: entry.at.epochMilliseconds), \(bind: entry.actorID?.rawValue), \(bind: entry.action),
                    \(bind: entry.entity), \(bind: entry.entityID), \(bind: entry.detail), \(bind: changes), \(bind: entry.address))
            """).run()
    }
}

extension Database {
    /// The trail of one record, oldest first.
    public func auditTrail(entity: String, id: Int64) async throws -> [AuditEntry] {
        try await read { sql in
            try await sql.raw("""
                SELECT id, at, user_id, action, entity, entity_id, detail, changes, address FROM audit_log
                WHERE entity = \(bind: entity) AND entity_id = \(bind: id) ORDER BY at, id
                """).all().map { row in
                let changes = try row.decodeNil(column: "changes") ? [] : try JSONDecoder().decode(
                    [AuditEntry.FieldChange].self, from: Data(try row.decode(column: "changes", as: String.self).utf8))
                return AuditEntry(
                    id: .init(try row.decode(column: "id", as: Int64.self)),
                    at: Date(epochMilliseconds: try row.decode(column: "at", as: Int64.self)),
                    actorID: try row.decode(column: "user_id", as: Int64?.self).map { User.ID($0) },
                    action: try row.decode(column: "action", as: String.self),
                    entity: try row.decode(column: "entity", as: String.self),
                    entityID: try row.decode(column: "entity_id", as: Int64?.self), changes: changes,
                    detail: try row.decode(column: "detail", as: String?.self),
                    address: try row.decode(column: "address", as: String?.self))
            }
        }
    }
}
