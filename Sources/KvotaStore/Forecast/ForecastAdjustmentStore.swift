import Foundation
import KvotaCore
import SQLKit

/// Heads' adjustments of their reps' commit forecasts: one per rep and month, set, changed (with the version the head
/// saw) and cleared; every change in the audit trail. Who may do what is `AccessPolicy`'s `.forecastAdjustment`.
extension Database {
    /// The adjustments the actor may read for months in `months`, of `users` when given.
    public func forecastAdjustments(for actor: Actor, months: ClosedRange<Period>, users: Set<User.ID>? = nil) async throws -> [ForecastAdjustment] {
        var conditions: [SQLQueryString] = [
            RecordAccess.condition(actor, .list, .forecastAdjustment, row: "f"),
            "f.month BETWEEN \(bind: months.lowerBound.start.monthKey) AND \(bind: months.upperBound.start.monthKey)",
        ]
        if let users {
            guard !users.isEmpty else { return [] }
            conditions.append("f.user_id IN \(SQLQueryString.list(users.map(\.rawValue).sorted()[...]))")
        }
        return try await read { sql in
            try await sql.raw("""
                SELECT f.user_id, f.month, f.amount_minor, f.note, f.adjusted_by, f.adjusted_at, f.version FROM forecast_adjustments f
                WHERE \(conditions.joined(separator: " AND ")) ORDER BY f.month, f.user_id
                """).all().map(Self.adjustment(from:))
        }
    }

    /// Sets a rep's adjusted commit for a month (`amountMinor` nil clears it, back to the rep's own number). A month
    /// that has ended is refused; `expectedVersion` (the version the head saw) guards against overwriting a colleague.
    @discardableResult
    public func setForecastAdjustment(user: User.ID, month: Period, amountMinor: Int64?, note: String?, expectedVersion: Int64?,
                                      by actor: Actor, at now: Date, address: String? = nil) async throws -> ForecastAdjustment? {
        let owner = try await read { sql in
            try await sql.raw("SELECT id FROM users WHERE id = \(bind: user.rawValue)").first().map { _ in user }
        }
        guard let owner else { throw AccessDenied.notFound(.forecastAdjustment, id: user.rawValue) }
        try AccessPolicy.require(actor, amountMinor == nil ? .delete : .update, .forecastAdjustment, id: user.rawValue, owner: owner)
        let trimmed = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        let note = trimmed?.isEmpty == false ? trimmed : nil
        let today = LocalDate(now, in: try await companySettings().timeZone)
        var errors = ValidationFailure.Collector()
        ForecastAdjustment.check(month: month, amountMinor: amountMinor, note: note, today: today, into: &errors)
        try errors.finish()
        return try await write { sql in
            // A month's first adjustment has no row to lock yet; the person's row stands for all of theirs.
            try await sql.lockForChange("users", id: user.rawValue)
            let old = try await sql.raw("""
                SELECT user_id, month, amount_minor, note, adjusted_by, adjusted_at, version FROM forecast_adjustments
                WHERE user_id = \(bind: user.rawValue) AND month = \(bind: month.start.monthKey)
                """).first().map(Self.adjustment(from:))
            if let expectedVersion {
                try VersionConflict.check(.forecastAdjustment, id: user.rawValue, expected: expectedVersion, current: old?.version ?? 0)
            }
            let entity = "forecast adjustment"
            guard let amountMinor else {
                guard let old else { return nil }
                try await sql.raw("""
                    DELETE FROM forecast_adjustments WHERE user_id = \(bind: user.rawValue) AND month = \(bind: month.start.monthKey)
                    """).run()
                try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "delete", entity: entity, entityID: user.rawValue,
                                                changes: AuditLog.deleted(Self.fields(of: old)), address: address), in: sql)
                return nil
            }
            var new = ForecastAdjustment(userID: user, month: month, amountMinor: amountMinor, note: note, adjustedBy: actor.userID,
                                         adjustedAt: now, version: (old?.version ?? 0) + 1)
            if let old, old.amountMinor == new.amountMinor, old.note == new.note { return old }
            if old == nil {
                try await sql.raw("""
                    INSERT INTO forecast_adjustments (user_id, month, amount_minor, note, adjusted_by, adjusted_at, version)
                    VALUES (\(bind: user.rawValue), \(bind: month.start.monthKey), \(bind: amountMinor), \(bind: note), \(bind: actor.userID.rawValue),
                            \(bind: now.epochMilliseconds), 1)
                    """).run()
            } else {
                try await sql.raw("""
                    UPDATE forecast_adjustments SET amount_minor = \(bind: amountMinor), note = \(bind: note),
                        adjusted_by = \(bind: actor.userID.rawValue), adjusted_at = \(bind: now.epochMilliseconds), version = version + 1
                    WHERE user_id = \(bind: user.rawValue) AND month = \(bind: month.start.monthKey)
                    """).run()
            }
            new.version = (old?.version ?? 0) + 1
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: old == nil ? "create" : "update", entity: entity,
                                            entityID: user.rawValue, changes: old.map { AuditLog.diff(Self.fields(of: $0), Self.fields(of: new)) }
                                                ?? AuditLog.created(Self.fields(of: new)),
                                            address: address), in: sql)
            return new
        }
    }

    private static func fields(of adjustment: ForecastAdjustment) -> [(String, String?)] {
        [("month", adjustment.month.label), ("amountMinor", String(adjustment.amountMinor)), ("note", adjustment.note)]
    }

    private static func adjustment(from row: any SQLRow) throws -> ForecastAdjustment {
        ForecastAdjustment(userID: User.ID(try row.decode(column: "user_id", as: Int64.self)),
                           month: try Period(monthKey: try row.decode(column: "month", as: Int.self)),
                           amountMinor: try row.decode(column: "amount_minor", as: Int64.self), note: try row.decode(column: "note", as: String?.self),
                           adjustedBy: User.ID(try row.decode(column: "adjusted_by", as: Int64.self)),
                           adjustedAt: Date(epochMilliseconds: try row.decode(column: "adjusted_at", as: Int64.self)),
                           version: try row.decode(column: "version", as: Int64.self))
    }
}
