import Foundation
import KvotaCore
import SQLKit

/// The company's own lead sources beside the standard ones: everyone reads them, admins add, rename and retire them.
/// A lead may take a standard source or an own one in use; a retired one stays on the leads that have it.
extension Database {
    public func leadSources(for actor: Actor) async throws -> [OwnLeadSource] {
        _ = try AccessPolicy.require(actor, .list, .leadSource)
        return try await read { sql in try await Self.ownLeadSources(in: sql) }
    }

    public func addLeadSource(key: String?, label: String?, by actor: Actor, at now: Date, address: String? = nil) async throws -> OwnLeadSource {
        _ = try AccessPolicy.require(actor, .create, .leadSource)
        var errors = ValidationFailure.Collector()
        let key = OwnLeadSource.checkedKey(key, into: &errors)
        let label = Self.sourceLabel(label, into: &errors)
        return try await write { sql in
            let existing = try await Self.ownLeadSources(in: sql)
            errors.check(!existing.contains { $0.key == key }, "key", "'\(key)' is already on the list")
            try errors.finish()
            let source = OwnLeadSource(key: key, label: label, position: (existing.map(\.position).max() ?? 0) + 1)
            let row = try await sql.raw("""
                INSERT INTO lead_sources (key, label, active, position) VALUES (\(bind: source.key), \(bind: source.label), TRUE, \(bind: source.position))
                RETURNING id
                """).first()
            let id = try row!.decode(column: "id", as: Int64.self)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "lead source", entityID: id,
                                            changes: AuditLog.created([("key", key), ("label", label)]), address: address), in: sql)
            return source
        }
    }

    /// Renames or retires (`active: false`) an own source.
    public func updateLeadSource(_ key: String, label: String?, active: Bool?, by actor: Actor, at now: Date,
                                 address: String? = nil) async throws -> OwnLeadSource {
        _ = try AccessPolicy.require(actor, .update, .leadSource)
        return try await write { sql in
            guard let old = try await Self.ownLeadSources(in: sql).first(where: { $0.key == key }) else {
                throw ValidationFailure([.invalid(field: "key", reason: "no own lead source '\(key)'")])
            }
            var errors = ValidationFailure.Collector()
            var new = old
            if let label { new.label = Self.sourceLabel(label, into: &errors) }
            if let active { new.active = active }
            try errors.finish()
            guard new != old else { return old }
            let row = try await sql.raw("""
                UPDATE lead_sources SET label = \(bind: new.label), active = \(bind: new.active) WHERE key = \(bind: key) RETURNING id
                """).first()
            let id = try row!.decode(column: "id", as: Int64.self)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "lead source", entityID: id,
                                            changes: AuditLog.diff([("label", old.label), ("active", String(old.active))],
                                                                   [("label", new.label), ("active", String(new.active))]),
                                            address: address), in: sql)
            return new
        }
    }

    /// A lead's source must be a standard one or an own one in use.
    static func checkSource(_ source: LeadSource, in sql: any SQLDatabase, into errors: inout ValidationFailure.Collector) async throws {
        guard !source.isStandard else { return }
        let own = try await ownLeadSources(in: sql).filter(\.active)
        errors.check(own.contains { $0.key == source.rawValue }, "source",
                     "expected one of: \((LeadSource.standard.map(\.rawValue) + own.map(\.key)).joined(separator: ", ")); got '\(source.rawValue)'")
    }

    static func ownLeadSources(in sql: any SQLDatabase) async throws -> [OwnLeadSource] {
        try await sql.raw("SELECT key, label, active, position FROM lead_sources ORDER BY position, key").all().map { row in
            OwnLeadSource(key: try row.decode(column: "key", as: String.self), label: try row.decode(column: "label", as: String.self),
                          active: try row.decode(column: "active", as: Bool.self), position: try row.decode(column: "position", as: Int.self))
        }
    }

    private static func sourceLabel(_ text: String?, into errors: inout ValidationFailure.Collector) -> String {
        let label = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        errors.check((1...100).contains(label.count), "label", "expected 1 to 100 characters")
        return label
    }
}
