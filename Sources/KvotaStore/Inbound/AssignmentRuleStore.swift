import Foundation
import KvotaCore
import SQLKit

/// The assignment rules (issue 9): everyone reads them, admins keep them. `assignOwner` applies them inside the
/// transaction that writes a request, so a round-robin turn is taken exactly once.
extension Database {
    public func assignmentRules(for actor: Actor) async throws -> [AssignmentRule] {
        _ = try AccessPolicy.require(actor, .list, .assignmentRule)
        return try await read { sql in try await Self.assignmentRules("TRUE", in: sql) }
    }

    public func addAssignmentRule(_ patch: AssignmentRulePatch, by actor: Actor, at now: Date, address: String? = nil) async throws -> AssignmentRule {
        _ = try AccessPolicy.require(actor, .create, .assignmentRule)
        var errors = ValidationFailure.Collector()
        errors.check(patch.kind != nil, "kind", "is required (region, source or any)")
        return try await write { sql in
            let last = try await sql.raw("SELECT MAX(position) AS p FROM assignment_rules").first()?.decode(column: "p", as: Int?.self)
            var rule = patch.applied(to: AssignmentRule(id: 0, kind: patch.kind ?? .any, position: (last ?? 0) + 1), into: &errors)
            try await Self.checkRule(rule, old: nil, in: sql, into: &errors)
            try errors.finish()
            let row = try await sql.raw("""
                INSERT INTO assignment_rules (kind, position, region_id, source, channel, user_id, team_id, active)
                VALUES (\(bind: rule.kind.rawValue), \(bind: rule.position), \(bind: rule.regionID?.rawValue), \(bind: rule.source?.rawValue),
                        \(bind: rule.channel), \(bind: rule.userID?.rawValue), \(bind: rule.teamID?.rawValue), \(bind: rule.active))
                RETURNING id
                """).first()
            rule.id = AssignmentRule.ID(try row!.decode(column: "id", as: Int64.self))
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "assignment rule", entityID: rule.id.rawValue,
                                            changes: AuditLog.created(Self.fields(of: rule)), address: address), in: sql)
            return rule
        }
    }

    public func updateAssignmentRule(_ id: AssignmentRule.ID, _ patch: AssignmentRulePatch, expectedVersion: Int64?, by actor: Actor, at now: Date,
                                     address: String? = nil) async throws -> AssignmentRule {
        _ = try AccessPolicy.require(actor, .update, .assignmentRule)
        return try await write { sql in
            try await sql.lockForChange("assignment_rules", id: id.rawValue)
            let old = try await Self.assignmentRule(id, in: sql)
            try VersionConflict.check(.assignmentRule, id: id.rawValue, expected: expectedVersion, current: old.version)
            var errors = ValidationFailure.Collector()
            var new = patch.applied(to: old, into: &errors)
            try await Self.checkRule(new, old: old, in: sql, into: &errors)
            try errors.finish()
            let changes = AuditLog.diff(Self.fields(of: old), Self.fields(of: new))
            guard !changes.isEmpty else { return old }
            new.version = old.version + 1
            try await sql.raw("""
                UPDATE assignment_rules SET kind = \(bind: new.kind.rawValue), position = \(bind: new.position), region_id = \(bind: new.regionID?.rawValue),
                    source = \(bind: new.source?.rawValue), channel = \(bind: new.channel), user_id = \(bind: new.userID?.rawValue),
                    team_id = \(bind: new.teamID?.rawValue), active = \(bind: new.active), last_user_id = \(bind: new.lastUserID?.rawValue),
                    version = version + 1
                WHERE id = \(bind: id.rawValue)
                """).run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "assignment rule", entityID: id.rawValue,
                                            changes: changes, address: address), in: sql)
            return new
        }
    }

    /// A rule that never assigned anything goes; one that did is kept for the requests that name it, and retired.
    public func deleteAssignmentRule(_ id: AssignmentRule.ID, expectedVersion: Int64?, by actor: Actor, at now: Date,
                                     address: String? = nil) async throws {
        _ = try AccessPolicy.require(actor, .delete, .assignmentRule)
        try await write { sql in
            try await sql.lockForChange("assignment_rules", id: id.rawValue)
            let old = try await Self.assignmentRule(id, in: sql)
            try VersionConflict.check(.assignmentRule, id: id.rawValue, expected: expectedVersion, current: old.version)
            // A rule that routed requests stays, inactive, so they still say how they were routed.
            if try await !DeletionRules.holders(of: "assignment_rules", ids: [id.rawValue], in: sql).isEmpty {
                try await sql.raw("UPDATE assignment_rules SET active = \(bind: false), version = version + 1 WHERE id = \(bind: id.rawValue)").run()
            } else {
                try await sql.raw("DELETE FROM assignment_rules WHERE id = \(bind: id.rawValue)").run()
            }
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "delete", entity: "assignment rule", entityID: id.rawValue,
                                            changes: AuditLog.deleted(Self.fields(of: old)), address: address), in: sql)
        }
    }

    /// Who a new request goes to (`LeadAssignment`), taking a round-robin turn when a team rule gives it.
    static func assignOwner(existingOwner: User.ID?, region: Region.ID?, source: LeadSource, channel: String?,
                            in sql: any SQLDatabase) async throws -> LeadAssignment.Outcome {
        let people = try await sql.raw("SELECT id, team_id, role, on_shift FROM users WHERE active = \(bind: true) ORDER BY id").all()
        var active = Set<User.ID>(), available = Set<User.ID>(), members: [Team.ID: [User.ID]] = [:]
        for row in people {
            let id = User.ID(try row.decode(column: "id", as: Int64.self))
            active.insert(id)
            // Round-robin deals to the people who sell; a head or an admin in the team takes a request only by name.
            guard try row.decode(column: "on_shift", as: Bool.self) else { continue }
            available.insert(id)
            if let team = try row.decode(column: "team_id", as: Int64?.self), try row.decode(column: "role", as: String.self) == Role.rep.rawValue {
                members[Team.ID(team), default: []].append(id)
            }
        }
        let regions = region == nil ? [] : try await regionChain(region!, in: sql)
        let request = LeadAssignment.Request(existingOwner: existingOwner, regions: regions, source: source, channel: channel)
        var outcome = LeadAssignment.assign(request, rules: try await assignmentRules("active = \(bind: true)", in: sql), active: active,
                                            available: available, members: members)
        if let rule = outcome.ruleID, outcome.roundRobinUser != nil {
            // Two requests at once must not both go to the same "next" member: the update takes the rule's row lock
            // (PostgreSQL; SQLite writes one at a time anyway), and the turn is read again under it.
            try await sql.raw("UPDATE assignment_rules SET version = version WHERE id = \(bind: rule.rawValue)").run()
            let locked = try await assignmentRule(rule, in: sql)
            outcome = LeadAssignment.assign(request, rules: [locked], active: active, available: available, members: members)
            try await sql.raw("UPDATE assignment_rules SET last_user_id = \(bind: outcome.ownerID?.rawValue) WHERE id = \(bind: rule.rawValue)").run()
        }
        return outcome
    }

    /// A region and its ancestors, nearest first.
    static func regionChain(_ region: Region.ID, in sql: any SQLDatabase) async throws -> [Region.ID] {
        let parents = try await sql.raw("SELECT id, parent_id FROM regions").all().reduce(into: [Int64: Int64?]()) { map, row in
            map[try row.decode(column: "id", as: Int64.self)] = try row.decode(column: "parent_id", as: Int64?.self)
        }
        var chain: [Region.ID] = []
        var next: Int64? = region.rawValue
        while let id = next, parents[id] != nil, !chain.contains(Region.ID(id)) {
            chain.append(Region.ID(id))
            next = parents[id] ?? nil
        }
        return chain
    }

    private static func checkRule(_ rule: AssignmentRule, old: AssignmentRule?, in sql: any SQLDatabase,
                                  into errors: inout ValidationFailure.Collector) async throws {
        if let region = rule.regionID, region != old?.regionID {
            errors.check(try await count(sql, "SELECT COUNT(*) AS n FROM regions WHERE id = \(bind: region.rawValue)") == 1, "regionId", "no region \(region)")
        }
        if let source = rule.source, source != old?.source { try await checkSource(source, in: sql, into: &errors) }
        if let user = rule.userID, user != old?.userID {
            errors.check(try await count(sql, "SELECT COUNT(*) AS n FROM users WHERE id = \(bind: user.rawValue) AND active = \(bind: true)") == 1,
                         "userId", "no active user \(user)")
        }
        if let team = rule.teamID, team != old?.teamID {
            errors.check(try await count(sql, "SELECT COUNT(*) AS n FROM teams WHERE id = \(bind: team.rawValue)") == 1, "teamId", "no team \(team)")
        }
    }

    static func assignmentRule(_ id: AssignmentRule.ID, in sql: any SQLDatabase) async throws -> AssignmentRule {
        guard let rule = try await assignmentRules("id = \(bind: id.rawValue)", in: sql).first else {
            throw AccessDenied.notFound(.assignmentRule, id: id.rawValue)
        }
        return rule
    }

    private static func assignmentRules(_ condition: SQLQueryString, in sql: any SQLDatabase) async throws -> [AssignmentRule] {
        try await sql.raw("""
            SELECT id, kind, position, region_id, source, channel, user_id, team_id, active, last_user_id, version FROM assignment_rules
            WHERE \(condition) ORDER BY kind, position, id
            """).all().map { row in
            let kind = try row.decode(column: "kind", as: String.self)
            guard let kind = AssignmentRule.Kind(rawValue: kind) else { throw StoreError.query("assignment_rules.kind: unknown kind '\(kind)'") }
            func id<T>(_ column: String) throws -> Identifier<T>? { try row.decode(column: column, as: Int64?.self).map { Identifier<T>($0) } }
            return AssignmentRule(id: .init(try row.decode(column: "id", as: Int64.self)), kind: kind, position: try row.decode(column: "position", as: Int.self),
                                  regionID: try id("region_id"), source: try row.decode(column: "source", as: String?.self).map(LeadSource.init(rawValue:)),
                                  channel: try row.decode(column: "channel", as: String?.self), userID: try id("user_id"), teamID: try id("team_id"),
                                  active: try row.decode(column: "active", as: Bool.self), lastUserID: try id("last_user_id"),
                                  version: try row.decode(column: "version", as: Int64.self))
        }
    }

    private static func fields(of rule: AssignmentRule) -> [(String, String?)] {
        [("kind", rule.kind.rawValue), ("position", String(rule.position)), ("regionId", rule.regionID?.description),
         ("source", rule.source?.rawValue), ("channel", rule.channel), ("userId", rule.userID?.description), ("teamId", rule.teamID?.description),
         ("active", String(rule.active))]
    }
}
