import Foundation
import KvotaCore
import SQLKit

/// One user's pay for one month: approved and stored, or worked out live from the schemes, plans and actuals.
public struct Payout: Sendable {
    public let userID: User.ID
    public let period: Period
    public let statement: PayStatement
    /// Nil while not approved: the statement is worked out anew on every read, to the day asked about.
    public let approvedAt: Date?
    public let approvedBy: User.ID?
}

/// What every payout of a request is worked out with, read once: the scheme versions, the company's zone and currency.
struct PayContext {
    let schemes: [CompensationScheme]
    let zone: TimeZone
    let currency: Currency
}

/// What an approved payout was worked out on, kept with it so a later clawback uses the same rules and targets.
struct PayBasis: Codable {
    struct Segment: Codable {
        let scheme: String
        let rules: PayRules
        let days: Int
    }

    let segments: [Segment]
    let targets: [String: Int64]
    /// The led teams' plan targets, for a plan bonus on the team's plan.
    var teamTargets: [String: Int64]? = nil

    var planTargets: [PlanMeasure: Int64] { Self.measures(targets) }
    var teamPlanTargets: [PlanMeasure: Int64] { Self.measures(teamTargets ?? [:]) }

    static func measures(_ values: [String: Int64]) -> [PlanMeasure: Int64] {
        Dictionary(values.compactMap { key, value in PlanMeasure(rawValue: key).map { ($0, value) } }, uniquingKeysWith: { a, _ in a })
    }

    static func keys(_ values: [PlanMeasure: Int64]) -> [String: Int64] {
        Dictionary(values.map { ($0.key.rawValue, $0.value) }, uniquingKeysWith: { a, _ in a })
    }
}

extension Database {
    /// The payouts of `period` (a month) the actor may see: for every active user with a scheme in force some day of
    /// it, the approved payout, or the statement to `asOf` worked out live.
    public func payouts(for actor: Actor, period: Period, asOf: LocalDate, user: User.ID? = nil) async throws -> [Payout] {
        let scope = try AccessPolicy.require(actor, .list, .payout)
        var candidates = try await users().filter { $0.active && scope.allows(owner: $0.id) }.map(\.id)
        if let user { candidates = candidates.filter { $0 == user } }
        let context = try await payContext()
        var payouts: [Payout] = []
        for candidate in candidates.sorted() {
            if let (payout, _) = try await workOut(candidate, period: period, asOf: asOf, context: context, for: actor) { payouts.append(payout) }
        }
        return payouts
    }

