import Foundation
import KvotaCore
import SQLKit

/// What a split asks for (`POST /api/v1/plans/{id}/split`).
public struct PlanSplitRequest: Sendable {
    public var level: PlanSplit.Level
    public var method: PlanSplit.Method
    /// For a split by period: the grain of the parts (default: the next finer one).
    public var grain: PeriodGrain?
    /// For a manual split: the parts with their targets.
    public var parts: [PlanSplit.Part]
    /// Lets a manual split that does not add up through; the audit trail keeps it.
    public var overrideReason: String?
    /// Answer the proposal without writing it.
    public var dryRun: Bool

    public init(level: PlanSplit.Level, method: PlanSplit.Method, grain: PeriodGrain? = nil, parts: [PlanSplit.Part] = [],
                overrideReason: String? = nil, dryRun: Bool = false) {
        self.level = level; self.method = method; self.grain = grain; self.parts = parts; self.overrideReason = overrideReason
        self.dryRun = dryRun
    }
}

public struct PlanSplitResult: Sendable {
    public let parent: Plan
    public let parts: [PlanSplit.Part]
    public let checks: [PlanSplit.Check]
    /// The drafts written, in the order of `parts`; empty for a dry run.
    public let created: [Plan]
}

extension Database {
    /// Splits a plan one level down into draft plans that point at it. Equal and proportional splits add up exactly;
    /// a manual split that does not is refused unless `overrideReason` says why. Every part must be a plan the actor
    /// may set, and none may exist yet; all are written or none.
    public func splitPlan(_ id: Plan.ID, _ request: PlanSplitRequest, by actor: Actor, at now: Date,
                          address: String? = nil) async throws -> PlanSplitResult {
        let parent = try await plan(id, for: actor)
        var errors = ValidationFailure.Collector()
        let slots = try await splitSlots(of: parent, request, into: &errors)
        try errors.finish()
        let setter = AccessPolicy.scope(actor, .create, .plan)
        guard slots.allSatisfy({ setter.allows($0.subject) }) else { throw AccessDenied.forbidden(.create, .plan) }

        let parts = try await splitParts(parent, slots: slots, request, for: actor, into: &errors)
        try errors.finish()
        let checks = PlanSplit.checks(of: parts, against: parent.targets)
        let override = request.overrideReason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        for check in checks where check.remainder != 0 {
            errors.check(!override.isEmpty, "parts",
                         "the parts assign \(check.assigned) of \(check.target) \(check.measure.rawValue); make them add up or give overrideReason")
        }
        errors.check(override.count <= 500, "overrideReason", "at most 500 characters")
        try errors.finish()
        guard !request.dryRun else { return PlanSplitResult(parent: parent, parts: parts, checks: checks, created: []) }

        return try await write { sql in
            for (index, part) in parts.enumerated() {
                if let other = try await Self.planID(about: part.subject, period: part.period, in: sql) {
                    errors.check(false, "parts[\(index)]", "\(part.subject) already has a plan for \(part.period.label) (plan \(other))")
                }
            }
            try errors.finish()
            var created: [Plan] = []
            for part in parts {
                let draft = PlanDraft(period: part.period, subject: part.subject, targets: part.targets)
                created.append(try await Self.insertPlan(draft, parentID: parent.id, by: actor, at: now, address: address, in: sql))
            }
            var detail = "\(request.level.rawValue), \(request.method.rawValue), \(created.count) plans: "
                + created.map { String($0.id.rawValue) }.joined(separator: ", ")
            if checks.contains(where: { $0.remainder != 0 }) { detail += "; does not add up: \(override)" }
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "split", entity: "plan", entityID: parent.id.rawValue,
                                            detail: detail, address: address), in: sql)
            return PlanSplitResult(parent: parent, parts: parts, checks: checks, created: created)
        }
    }

    /// Who and when the parts are: the teams of the company (not the order desk's), the active reps of a team, or the
    /// shorter periods of the plan's own.
    private func splitSlots(of parent: Plan, _ request: PlanSplitRequest,
                            into errors: inout ValidationFailure.Collector) async throws -> [(subject: PlanSubject, period: Period)] {
        switch request.level {
        case .period:
            do {
                return try PlanSplit.periods(of: parent.period, grain: request.grain).map { (parent.subject, $0) }
            } catch {
                errors.check(false, error.field, error.reason)
                return []
            }
        case .subject:
            let ids: [Int64]
            switch parent.subject {
            case .user:
                errors.check(false, "by", "a user's plan does not split further by subject; split it by period")
                return []
            case .company:
                ids = try await read { sql in
                    try await sql.raw("SELECT id FROM teams WHERE kind <> 'order_desk' ORDER BY name, id").all()
                        .map { try $0.decode(column: "id", as: Int64.self) }
                }
                errors.check(!ids.isEmpty, "by", "there are no sales teams to split among")
                return ids.map { (.team(Team.ID($0)), parent.period) }
            case .team(let team):
                ids = try await read { sql in
                    try await sql.raw("""
                        SELECT id FROM users WHERE team_id = \(bind: team.rawValue) AND active = \(bind: true) AND role = 'rep' ORDER BY name, id
                        """).all().map { try $0.decode(column: "id", as: Int64.self) }
                }
                errors.check(!ids.isEmpty, "by", "team \(team) has no active reps to split among")
                return ids.map { (.user(User.ID($0)), parent.period) }
            }
        }
    }

    private func splitParts(_ parent: Plan, slots: [(subject: PlanSubject, period: Period)], _ request: PlanSplitRequest, for actor: Actor,
                            into errors: inout ValidationFailure.Collector) async throws -> [PlanSplit.Part] {
        switch request.method {
        case .manual:
            let planned = Set(parent.targets.map(\.measure))
            for (index, part) in request.parts.enumerated() {
                errors.check(slots.contains { $0.subject == part.subject && $0.period == part.period }, "parts[\(index)]",
                             "\(part.subject) for \(part.period.label) is not a part of this split")
                var seen: Set<PlanMeasure> = []
                for (t, target) in part.targets.enumerated() {
                    errors.check(planned.contains(target.measure), "parts[\(index)].targets[\(t)].measure",
                                 "\(target.measure.rawValue) has no target in this plan")
                    errors.check(seen.insert(target.measure).inserted, "parts[\(index)].targets[\(t)].measure",
                                 "\(target.measure.rawValue) is planned twice")
                    errors.check(target.target >= 0, "parts[\(index)].targets[\(t)].target", "must be 0 or more")
                }
            }
            errors.check(!request.parts.isEmpty, "parts", "a manual split needs its parts")
            let keys = request.parts.map { "\($0.subject)@\($0.period.label)" }
            errors.check(Set(keys).count == keys.count, "parts", "a part is given twice")
            return request.parts
        case .equal, .previous, .lastYear:
            var weights: [PlanMeasure: [Int64]] = [:]
            for target in parent.targets {
                weights[target.measure] = request.method == .equal
                    ? Array(repeating: 1, count: slots.count)
                    : try await basis(target.measure, parent: parent, slots: slots, method: request.method, for: actor, into: &errors)
            }
            var parts = slots.map { PlanSplit.Part(subject: $0.subject, period: $0.period, targets: []) }
            for target in parent.targets {
                guard let shares = PlanSplit.apportion(target.target, weights: weights[target.measure] ?? []) else {
                    if !(weights[target.measure] ?? []).isEmpty {
                        let measure = target.measure.rawValue
                        errors.check(false, "method", request.method == .previous
                            ? "there is no \(measure) in the previous period to split by; split equally or by hand"
                            : "there is no \(measure) in the same period a year earlier to split by; split equally or by hand")
                    }
                    continue
                }
                for index in parts.indices { parts[index].targets.append(PlanTarget(target.measure, shares[index])) }
            }
            return parts
        }
    }

    /// Each part's actual over its basis: the period before (for parts by period, the same place in the period
    /// before the plan's), or the same period a year earlier.
    private func basis(_ measure: PlanMeasure, parent: Plan, slots: [(subject: PlanSubject, period: Period)], method: PlanSplit.Method,
                       for actor: Actor, into errors: inout ValidationFailure.Collector) async throws -> [Int64] {
        var periods = slots.map { method == .lastYear ? $0.period.yearEarlier : $0.period.previous }
        if method == .previous && slots.first?.period != parent.period {
            let before = (try? PlanSplit.periods(of: parent.period.previous, grain: slots.first?.period.grain)) ?? []
            guard before.count == slots.count else {
                errors.check(false, "method", "the period before has \(before.count) parts and this one \(slots.count); split equally, by last year or by hand")
                return []
            }
            periods = before
        }
        var weights: [Int64] = []
        for (slot, period) in zip(slots, periods) {
            weights.append(try await actual(measure, of: slot.subject, over: DateWindow(period), for: actor))
        }
        return weights
    }
}
