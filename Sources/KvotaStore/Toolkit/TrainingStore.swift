import Foundation
import KvotaCore
import SQLKit

/// What may change in a training record (nil: unchanged; `endsOn`, `mentor` and `score` `.some(nil)` clear).
public struct TrainingPatch: Sendable {
    public var kind: TrainingRecord.Kind?
    public var title: String?
    public var startsOn: LocalDate?
    public var endsOn: LocalDate??
    public var mentorID: User.ID??
    public var result: TrainingRecord.Result?
    public var score: Int??
    public var notes: String?

    public init() {}
}

/// Training records and the onboarding checklist. A record and a rep's ticks are the rep's, reached through
/// `AccessPolicy`'s `.training` and `.onboarding` as owned records are; the checklist's steps are `.onboardingStep`.
extension Database {
    /// The records the actor may see, of one person or all, newest first; `from`/`through` bound their start.
    public func trainingRecords(for actor: Actor, user: User.ID? = nil, from: LocalDate? = nil,
                                through: LocalDate? = nil) async throws -> [TrainingRecord] {
        _ = try AccessPolicy.require(actor, .list, .training)
        return try await read { sql in
            var parts: [SQLQueryString] = [RecordAccess.condition(actor, .read, .training, row: "t")]
            if let user { parts.append("t.user_id = \(bind: user.rawValue)") }
            if let from { parts.append("t.starts_on >= \(bind: from.key)") }
            if let through { parts.append("t.starts_on <= \(bind: through.key)") }
            return try await Self.trainingRecords(parts.joined(separator: " AND "), in: sql)
        }
    }

