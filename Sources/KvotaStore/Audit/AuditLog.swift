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
        let changes = entry.changes.isEmpty ? nil : json(entry.changes)
        // User 0 is Kvota itself (`Database.evaluator`: the alert rounds, calls from the PBX): no user in the trail.
        var entry = entry
        if entry.actorID?.rawValue == 0 { entry.actorID = nil }
        try await sql.raw("""
            INSERT INTO audit_log (at, user_id, action, entity, entity_id, detail, changes, address)
            VALUES (\(bind: entry.at.epochMilliseconds), \(bind: entry.actorID?.rawValue), \(bind: entry.action),
                    \(bind: entry.entity), \(bind: entry.entityID), \(bind: entry.detail), \(bind: changes), \(bind: entry.address))
            """).run()
    }
}

/// Which audit lines to read: any mix of one record, one actor and a time range, newest first, a page at a time.
public struct AuditQuery: Hashable, Sendable {
    public var entity: String?
    public var entityID: Int64?
    public var actorID: User.ID?
    public var from: Date?
    /// Exclusive.
    public var to: Date?
    /// Lines older than this one (the cursor of the next page).
    public var before: AuditEntry.ID?
    public var limit: Int

    public init(entity: String? = nil, entityID: Int64? = nil, actorID: User.ID? = nil, from: Date? = nil, to: Date? = nil,
                before: AuditEntry.ID? = nil, limit: Int = 100) {
        self.entity = entity; self.entityID = entityID; self.actorID = actorID; self.from = from; self.to = to
        self.before = before; self.limit = limit
    }
}

extension Database {
    /// The trail of one record, oldest first.
    public func auditTrail(entity: String, id: Int64) async throws -> [AuditEntry] {
        try await auditEntries(AuditQuery(entity: entity, entityID: id, limit: .max)).reversed()
    }

    /// Audit lines matching `query`, newest first.
    public func auditEntries(_ query: AuditQuery) async throws -> [AuditEntry] {
        var conditions: [SQLQueryString] = []
        if let entity = query.entity { conditions.append("entity = \(bind: entity)") }
        if let id = query.entityID { conditions.append("entity_id = \(bind: id)") }
        if let actor = query.actorID { conditions.append("user_id = \(bind: actor.rawValue)") }
        if let from = query.from { conditions.append("at >= \(bind: from.epochMilliseconds)") }
        if let to = query.to { conditions.append("at < \(bind: to.epochMilliseconds)") }
        if let before = query.before { conditions.append("id < \(bind: before.rawValue)") }
        let filter: SQLQueryString = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let limit: SQLQueryString = query.limit == .max ? "" : "LIMIT \(bind: query.limit)"
        return try await read { sql in
            try await sql.raw("""
                SELECT id, at, user_id, action, entity, entity_id, detail, changes, address FROM audit_log
                \(filter) ORDER BY id DESC \(limit)
                """).all().map(Self.auditEntry(from:))
        }
    }

    static func auditEntry(from row: any SQLRow) throws -> AuditEntry {
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

extension AuditLog {
    /// The fields whose text differs between two snapshots of a record, as audit changes.
    static func diff(_ old: [(String, String?)], _ new: [(String, String?)]) -> [AuditEntry.FieldChange] {
        zip(old, new).filter { $0.0.1 != $0.1.1 }.map { AuditEntry.FieldChange($0.0.0, old: $0.0.1, new: $0.1.1) }
    }

    /// The same for snapshots whose fields come and go (a plan's targets and rows): matched by name, in the old
    /// snapshot's order and then the new fields'.
    static func diffByName(_ old: [(String, String?)], _ new: [(String, String?)]) -> [AuditEntry.FieldChange] {
        let before = Dictionary(old, uniquingKeysWith: { a, _ in a }), after = Dictionary(new, uniquingKeysWith: { a, _ in a })
        let names = old.map(\.0) + new.map(\.0).filter { before[$0] == nil }
        return names.compactMap { name in
            let a = before[name] ?? nil, b = after[name] ?? nil
            return a == b ? nil : AuditEntry.FieldChange(name, old: a, new: b)
        }
    }

    /// The changes as the `changes` column stores them: what JSONEncoder writes for `[FieldChange]` (nil values
    /// left out), written directly. An import writes one audit line per record, and JSONEncoder's generic path cost
    /// more than writing the order lines themselves (docs/performance.md, "Import").
    static func json(_ changes: [AuditEntry.FieldChange]) -> String {
        var out = "["
        out.reserveCapacity(changes.count * 48)
        for (index, change) in changes.enumerated() {
            if index > 0 { out += "," }
            out += "{\"field\":"
            appendJSONString(change.field, to: &out)
            if let old = change.old { out += ",\"old\":"; appendJSONString(old, to: &out) }
            if let new = change.new { out += ",\"new\":"; appendJSONString(new, to: &out) }
            out += "}"
        }
        return out + "]"
    }

    private static func appendJSONString(_ text: String, to out: inout String) {
        out += "\""
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out += text
        } else {
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case _ where scalar.value < 0x20: out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// Every field as created (old nil) or deleted (new nil).
    static func created(_ fields: [(String, String?)]) -> [AuditEntry.FieldChange] {
        fields.map { .init($0.0, old: nil, new: $0.1) }
    }

    static func deleted(_ fields: [(String, String?)]) -> [AuditEntry.FieldChange] {
        fields.map { .init($0.0, old: $0.1, new: nil) }
    }
}

extension VersionConflict {
    /// Throws when a change was based on another version than the stored one; nil expected means "any".
    static func check(_ kind: RecordKind, id: Int64, expected: Int64?, current: Int64) throws(VersionConflict) {
        if let expected, expected != current {
            throw VersionConflict(kind: kind, id: id, expected: expected, current: current)
        }
    }
}
