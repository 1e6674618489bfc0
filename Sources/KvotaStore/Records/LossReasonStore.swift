import Foundation
import KvotaCore
import SQLKit

/// The loss and disqualification reasons an admin keeps. Deals and leads store the reason's name as chosen, so
/// renaming a reason changes what new records say, and retiring one leaves old records as they are.
extension Database {
    public func lossReasons(for actor: Actor, appliesTo: LossReason.AppliesTo? = nil) async throws -> [LossReason] {
        _ = try AccessPolicy.require(actor, .list, .lossReason)
        return try await read { sql in try await Self.lossReasons(appliesTo, in: sql) }
    }

    public func addLossReason(appliesTo: LossReason.AppliesTo?, name: String?, problems: ValidationFailure.Collector = .init(),
                              by actor: Actor, at now: Date, address: String? = nil) async throws -> LossReason {
        _ = try AccessPolicy.require(actor, .create, .lossReason)
        var errors = problems
        errors.check(appliesTo != nil || !problems.errors.isEmpty, "appliesTo", "is required (deal or lead)")
        let name = Self.reasonName(name, into: &errors)
        return try await write { sql in
            let existing = try await Self.lossReasons(appliesTo ?? .deal, in: sql)
            errors.check(!existing.contains { $0.name.lowercased() == name.lowercased() }, "name", "'\(name)' is already on the list")
            try errors.finish()
            let position = (existing.map(\.position).max() ?? 0) + 1
            let row = try await sql.raw("""
                INSERT INTO loss_reasons (applies_to, name, position) VALUES (\(bind: appliesTo!.rawValue), \(bind: name), \(bind: position))
                RETURNING id
                """).first()
            let reason = LossReason(id: .init(try row!.decode(column: "id", as: Int64.self)), appliesTo: appliesTo!, name: name,
                                    position: position)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "loss reason", entityID: reason.id.rawValue,
                                            changes: AuditLog.created(Self.fields(of: reason)), address: address), in: sql)
            return reason
        }
    }

    /// Renames, reorders (`position`) or retires (`active: false`) a reason.
    public func updateLossReason(_ id: LossReason.ID, name: String?, position: Int?, active: Bool?, expectedVersion: Int64?,
                                 by actor: Actor, at now: Date, address: String? = nil) async throws -> LossReason {
        _ = try AccessPolicy.require(actor, .update, .lossReason)
        return try await write { sql in
            guard let row = try await sql.raw("""
                SELECT id, applies_to, name, position, active, version FROM loss_reasons WHERE id = \(bind: id.rawValue)
                """).first() else { throw AccessDenied.notFound(.lossReason, id: id.rawValue) }
            try await sql.lockForChange("loss_reasons", id: id.rawValue)
            let old = try Self.lossReason(from: row)
            try VersionConflict.check(.lossReason, id: id.rawValue, expected: expectedVersion, current: old.version)
            var new = old
            var errors = ValidationFailure.Collector()
            if let name {
                new.name = Self.reasonName(name, into: &errors)
                let others = try await Self.lossReasons(old.appliesTo, in: sql).filter { $0.id != id }
                errors.check(!others.contains { $0.name.lowercased() == new.name.lowercased() }, "name", "'\(new.name)' is already on the list")
            }
            if let position {
                errors.check(position >= 1, "position", "must be 1 or more")
                new.position = position
            }
            if let active { new.active = active }
            try errors.finish()
            let changes = AuditLog.diff(Self.fields(of: old), Self.fields(of: new))
            guard !changes.isEmpty else { return old }
            new.version = old.version + 1
            try await sql.raw("""
                UPDATE loss_reasons SET name = \(bind: new.name), position = \(bind: new.position), active = \(bind: new.active),
                    version = version + 1
                WHERE id = \(bind: id.rawValue)
                """).run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "loss reason", entityID: id.rawValue,
                                            changes: changes, address: address), in: sql)
            return new
        }
    }

    /// The name of the active reason `text` names, or a problem listing the active ones.
    static func lossReason(_ text: String?, for kind: LossReason.AppliesTo, field: String, in sql: any SQLDatabase,
                           into errors: inout ValidationFailure.Collector) async throws -> String? {
        guard text != nil else { return nil }
        return LossReason.match(text, in: try await lossReasons(kind, in: sql), field: field, into: &errors)
    }

    static func lossReasons(_ kind: LossReason.AppliesTo?, in sql: any SQLDatabase) async throws -> [LossReason] {
        let condition: SQLQueryString = kind.map { "WHERE applies_to = \(bind: $0.rawValue)" } ?? ""
        return try await sql.raw("""
            SELECT id, applies_to, name, position, active, version FROM loss_reasons \(condition) ORDER BY applies_to, position, id
            """).all().map(lossReason(from:))
    }

    private static func lossReason(from row: any SQLRow) throws -> LossReason {
        let key = try row.decode(column: "applies_to", as: String.self)
        guard let appliesTo = LossReason.AppliesTo(rawValue: key) else { throw StoreError.query("loss_reasons.applies_to: unknown '\(key)'") }
        return LossReason(id: .init(try row.decode(column: "id", as: Int64.self)), appliesTo: appliesTo,
                          name: try row.decode(column: "name", as: String.self), position: try row.decode(column: "position", as: Int.self),
                          active: try row.decode(column: "active", as: Bool.self), version: try row.decode(column: "version", as: Int64.self))
    }

    private static func reasonName(_ name: String?, into errors: inout ValidationFailure.Collector) -> String {
        let name = name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        errors.check(!name.isEmpty && name.count <= 100, "name", "expected 1 to 100 characters")
        return name
    }

    private static func fields(of reason: LossReason) -> [(String, String?)] {
        [("appliesTo", reason.appliesTo.rawValue), ("name", reason.name), ("position", String(reason.position)),
         ("active", String(reason.active))]
    }
}
