import Foundation
import KvotaCore
import SQLKit

/// KPI targets: added, never changed (a change is a later version), deleted only when entered by mistake; read by
/// heads, directors, analysts and admins (`AccessPolicy`'s `.kpiTarget`), and by pay and the rep card for the person
/// they concern.
extension Database {
    public func kpiTargets(for actor: Actor) async throws -> [KPITarget] {
        _ = try AccessPolicy.require(actor, .list, .kpiTarget)
        return try await read { sql in try await Self.kpiTargets(in: sql) }
    }

    public func addKPITarget(kpi: KPI?, appliesTo: KPITarget.AppliesTo?, target: Double?, effectiveFrom: LocalDate?,
                             problems: ValidationFailure.Collector = .init(), by actor: Actor, at now: Date,
                             address: String? = nil) async throws -> KPITarget {
        _ = try AccessPolicy.require(actor, .create, .kpiTarget)
        var errors = problems
        // A caller that could not read these has said so in `problems`.
        errors.check(kpi != nil || problems.has("kpi"), "kpi", "is required")
        errors.check(appliesTo != nil || problems.has("appliesTo"), "appliesTo", "is required")
        errors.check(effectiveFrom != nil || problems.has("effectiveFrom"), "effectiveFrom", "is required")
        errors.check(target != nil || problems.has("target"), "target", "is required")
        if let target { KPITarget.check(target, of: kpi, into: &errors) }
        return try await write { sql in
            if case .user(let id) = appliesTo {
                errors.check(try await Self.exists("users", id.rawValue, in: sql), "appliesTo", "no user \(id)")
            }
            if let kpi, let appliesTo, let effectiveFrom,
               try await Self.kpiTargets(in: sql).contains(where: { $0.kpi == kpi && $0.appliesTo == appliesTo && $0.effectiveFrom == effectiveFrom }) {
                errors.check(false, "effectiveFrom", "\(appliesTo) already has a \(kpi.rawValue) target from \(effectiveFrom.iso); a change starts on a later day")
            }
            try errors.finish()
            let (role, user): (String?, Int64?) = switch appliesTo! {
            case .role(let role): (role.rawValue, nil)
            case .user(let id): (nil, id.rawValue)
            }
            let row = try await sql.raw("""
                INSERT INTO kpi_targets (kpi, role, user_id, target, effective_from, created_at, created_by)
                VALUES (\(bind: kpi!.rawValue), \(bind: role), \(bind: user), \(bind: target!), \(bind: effectiveFrom!.key),
                        \(bind: now.epochMilliseconds), \(bind: actor.userID.rawValue))
                RETURNING id
                """).first()
            let made = KPITarget(id: .init(try row!.decode(column: "id", as: Int64.self)), kpi: kpi!, appliesTo: appliesTo!, target: target!,
                                 effectiveFrom: effectiveFrom!, createdAt: now)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "KPI target", entityID: made.id.rawValue,
                                            changes: AuditLog.created([("kpi", kpi!.rawValue), ("appliesTo", appliesTo!.description),
                                                                       ("target", String(target!)), ("effectiveFrom", effectiveFrom!.iso)]),
                                            address: address), in: sql)
            return made
        }
    }

    /// Deletes a target entered by mistake (pay already approved keeps what it was worked out with).
    public func deleteKPITarget(_ id: KPITarget.ID, by actor: Actor, at now: Date, address: String? = nil) async throws {
        _ = try AccessPolicy.require(actor, .read, .kpiTarget)
        try await write { sql in
            guard let old = try await Self.kpiTargets(in: sql, id: id).first else { throw AccessDenied.notFound(.kpiTarget, id: id.rawValue) }
            _ = try AccessPolicy.require(actor, .delete, .kpiTarget)
            try await sql.raw("DELETE FROM kpi_targets WHERE id = \(bind: id.rawValue)").run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "delete", entity: "KPI target", entityID: id.rawValue,
                                            changes: [.init("kpi", old: old.kpi.rawValue, new: nil),
                                                      .init("appliesTo", old: old.appliesTo.description, new: nil),
                                                      .init("target", old: String(old.target), new: nil)],
                                            address: address), in: sql)
        }
    }

    /// The targets in force for `user` on `day` (their own over their role's), by KPI. Read for whoever may see the
    /// user's KPIs or pay; the caller has checked that.
    func kpiTargets(of user: User.ID, on day: LocalDate) async throws -> [KPI: KPITarget] {
        try await read { sql in
            guard let role = try await sql.raw("SELECT role FROM users WHERE id = \(bind: user.rawValue)").first()
                .flatMap({ Role(rawValue: try $0.decode(column: "role", as: String.self)) }) else { return [:] }
            let all = try await Self.kpiTargets(in: sql)
            var found: [KPI: KPITarget] = [:]
            for kpi in Set(all.map(\.kpi)) {
                found[kpi] = KPITarget.inForce(all, kpi: kpi, user: user, role: role, on: day)
            }
            return found
        }
    }

    static func kpiTargets(in sql: any SQLDatabase, id: KPITarget.ID? = nil) async throws -> [KPITarget] {
        let condition: SQLQueryString = id.map { "WHERE id = \(bind: $0.rawValue)" } ?? ""
        return try await sql.raw("""
            SELECT id, kpi, role, user_id, target, effective_from, created_at FROM kpi_targets \(condition) ORDER BY effective_from, id
            """).all().map { row in
            let key = try row.decode(column: "kpi", as: String.self)
            guard let kpi = KPI(rawValue: key) else { throw StoreError.query("kpi_targets.kpi: unknown '\(key)'") }
            let appliesTo: KPITarget.AppliesTo
            if let role = try row.decode(column: "role", as: String?.self) {
                guard let known = Role(rawValue: role) else { throw StoreError.query("kpi_targets.role: unknown '\(role)'") }
                appliesTo = .role(known)
            } else {
                appliesTo = .user(User.ID(try row.decode(column: "user_id", as: Int64.self)))
            }
            return KPITarget(id: .init(try row.decode(column: "id", as: Int64.self)), kpi: kpi, appliesTo: appliesTo,
                             target: try row.decode(column: "target", as: Double.self),
                             effectiveFrom: try LocalDate(key: try row.decode(column: "effective_from", as: Int.self)),
                             createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)))
        }
    }
}