    /// Approves the month's payouts of these users (default: every one the actor sees with a scheme), worked out to
    /// the month's last day, and locks them. A payout already approved stays as it was.
    public func approvePayouts(period: Period, users: [User.ID]?, by actor: Actor, at now: Date, address: String? = nil) async throws -> [Payout] {
        _ = try AccessPolicy.require(actor, .create, .payout)
        var errors = ValidationFailure.Collector()
        errors.check(period.grain == .month, "period", "payouts are monthly; expected a month like 2026-11")
        try errors.finish()
        let context = try await payContext()
        let last = period.end.adding(days: -1)
        var worked: [(Payout, PayBasis)] = []
        var ids = users ?? []
        if users == nil { ids = try await self.users().filter(\.active).map(\.id) }
        for user in ids.sorted() {
            guard let (payout, basis) = try await workOut(user, period: period, asOf: last, context: context, for: actor) else {
                if users != nil { errors.check(false, "users", "user \(user) has no compensation scheme in \(period.label)") }
                continue
            }
            if payout.approvedAt == nil { worked.append((payout, basis)) }
        }
        try errors.finish()
        return try await write { sql in
            var approved: [Payout] = []
            for (payout, basis) in worked {
                let statement = String(decoding: try Self.payEncoder.encode(payout.statement.lines), as: UTF8.self)
                let row = try await sql.raw("""
                    INSERT INTO payouts (user_id, period_start, total, plan_bonus, statement, basis, approved_at, approved_by)
                    VALUES (\(bind: payout.userID.rawValue), \(bind: period.start.key), \(bind: payout.statement.total), \(bind: payout.statement.planBonus),
                            \(bind: statement), \(bind: String(decoding: try Self.payEncoder.encode(basis), as: UTF8.self)),
                            \(bind: now.epochMilliseconds), \(bind: actor.userID.rawValue))
                    RETURNING id
                    """).first()
                let id = try row!.decode(column: "id", as: Int64.self)
                for (from, amount) in Self.clawbacks(in: payout.statement) {
                    try await sql.raw("""
                        INSERT INTO payout_clawbacks (payout_id, from_period, amount) VALUES (\(bind: id), \(bind: from.start.key), \(bind: amount))
                        """).run()
                }
                try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "approve", entity: "payout", entityID: id,
                                                changes: [.init("user", old: nil, new: String(payout.userID.rawValue)),
                                                          .init("period", old: nil, new: period.label),
                                                          .init("total", old: nil, new: String(payout.statement.total))],
                                                address: address), in: sql)
                approved.append(Payout(userID: payout.userID, period: period, statement: payout.statement, approvedAt: now, approvedBy: actor.userID))
            }
            return approved
        }
    }

    func payContext() async throws -> PayContext {
        let (schemes, zone) = try await read { sql in (try await Self.schemes(in: sql), try await Self.timeZone(in: sql)) }
        return PayContext(schemes: schemes, zone: zone, currency: try await companySettings().baseCurrency)
    }

    /// The approved payout, or the statement worked out to `asOf` with what it was worked out on; nil when no scheme
    /// was in force any day of the month.
    /// `extra` is added to the month's actuals and to the actual of the week holding `asOf` (a what-if).
    /// `live` works the month out even when it was approved (a scheme's preview).
    func workOut(_ user: User.ID, period: Period, asOf: LocalDate, context: PayContext, extra: [PlanMeasure: Int64] = [:],
                 live: Bool = false, for actor: Actor) async throws -> (Payout, PayBasis)? {
        if extra.isEmpty, !live, let stored = try await storedPayout(of: user, period: period) { return stored }
        let days = Self.assignmentDays(try await assignments(of: user), zone: context.zone)
        let runs = CompensationScheme.segments(context.schemes, user: user, period: period, where: days)
        guard !runs.isEmpty else { return nil }
        let currency = context.currency
        let targets = try await approvedTargets(of: user, period: period)
        var measures: Set<PlanMeasure> = [.revenue, .margin]
        for run in runs {
            if let bonus = run.scheme.rules.planBonus { measures.insert(bonus.measure) }
            for item in run.scheme.rules.kpiBonus?.items ?? [] { measures.insert(item.measure) }
        }
        var actuals: [PlanMeasure: Int64] = [:]
        if let window = PlanProgress.window(period, asOf: asOf) {
            for measure in measures { actuals[measure] = try await actual(measure, owner: user, window: window, filter: AnalyticsFilter(), for: actor) }
        }
        for (measure, value) in extra { actuals[measure, default: 0] += value }
        var weeks: [PayInputs.Week] = []
        for week in (try? PlanSplit.periods(of: period, grain: .week)) ?? [] {
            let thursday = week.start.adding(days: 3)
            guard let bonus = runs.first(where: { $0.days.contains(thursday) })?.scheme.rules.weeklyBonus else { continue }
            let target = try await approvedTargets(of: user, period: week)[bonus.measure]
            let actual = try await PlanProgress.window(week, asOf: asOf).asyncMap {
                try await self.actual(bonus.measure, owner: user, window: $0, filter: AnalyticsFilter(), for: actor)
            } ?? 0
            let added = week.contains(asOf) ? extra[bonus.measure] ?? 0 : 0
            weeks.append(PayInputs.Week(period: week, bonus: bonus, target: target, actual: actual + added))
        }
        let segments = runs.map { PayInputs.Segment(scheme: $0.scheme.name, rules: $0.scheme.rules, days: $0.days.count) }
        let clawbacks = runs.contains { $0.scheme.rules.clawback }
            ? try await clawbacksDue(of: user, before: period, currency: currency, for: actor) : []
        let onTeam = segments.compactMap { $0.rules.planBonus }.filter { $0.plan == .team }
        var team: (targets: [PlanMeasure: Int64], actuals: [PlanMeasure: Int64]) = ([:], [:])
        if !onTeam.isEmpty, let window = PlanProgress.window(period, asOf: asOf) {
            team = try await teamFigures(ledBy: user, period: period, window: window, measures: Set(onTeam.map(\.measure)), for: actor)
            for (measure, value) in extra { team.actuals[measure, default: 0] += value }
        }
        // KPIs scored against targets: the month's facts to date, and the person's targets over the whole month.
        let onKPIs = Set(segments.flatMap { $0.rules.kpiBonus?.kpis ?? [] }.map(\.kpi))
        var kpiValues: [KPI: Double?] = [:], kpiTargets: [KPI: Double] = [:]
        if !onKPIs.isEmpty, let window = PlanProgress.window(period, asOf: asOf) {
            let month = try await self.facts(of: .user(user), over: window, asOf: asOf, context: try await kpiContext(asOf: asOf), for: actor)
            let inForce = try await self.kpiTargets(of: user, on: window.through)
            for kpi in onKPIs {
                kpiValues[kpi] = month.value(kpi)
                kpiTargets[kpi] = inForce[kpi]?.target(over: DateWindow(period))
            }
        }
        let inputs = PayInputs(period: period, currency: currency, segments: segments, targets: targets, actuals: actuals, weeks: weeks,
                               clawbacks: clawbacks, teamTargets: team.targets, teamActuals: team.actuals, kpiValues: kpiValues,
                               kpiTargets: kpiTargets)
        let basis = PayBasis(segments: segments.map { .init(scheme: $0.scheme, rules: $0.rules, days: $0.days) },
                             targets: PayBasis.keys(targets), teamTargets: onTeam.isEmpty ? nil : PayBasis.keys(team.targets))
        return (Payout(userID: user, period: period, statement: PayStatement(inputs), approvedAt: nil, approvedBy: nil), basis)
    }

    /// What earlier approved payouts (the last twelve) paid as plan bonus against what their rules and targets give on
    /// today's actuals, less what later payouts already took back.
    private func clawbacksDue(of user: User.ID, before period: Period, currency: Currency, for actor: Actor) async throws -> [PayInputs.Clawback] {
        let rows = try await read { sql in
            try await sql.raw("""
                SELECT p.period_start, p.plan_bonus, p.basis,
                       (SELECT CAST(COALESCE(SUM(c.amount), 0) AS BIGINT) FROM payout_clawbacks c JOIN payouts q ON q.id = c.payout_id
                        WHERE q.user_id = p.user_id AND c.from_period = p.period_start) AS taken
                FROM payouts p WHERE p.user_id = \(bind: user.rawValue) AND p.period_start < \(bind: period.start.key)
                ORDER BY p.period_start DESC LIMIT 12
                """).all()
        }
        var due: [PayInputs.Clawback] = []
        for row in rows {
            let earlier = Period(.month, containing: try LocalDate(key: try row.decode(column: "period_start", as: Int.self)))
            let basis = try JSONDecoder().decode(PayBasis.self, from: Data(try row.decode(column: "basis", as: String.self).utf8))
            var actuals: [PlanMeasure: Int64] = [:]
            var measures: Set<PlanMeasure> = [.revenue, .margin]
            for segment in basis.segments { if let bonus = segment.rules.planBonus { measures.insert(bonus.measure) } }
            for measure in measures {
                actuals[measure] = try await actual(measure, owner: user, window: DateWindow(earlier), filter: AnalyticsFilter(), for: actor)
            }
            var teamActuals: [PlanMeasure: Int64] = [:]
            let onTeam = Set(basis.segments.compactMap { $0.rules.planBonus }.filter { $0.plan == .team }.map(\.measure))
            if !onTeam.isEmpty {
                teamActuals = try await teamFigures(ledBy: user, period: earlier, window: DateWindow(earlier), measures: onTeam, for: actor).actuals
            }
            let again = PayStatement(PayInputs(period: earlier, currency: currency,
                                               segments: basis.segments.map { .init(scheme: $0.scheme, rules: $0.rules, days: $0.days) },
                                               targets: basis.planTargets, actuals: actuals, teamTargets: basis.teamPlanTargets,
                                               teamActuals: teamActuals))
            due.append(PayInputs.Clawback(period: earlier, paid: try row.decode(column: "plan_bonus", as: Int64.self), earnedNow: again.planBonus,
                                          takenBack: try row.decode(column: "taken", as: Int64.self)))
        }
        return due.reversed()
    }

    private func storedPayout(of user: User.ID, period: Period) async throws -> (Payout, PayBasis)? {
        try await read { sql in
            guard let row = try await sql.raw("""
                SELECT statement, basis, approved_at, approved_by FROM payouts WHERE user_id = \(bind: user.rawValue) AND period_start = \(bind: period.start.key)
                """).first() else { return nil }
            let lines = try JSONDecoder().decode([PayStatement.Line].self, from: Data(try row.decode(column: "statement", as: String.self).utf8))
            let basis = try JSONDecoder().decode(PayBasis.self, from: Data(try row.decode(column: "basis", as: String.self).utf8))
            return (Payout(userID: user, period: period, statement: PayStatement(lines: lines),
                           approvedAt: Date(epochMilliseconds: try row.decode(column: "approved_at", as: Int64.self)),
                           approvedBy: try row.decode(column: "approved_by", as: Int64?.self).map { User.ID($0) }), basis)
        }
    }

    /// The approved month plans of the teams the user leads, added up, and the teams' actuals over `window` (revenue and
    /// margin too, for a share of them as the base).
    private func teamFigures(ledBy user: User.ID, period: Period, window: DateWindow, measures: Set<PlanMeasure>,
                             for actor: Actor) async throws -> (targets: [PlanMeasure: Int64], actuals: [PlanMeasure: Int64]) {
        let teams = try await read { sql in
            try await sql.raw("SELECT id FROM teams WHERE head_id = \(bind: user.rawValue) ORDER BY id").all()
                .map { Team.ID(try $0.decode(column: "id", as: Int64.self)) }
        }
        var targets: [PlanMeasure: Int64] = [:], actuals: [PlanMeasure: Int64] = [:]
        for team in teams {
            let plan = try await read { sql -> Plan? in
                guard let id = try await Self.planID(about: .team(team), period: period, in: sql) else { return nil }
                return try await Self.plan(id, in: sql)
            }
            if let plan, plan.status == .approved { for target in plan.targets { targets[target.measure, default: 0] += target.target } }
            for measure in measures.union([.revenue, .margin]) {
                actuals[measure, default: 0] += try await actual(measure, of: .team(team), over: window, for: actor)
            }
        }
        return (targets, actuals)
    }

    /// The targets of the user's approved plan for exactly `period`: pay follows the plan that was agreed, not a draft.
    private func approvedTargets(of user: User.ID, period: Period) async throws -> [PlanMeasure: Int64] {
        try await read { sql in
            guard let id = try await Self.planID(about: .user(user), period: period, in: sql),
                  let plan = try await Self.plan(id, in: sql), plan.status == .approved else { return [:] }
            return Dictionary(plan.targets.map { ($0.measure, $0.target) }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// Each day's role and team from the dated history; the first assignment reaches back (as for plans).
    static func assignmentDays(_ history: [UserAssignment], zone: TimeZone) -> (LocalDate) -> (role: Role, team: Team.ID?)? {
        let spans = history.enumerated().map { index, a in
            (from: index == 0 ? LocalDate(dayNumber: 0) : LocalDate(a.from, in: zone), before: a.to.map { LocalDate($0, in: zone) },
             role: a.role, team: a.teamID)
        }
        return { day in
            spans.last { $0.from <= day && ($0.before.map { day < $0 } ?? true) }.map { ($0.role, $0.team) }
        }
    }

    /// The clawback lines of a statement, by the month they take back from.
    static func clawbacks(in statement: PayStatement) -> [(Period, Int64)] {
        statement.lines.compactMap { line in
            guard line.kind == .clawback, let label = line.from, let period = try? Period(label: label) else { return nil }
            return (period, -line.amount)
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
