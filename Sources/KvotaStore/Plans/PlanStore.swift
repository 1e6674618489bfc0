import Foundation
import KvotaCore
import SQLKit

/// Which plans a list shows: those overlapping a range of days, about a subject, in a status.
public struct PlanFilter: Hashable, Sendable {
    /// Plans with at least one day in `[from, through]`.
    public var from: LocalDate?
    public var through: LocalDate?
    public var subject: PlanSubject?
    public var grain: PeriodGrain?
    public var status: Plan.Status?

    public init(from: LocalDate? = nil, through: LocalDate? = nil, subject: PlanSubject? = nil, grain: PeriodGrain? = nil,
                status: Plan.Status? = nil) {
        self.from = from; self.through = through; self.subject = subject; self.grain = grain; self.status = status
    }
}

/// Sales plans: written as drafts, approved, and changed after approval only with a reason the audit trail keeps.
/// Who may see and set which plan is `AccessPolicy`'s `.plan` reach; every function here asks it first.
extension Database {
    public func plans(for actor: Actor, filter: PlanFilter = PlanFilter()) async throws -> [Plan] {
        _ = try AccessPolicy.require(actor, .list, .plan)
        var conditions: [SQLQueryString] = [RecordAccess.planCondition(actor, .list, row: "p")]
        if let from = filter.from { conditions.append("p.ends_before > \(bind: from.key)") }
        if let through = filter.through { conditions.append("p.starts_on <= \(bind: through.key)") }
        if let subject = filter.subject { conditions.append(Self.subjectCondition(subject, row: "p")) }
        if let grain = filter.grain { conditions.append("p.grain = \(bind: grain.rawValue)") }
        if let status = filter.status { conditions.append("p.status = \(bind: status.rawValue)") }
        return try await read { sql in
            let rows = try await sql.raw("""
                SELECT \(unsafeRaw: Self.planColumns) FROM plans p WHERE \(conditions.joined(separator: " AND "))
                ORDER BY p.starts_on DESC, p.subject_kind, p.team_id, p.user_id, p.id LIMIT 1000
                """).all()
            return try await Self.plans(from: rows, in: sql)
        }
    }

    public func plan(_ id: Plan.ID, for actor: Actor) async throws -> Plan {
        let plan = try await read { sql in try await Self.plan(id, in: sql) }
        guard let plan else { throw AccessDenied.notFound(.plan, id: id.rawValue) }
        try AccessPolicy.require(actor, .read, planAbout: plan.subject, id: id.rawValue)
        return plan
    }

    /// The plan about `subject` for exactly `period`, if there is one the actor may read.
    public func plan(about subject: PlanSubject, period: Period, for actor: Actor) async throws -> Plan? {
        guard AccessPolicy.scope(actor, .read, .plan).allows(subject) else { return nil }
        return try await read { sql in
            let rows = try await sql.raw("""
                SELECT \(unsafeRaw: Self.planColumns) FROM plans p
                WHERE \(Self.subjectCondition(subject, row: "p")) AND p.grain = \(bind: period.grain.rawValue)
                    AND p.starts_on = \(bind: period.start.key)
                """).all()
            return try await Self.plans(from: rows, in: sql).first
        }
    }

    /// A new draft plan. `problems` carries what the caller already found wrong with the input, so every problem is
    /// answered at once.
    public func addPlan(_ draft: PlanDraft, problems: ValidationFailure.Collector = .init(), by actor: Actor, at now: Date,
                        address: String? = nil) async throws -> Plan {
        _ = try AccessPolicy.require(actor, .create, .plan)
        guard AccessPolicy.scope(actor, .create, .plan).allows(draft.subject) else { throw AccessDenied.forbidden(.create, .plan) }
        var errors = problems
        let draft = draft.checked(into: &errors)
        return try await write { sql in
            try await Self.checkReferences(draft, in: sql, into: &errors)
            if let other = try await Self.planID(about: draft.subject, period: draft.period, in: sql) {
                errors.check(false, "period", "\(draft.subject) already has a plan for \(draft.period.label) (plan \(other))")
            }
            try errors.finish()
            return try await Self.insertPlan(draft, parentID: nil, by: actor, at: now, address: address, in: sql)
        }
    }