    /// Adds a record for `patch`'s person (`user`); kind, title, start and result are required.
    public func addTrainingRecord(user: User.ID?, _ patch: TrainingPatch, problems: ValidationFailure.Collector = .init(), by actor: Actor,
                                  at now: Date, address: String? = nil) async throws -> TrainingRecord {
        _ = try AccessPolicy.require(actor, .create, .training)
        var errors = problems
        errors.check(user != nil || problems.has("userId"), "userId", "is required")
        errors.check(patch.kind != nil || problems.has("kind"), "kind", "is required (course, webinar or mentoring)")
        errors.check(patch.startsOn != nil || problems.has("startsOn"), "startsOn", "is required")
        if let user, !AccessPolicy.allows(actor, .create, .training, owner: user) {
            throw AccessDenied.forbidden(.create, .training)
        }
        return try await write { sql in
            if let user { errors.check(try await Self.exists("users", user.rawValue, in: sql), "userId", "no user \(user)") }
            let record = TrainingRecord(id: 0, userID: user ?? 0, kind: patch.kind ?? .course,
                                        title: patch.title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "",
                                        startsOn: patch.startsOn ?? LocalDate(dayNumber: 0), endsOn: patch.endsOn ?? nil, mentorID: patch.mentorID ?? nil,
                                        result: patch.result ?? .planned, score: patch.score ?? nil, notes: patch.notes ?? "")
            try await Self.check(record, old: nil, into: &errors, in: sql)
            try errors.finish()
            let row = try await sql.raw("""
                INSERT INTO training_records (user_id, kind, title, starts_on, ends_on, mentor_id, result, score, notes, created_at, created_by)
                VALUES (\(bind: record.userID.rawValue), \(bind: record.kind.rawValue), \(bind: record.title), \(bind: record.startsOn.key),
                        \(bind: record.endsOn?.key), \(bind: record.mentorID?.rawValue), \(bind: record.result.rawValue), \(bind: record.score),
                        \(bind: record.notes), \(bind: now.epochMilliseconds), \(bind: actor.userID.rawValue))
                RETURNING id
                """).first()
            var made = record
            made.id = .init(try row!.decode(column: "id", as: Int64.self))
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "training record", entityID: made.id.rawValue,
                                            changes: AuditLog.created(Self.fields(of: made)), address: address), in: sql)
            return made
        }
    }

    public func updateTrainingRecord(_ id: TrainingRecord.ID, _ patch: TrainingPatch, problems: ValidationFailure.Collector = .init(),
                                     expectedVersion: Int64?, by actor: Actor, at now: Date, address: String? = nil) async throws -> TrainingRecord {
        try await write { sql in
            try await sql.lockForChange("training_records", id: id.rawValue)
            let old = try await Self.trainingRecord(id, actor, .update, in: sql)
            try VersionConflict.check(.training, id: id.rawValue, expected: expectedVersion, current: old.version)
            var errors = problems, new = old
            if let kind = patch.kind { new.kind = kind }
            if let title = patch.title { new.title = title.trimmingCharacters(in: .whitespacesAndNewlines) }
            if let startsOn = patch.startsOn { new.startsOn = startsOn }
            if let endsOn = patch.endsOn { new.endsOn = endsOn }
            if let mentor = patch.mentorID { new.mentorID = mentor }
            if let result = patch.result { new.result = result }
            if let score = patch.score { new.score = score }
            if let notes = patch.notes { new.notes = notes }
            try await Self.check(new, old: old, into: &errors, in: sql)
            try errors.finish()
            let changes = AuditLog.diff(Self.fields(of: old), Self.fields(of: new))
            guard !changes.isEmpty else { return old }
            new.version = old.version + 1
            try await sql.raw("""
                UPDATE training_records SET kind = \(bind: new.kind.rawValue), title = \(bind: new.title), starts_on = \(bind: new.startsOn.key),
                    ends_on = \(bind: new.endsOn?.key), mentor_id = \(bind: new.mentorID?.rawValue), result = \(bind: new.result.rawValue),
                    score = \(bind: new.score), notes = \(bind: new.notes), version = version + 1
                WHERE id = \(bind: id.rawValue)
                """).run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "training record", entityID: id.rawValue,
                                            changes: changes, address: address), in: sql)
            return new
        }
    }

    public func deleteTrainingRecord(_ id: TrainingRecord.ID, by actor: Actor, at now: Date, address: String? = nil) async throws {
        try await write { sql in
            let old = try await Self.trainingRecord(id, actor, .delete, in: sql)
            try await sql.raw("DELETE FROM training_records WHERE id = \(bind: id.rawValue)").run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "delete", entity: "training record", entityID: id.rawValue,
                                            changes: AuditLog.deleted(Self.fields(of: old)), address: address), in: sql)
        }
    }

    // MARK: - Onboarding

    /// The checklist's steps in order; retired ones only with `all`.
    public func onboardingSteps(for actor: Actor, all: Bool = false) async throws -> [OnboardingStep] {
        _ = try AccessPolicy.require(actor, .list, .onboardingStep)
        return try await read { sql in try await Self.onboardingSteps(activeOnly: !all, in: sql) }
    }

    /// Adds a step at the end of the checklist.
    public func addOnboardingStep(text: String?, by actor: Actor, at now: Date, address: String? = nil) async throws -> OnboardingStep {
        _ = try AccessPolicy.require(actor, .create, .onboardingStep)
        let text = text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        var errors = ValidationFailure.Collector()
        errors.check(!text.isEmpty && text.count <= 500, "text", "expected 1 to 500 characters")
        try errors.finish()
        return try await write { sql in
            let last = try await sql.raw("SELECT MAX(position) AS last FROM onboarding_steps").first()?.decode(column: "last", as: Int?.self)
            let position = (last ?? 0) + 1
            let row = try await sql.raw("""
                INSERT INTO onboarding_steps (text, position, created_at) VALUES (\(bind: text), \(bind: position), \(bind: now.epochMilliseconds))
                RETURNING id
                """).first()
            let step = OnboardingStep(id: .init(try row!.decode(column: "id", as: Int64.self)), text: text, position: position)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "onboarding step", entityID: step.id.rawValue,
                                            changes: AuditLog.created([("text", text), ("position", String(position))]), address: address), in: sql)
            return step
        }
    }

    /// Retires a step: new checklists no longer show it; the ticks already made stay in the trail.
    public func retireOnboardingStep(_ id: OnboardingStep.ID, by actor: Actor, at now: Date, address: String? = nil) async throws {
        _ = try AccessPolicy.require(actor, .update, .onboardingStep)
        try await write { sql in
            guard try await Self.exists("onboarding_steps", id.rawValue, in: sql) else { throw AccessDenied.notFound(.onboardingStep, id: id.rawValue) }
            try await sql.raw("UPDATE onboarding_steps SET active = FALSE WHERE id = \(bind: id.rawValue)").run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "onboarding step", entityID: id.rawValue,
                                            changes: [.init("active", old: "true", new: "false")], address: address), in: sql)
        }
    }

    /// A person's checklist: every active step, ticked or not.
    public func onboarding(of user: User.ID, for actor: Actor) async throws -> Onboarding {
        try AccessPolicy.require(actor, .read, .onboarding, id: user.rawValue, owner: user)
        return try await read { sql in
            var ticks: [Int64: (Date, User.ID?)] = [:]
            for row in try await sql.raw("SELECT step_id, done_at, done_by FROM onboarding_checks WHERE user_id = \(bind: user.rawValue)").all() {
                ticks[try row.decode(column: "step_id", as: Int64.self)] = (Date(epochMilliseconds: try row.decode(column: "done_at", as: Int64.self)),
                                                                            try row.decode(column: "done_by", as: Int64?.self).map { User.ID($0) })
            }
            return Onboarding(userID: user, items: try await Self.onboardingSteps(activeOnly: true, in: sql).map { step in
                Onboarding.Item(step: step, doneAt: ticks[step.id.rawValue]?.0, doneBy: ticks[step.id.rawValue]?.1)
            })
        }
    }

    /// Ticks a step for a person (or takes the tick back); ticking twice keeps the first tick.
    public func tickOnboarding(of user: User.ID, step: OnboardingStep.ID, done: Bool, by actor: Actor, at now: Date,
                               address: String? = nil) async throws -> Onboarding {
        try AccessPolicy.require(actor, .update, .onboarding, id: user.rawValue, owner: user)
        try await write { sql in
            guard try await sql.raw("SELECT 1 AS one FROM onboarding_steps WHERE id = \(bind: step.rawValue) AND active = TRUE").first() != nil else {
                throw ValidationFailure([.invalid(field: "stepId", reason: "no onboarding step \(step)")])
            }
            if done {
                try await sql.raw("""
                    INSERT INTO onboarding_checks (user_id, step_id, done_at, done_by)
                    VALUES (\(bind: user.rawValue), \(bind: step.rawValue), \(bind: now.epochMilliseconds), \(bind: actor.userID.rawValue))
                    ON CONFLICT DO NOTHING
                    """).run()
            } else {
                try await sql.raw("DELETE FROM onboarding_checks WHERE user_id = \(bind: user.rawValue) AND step_id = \(bind: step.rawValue)").run()
            }
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "onboarding", entityID: user.rawValue,
                                            changes: [.init("step \(step)", old: nil, new: done ? "done" : "not done")], address: address), in: sql)
        }
        return try await onboarding(of: user, for: actor)
    }

    // MARK: - Rows

    private static func check(_ record: TrainingRecord, old: TrainingRecord?, into errors: inout ValidationFailure.Collector,
                              in sql: any SQLDatabase) async throws {
        record.check(into: &errors)
        if let mentor = record.mentorID, mentor != old?.mentorID {
            errors.check(try await exists("users", mentor.rawValue, in: sql), "mentorId", "no user \(mentor)")
        }
    }

    private static func trainingRecord(_ id: TrainingRecord.ID, _ actor: Actor, _ action: AccessAction,
                                       in sql: any SQLDatabase) async throws -> TrainingRecord {
        guard let record = try await trainingRecords("t.id = \(bind: id.rawValue)", in: sql).first else {
            throw AccessDenied.notFound(.training, id: id.rawValue)
        }
        try AccessPolicy.require(actor, action, .training, id: id.rawValue, owner: record.userID)
        return record
    }

    private static func fields(of record: TrainingRecord) -> [(String, String?)] {
        [("userId", String(record.userID.rawValue)), ("kind", record.kind.rawValue), ("title", record.title), ("startsOn", record.startsOn.iso),
         ("endsOn", record.endsOn?.iso), ("mentorId", record.mentorID.map { String($0.rawValue) }), ("result", record.result.rawValue),
         ("score", record.score.map(String.init)), ("notes", record.notes)]
    }

    private static func trainingRecords(_ condition: SQLQueryString, in sql: any SQLDatabase) async throws -> [TrainingRecord] {
        try await sql.raw("""
            SELECT t.id, t.user_id, t.kind, t.title, t.starts_on, t.ends_on, t.mentor_id, t.result, t.score, t.notes, t.version
            FROM training_records t WHERE \(condition) ORDER BY t.starts_on DESC, t.id DESC
            """).all().map { row in
            let kindKey = try row.decode(column: "kind", as: String.self), resultKey = try row.decode(column: "result", as: String.self)
            guard let kind = TrainingRecord.Kind(rawValue: kindKey), let result = TrainingRecord.Result(rawValue: resultKey) else {
                throw StoreError.query("training_records: unknown kind '\(kindKey)' or result '\(resultKey)'")
            }
            return TrainingRecord(id: .init(try row.decode(column: "id", as: Int64.self)), userID: User.ID(try row.decode(column: "user_id", as: Int64.self)),
                                  kind: kind, title: try row.decode(column: "title", as: String.self),
                                  startsOn: try LocalDate(key: try row.decode(column: "starts_on", as: Int.self)),
                                  endsOn: try row.decode(column: "ends_on", as: Int?.self).map { try LocalDate(key: $0) },
                                  mentorID: try row.decode(column: "mentor_id", as: Int64?.self).map { User.ID($0) }, result: result,
                                  score: try row.decode(column: "score", as: Int?.self), notes: try row.decode(column: "notes", as: String.self),
                                  version: try row.decode(column: "version", as: Int64.self))
        }
    }

    private static func onboardingSteps(activeOnly: Bool, in sql: any SQLDatabase) async throws -> [OnboardingStep] {
        let condition: SQLQueryString = activeOnly ? "WHERE active = TRUE" : ""
        return try await sql.raw("SELECT id, text, position, active FROM onboarding_steps \(condition) ORDER BY position, id").all().map { row in
            OnboardingStep(id: .init(try row.decode(column: "id", as: Int64.self)), text: try row.decode(column: "text", as: String.self),
                           position: try row.decode(column: "position", as: Int.self), active: try row.decode(column: "active", as: Bool.self))
        }
    }
}
