import Foundation
import KvotaCore
import SQLKit

/// Another record that is probably the same customer or person, and why.
public struct LikelyDuplicate: Hashable, Sendable {
    public let id: Int64
    public let name: String
    /// "phone +46701234567", "email anna@x.example", "name", "legal id 5566778899".
    public let reasons: [String]
}

/// Likely duplicates, among the records the actor may see: contacts sharing a phone or an email; accounts with the
/// same name in any case, or whose people share a phone or an email.
extension Database {
    public func likelyDuplicates(ofContact id: Contact.ID, for actor: Actor) async throws -> [LikelyDuplicate] {
        try await requireAccess(actor, .read, .contact, id: id.rawValue)
        return try await read { sql in
            let rows = try await sql.raw("""
                SELECT c.id AS id, c.name AS name, o.kind AS kind, o.value AS value
                FROM contact_channels mine
                JOIN contact_channels o ON o.kind = mine.kind AND o.value = mine.value AND o.contact_id <> mine.contact_id
                JOIN contacts c ON c.id = o.contact_id
                WHERE mine.contact_id = \(bind: id.rawValue) AND mine.kind IN ('phone', 'email')
                    AND \(RecordAccess.condition(actor, .read, .contact, row: "c"))
                ORDER BY c.id
                """).all()
            return try Self.grouped(rows)
        }
    }

    public func likelyDuplicates(ofAccount id: Account.ID, for actor: Actor) async throws -> [LikelyDuplicate] {
        try await requireAccess(actor, .read, .account, id: id.rawValue)
        return try await read { sql in
            let rows = try await sql.raw("""
                SELECT a.id AS id, a.name AS name, 'name' AS kind, NULL AS value
                FROM accounts mine JOIN accounts a ON LOWER(a.name) = LOWER(mine.name) AND a.id <> mine.id
                WHERE mine.id = \(bind: id.rawValue) AND \(RecordAccess.condition(actor, .read, .account, row: "a"))
                UNION ALL
                SELECT a.id AS id, a.name AS name, o.kind AS kind, o.value AS value
                FROM contacts mc
                JOIN contact_channels mine ON mine.contact_id = mc.id AND mine.kind IN ('phone', 'email')
                JOIN contact_channels o ON o.kind = mine.kind AND o.value = mine.value
                JOIN contacts oc ON oc.id = o.contact_id
                JOIN accounts a ON a.id = oc.account_id AND a.id <> mc.account_id
                WHERE mc.account_id = \(bind: id.rawValue) AND \(RecordAccess.condition(actor, .read, .account, row: "a"))
                ORDER BY id
                """).all()
            return try Self.grouped(rows)
        }
    }

    private static func grouped(_ rows: [any SQLRow]) throws -> [LikelyDuplicate] {
        var order: [Int64] = []
        var names: [Int64: String] = [:]
        var reasons: [Int64: [String]] = [:]
        for row in rows {
            let id = try row.decode(column: "id", as: Int64.self)
            if names[id] == nil { order.append(id) }
            names[id] = try row.decode(column: "name", as: String.self)
            let kind = try row.decode(column: "kind", as: String.self)
            let reason = try row.decode(column: "value", as: String?.self).map { "\(kind) \($0)" } ?? kind
            if !(reasons[id] ?? []).contains(reason) { reasons[id, default: []].append(reason) }
        }
        return order.map { LikelyDuplicate(id: $0, name: names[$0]!, reasons: reasons[$0]!) }
    }
}