    /// Writes a new draft with its audit line; the caller has checked it.
    static func insertPlan(_ draft: PlanDraft, parentID: Plan.ID?, by actor: Actor, at now: Date, address: String?,
                           in sql: any SQLDatabase) async throws -> Plan {
        let (team, user) = subjectIDs(draft.subject)
        let row = try await sql.raw("""
            INSERT INTO plans (grain, starts_on, ends_before, subject_kind, team_id, user_id, status, parent_id, note, created_at)
            VALUES (\(bind: draft.period.grain.rawValue), \(bind: draft.period.start.key), \(bind: draft.period.end.key),
                    \(bind: draft.subject.kind), \(bind: team), \(bind: user), 'draft', \(bind: parentID?.rawValue), \(bind: draft.note),
                    \(bind: now.epochMilliseconds))
            RETURNING id
            """).first()
        let id = Plan.ID(try row!.decode(column: "id", as: Int64.self))
        try await writeTargets(draft, of: id, in: sql)
        let plan = Plan(id: id, period: draft.period, subject: draft.subject, parentID: parentID, note: draft.note, targets: draft.targets,
                        rows: draft.rows, createdAt: now)
        try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "plan", entityID: id.rawValue,
                                        changes: AuditLog.created(fields(of: plan)), address: address), in: sql)
        return plan
    }

    /// New targets, rows or note for a plan. An approved plan stays approved but changes only with a `reason`, which
    /// the audit line of the change keeps.
    public func updatePlan(_ id: Plan.ID, targets: [PlanTarget]?, rows: [PlanRow]?, note: String??, reason: String?,
                           problems: ValidationFailure.Collector = .init(), expectedVersion: Int64?, by actor: Actor, at now: Date,
                           address: String? = nil) async throws -> Plan {
        try await write { sql in
            try await sql.lockForChange("plans", id: id.rawValue)
            guard let old = try await Self.plan(id, in: sql) else { throw AccessDenied.notFound(.plan, id: id.rawValue) }
            try AccessPolicy.require(actor, .update, planAbout: old.subject, id: id.rawValue)
            try VersionConflict.check(.plan, id: id.rawValue, expected: expectedVersion, current: old.version)
            var errors = problems
            var draft = PlanDraft(period: old.period, subject: old.subject, targets: targets ?? old.targets, rows: rows ?? old.rows,
                                  note: note ?? old.note)
            draft = draft.checked(into: &errors)
            let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
            if old.status == .approved {
                errors.check(!(reason ?? "").isEmpty, "reason", "an approved plan changes only with a reason")
            }
            errors.check((reason?.count ?? 0) <= 500, "reason", "at most 500 characters")
            try await Self.checkReferences(draft, in: sql, into: &errors)
            try errors.finish()
            var new = old
            new.targets = draft.targets; new.rows = draft.rows; new.note = draft.note
            let changes = AuditLog.diffByName(Self.fields(of: old), Self.fields(of: new))
            guard !changes.isEmpty else { return old }
            new.version = old.version + 1
            try await sql.raw("""
                UPDATE plans SET note = \(bind: new.note), version = version + 1 WHERE id = \(bind: id.rawValue)
                """).run()
            try await sql.raw("DELETE FROM plan_targets WHERE plan_id = \(bind: id.rawValue)").run()
            try await sql.raw("DELETE FROM plan_rows WHERE plan_id = \(bind: id.rawValue)").run()
            try await Self.writeTargets(draft, of: id, in: sql)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: old.status == .approved ? "revise" : "update",
                                            entity: "plan", entityID: id.rawValue, changes: changes,
                                            detail: (reason ?? "").isEmpty ? nil : reason, address: address), in: sql)
            return new
        }
    }

    /// Approves a draft: from now on it is locked (`updatePlan` asks for a reason).
    public func approvePlan(_ id: Plan.ID, expectedVersion: Int64?, by actor: Actor, at now: Date, address: String? = nil) async throws -> Plan {
        try await write { sql in
            try await sql.lockForChange("plans", id: id.rawValue)
            guard let old = try await Self.plan(id, in: sql) else { throw AccessDenied.notFound(.plan, id: id.rawValue) }
            try AccessPolicy.require(actor, .update, planAbout: old.subject, id: id.rawValue)
            try VersionConflict.check(.plan, id: id.rawValue, expected: expectedVersion, current: old.version)
            var errors = ValidationFailure.Collector()
            errors.check(old.status == .draft, "status", "plan \(id) is already approved")
            try errors.finish()
            var new = old
            new.status = .approved; new.approvedAt = now; new.approvedBy = actor.userID; new.version = old.version + 1
            try await sql.raw("""
                UPDATE plans SET status = 'approved', approved_at = \(bind: now.epochMilliseconds), approved_by = \(bind: actor.userID.rawValue),
                    version = version + 1
                WHERE id = \(bind: id.rawValue)
                """).run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "approve", entity: "plan", entityID: id.rawValue,
                                            changes: AuditLog.diffByName(Self.fields(of: old), Self.fields(of: new)), address: address), in: sql)
            try await WebhookOutbox.enqueue(.planApproved, WebhookOutbox.plan(new), by: actor.userID, at: now, in: sql)
            return new
        }
    }

    /// Deletes a draft; an approved plan is kept (change it with a reason instead).
    public func deletePlan(_ id: Plan.ID, expectedVersion: Int64?, by actor: Actor, at now: Date, address: String? = nil) async throws {
        try await write { sql in
            try await sql.lockForChange("plans", id: id.rawValue)
            guard let old = try await Self.plan(id, in: sql) else { throw AccessDenied.notFound(.plan, id: id.rawValue) }
            try AccessPolicy.require(actor, .delete, planAbout: old.subject, id: id.rawValue)
            try VersionConflict.check(.plan, id: id.rawValue, expected: expectedVersion, current: old.version)
            var errors = ValidationFailure.Collector()
            errors.check(old.status == .draft, "status", "an approved plan is not deleted; change it with a reason instead")
            errors.check(try await sql.raw("SELECT 1 AS one FROM plans WHERE parent_id = \(bind: id.rawValue)").first() == nil,
                         "id", "plan \(id) has plans split from it; delete those first")
            try errors.finish()
            try await DeletionRules.clear("plans", id: id.rawValue, kind: "plan", in: sql)
            try await sql.raw("DELETE FROM plans WHERE id = \(bind: id.rawValue)").run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "delete", entity: "plan", entityID: id.rawValue,
                                            changes: AuditLog.deleted(Self.fields(of: old)), address: address), in: sql)
        }
    }

    // MARK: - Rows

    static let planColumns = """
        p.id, p.grain, p.starts_on, p.subject_kind, p.team_id, p.user_id, p.status, p.parent_id, p.note, p.created_at,
        p.approved_at, p.approved_by, p.version
        """

    static func plan(_ id: Plan.ID, in sql: any SQLDatabase) async throws -> Plan? {
        let rows = try await sql.raw("SELECT \(unsafeRaw: planColumns) FROM plans p WHERE p.id = \(bind: id.rawValue)").all()
        return try await plans(from: rows, in: sql).first
    }

    static func planID(about subject: PlanSubject, period: Period, in sql: any SQLDatabase) async throws -> Plan.ID? {
        try await sql.raw("""
            SELECT p.id FROM plans p WHERE \(subjectCondition(subject, row: "p")) AND p.grain = \(bind: period.grain.rawValue)
                AND p.starts_on = \(bind: period.start.key)
            """).first().map { Plan.ID(try $0.decode(column: "id", as: Int64.self)) }
    }

    /// Plans with their targets and rows, in the order of `rows`.
    static func plans(from rows: [any SQLRow], in sql: any SQLDatabase) async throws -> [Plan] {
        var plans = try rows.map(planHead(from:))
        guard !plans.isEmpty else { return [] }
        let ids = SQLQueryString.list(plans.map(\.id.rawValue)[...])
        var targets: [Plan.ID: [PlanTarget]] = [:]
        for row in try await sql.raw("SELECT plan_id, measure, target FROM plan_targets WHERE plan_id IN \(ids)").all() {
            let measure = try decodeMeasure(row)
            targets[Plan.ID(try row.decode(column: "plan_id", as: Int64.self)), default: []]
                .append(PlanTarget(measure, try row.decode(column: "target", as: Int64.self)))
        }
        var breakdown: [Plan.ID: [PlanRow]] = [:]
        for row in try await sql.raw("""
            SELECT plan_id, dimension, key_id, measure, target FROM plan_rows WHERE plan_id IN \(ids) ORDER BY plan_id, id
            """).all() {
            let key = try row.decode(column: "dimension", as: String.self)
            guard let dimension = PlanDimension(rawValue: key) else { throw StoreError.query("plan_rows.dimension: unknown '\(key)'") }
            breakdown[Plan.ID(try row.decode(column: "plan_id", as: Int64.self)), default: []]
                .append(PlanRow(dimension, try row.decode(column: "key_id", as: Int64.self), try decodeMeasure(row),
                                try row.decode(column: "target", as: Int64.self)))
        }
        let order = PlanMeasure.allCases
        for index in plans.indices {
            plans[index].targets = (targets[plans[index].id] ?? []).sorted {
                order.firstIndex(of: $0.measure)! < order.firstIndex(of: $1.measure)!
            }
            plans[index].rows = breakdown[plans[index].id] ?? []
        }
        return plans
    }

    private static func decodeMeasure(_ row: any SQLRow) throws -> PlanMeasure {
        let key = try row.decode(column: "measure", as: String.self)
        guard let measure = PlanMeasure(rawValue: key) else { throw StoreError.query("plan measure: unknown '\(key)'") }
        return measure
    }

    private static func planHead(from row: any SQLRow) throws -> Plan {
        let grainKey = try row.decode(column: "grain", as: String.self)
        guard let grain = PeriodGrain(rawValue: grainKey) else { throw StoreError.query("plans.grain: unknown '\(grainKey)'") }
        let statusKey = try row.decode(column: "status", as: String.self)
        guard let status = Plan.Status(rawValue: statusKey) else { throw StoreError.query("plans.status: unknown '\(statusKey)'") }
        let subject: PlanSubject
        switch try row.decode(column: "subject_kind", as: String.self) {
        case "team": subject = .team(Team.ID(try row.decode(column: "team_id", as: Int64.self)))
        case "user": subject = .user(User.ID(try row.decode(column: "user_id", as: Int64.self)))
        default: subject = .company
        }
        return Plan(id: .init(try row.decode(column: "id", as: Int64.self)),
                    period: Period(grain, from: try LocalDate(key: try row.decode(column: "starts_on", as: Int.self))),
                    subject: subject, status: status, parentID: try row.decode(column: "parent_id", as: Int64?.self).map { Plan.ID($0) },
                    note: try row.decode(column: "note", as: String?.self), targets: [],
                    createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
                    approvedAt: try row.decode(column: "approved_at", as: Int64?.self).map(Date.init(epochMilliseconds:)),
                    approvedBy: try row.decode(column: "approved_by", as: Int64?.self).map { User.ID($0) },
                    version: try row.decode(column: "version", as: Int64.self))
    }

    /// Written in the terms of the unique index `plans_subject_period` (kind, COALESCE(team_id, 0), COALESCE(user_id, 0),
    /// grain, start), which a plain `user_id = ?` cannot use past the kind: a person's plans were found among every
    /// person's (9 ms a read at scale L, once per rep in a round of forecasts). A plan about a person has no team and
    /// one about a team no person (`subjectIDs`), so the conditions say the same.
    static func subjectCondition(_ subject: PlanSubject, row: String) -> SQLQueryString {
        let (team, user) = subjectIDs(subject)
        return """
            \(ident: row).subject_kind = \(bind: subject.kind) AND COALESCE(\(ident: row).team_id, 0) = \(bind: team ?? 0)
            AND COALESCE(\(ident: row).user_id, 0) = \(bind: user ?? 0)
            """
    }

    private static func subjectIDs(_ subject: PlanSubject) -> (team: Int64?, user: Int64?) {
        switch subject {
        case .company: (nil, nil)
        case .team(let id): (id.rawValue, nil)
        case .user(let id): (nil, id.rawValue)
        }
    }

    private static func writeTargets(_ draft: PlanDraft, of id: Plan.ID, in sql: any SQLDatabase) async throws {
        for target in draft.targets {
            try await sql.raw("""
                INSERT INTO plan_targets (plan_id, measure, target) VALUES (\(bind: id.rawValue), \(bind: target.measure.rawValue), \(bind: target.target))
                """).run()
        }
        for row in draft.rows {
            try await sql.raw("""
                INSERT INTO plan_rows (plan_id, dimension, key_id, measure, target)
                VALUES (\(bind: id.rawValue), \(bind: row.dimension.rawValue), \(bind: row.key), \(bind: row.measure.rawValue), \(bind: row.target))
                """).run()
        }
    }

    /// The subject and every row's account, region, category or channel must exist.
    private static func checkReferences(_ draft: PlanDraft, in sql: any SQLDatabase, into errors: inout ValidationFailure.Collector) async throws {
        switch draft.subject {
        case .company: break
        case .team(let id):
            errors.check(try await exists("teams", id.rawValue, in: sql), "scope", "no team \(id)")
        case .user(let id):
            errors.check(try await exists("users", id.rawValue, in: sql), "scope", "no user \(id)")
        }
        let tables: [PlanDimension: String] = [.account: "accounts", .region: "regions", .category: "product_categories", .channel: "channels"]
        for dimension in PlanDimension.allCases {
            let keys = Set(draft.rows.filter { $0.dimension == dimension && $0.key > 0 }.map(\.key))
            guard !keys.isEmpty else { continue }
            let found = Set(try await sql.raw("""
                SELECT id FROM \(ident: tables[dimension]!) WHERE id IN \(SQLQueryString.list(keys.sorted()[...]))
                """).all().map { try $0.decode(column: "id", as: Int64.self) })
            for (index, row) in draft.rows.enumerated() where row.dimension == dimension && row.key > 0 && !found.contains(row.key) {
                errors.check(false, "rows[\(index)].key", "no \(dimension.rawValue) \(row.key)")
            }
        }
    }

    static func exists(_ table: String, _ id: Int64, in sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw("SELECT 1 AS one FROM \(ident: table) WHERE id = \(bind: id)").first() != nil
    }

    private static func fields(of plan: Plan) -> [(String, String?)] {
        [("period", plan.period.label), ("scope", plan.subject.description), ("status", plan.status.rawValue), ("note", plan.note)]
            + plan.targets.map { ("targets.\($0.measure.rawValue)", String($0.target)) }
            + plan.rows.map { ("rows.\($0.dimension.rawValue):\($0.key).\($0.measure.rawValue)", String($0.target)) }
    }
}
