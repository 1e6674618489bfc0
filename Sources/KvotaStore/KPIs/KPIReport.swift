import Foundation
import KvotaCore

/// The KPIs of a subject over a stretch of days, each with its value for the stretch just before and the median of
/// the team's members beside it.
public struct KPIReport: Sendable {
    public struct Item: Sendable {
        public let kpi: KPI
        public let value: Double?
        public let previous: Double?
        public let teamMedian: Double?
        /// A user's target over the window (their own, else their role's, in force on its last day); nil for a team,
        /// the company, or without one.
        public let target: Double?
        /// How far the value meets the target (`KPITarget.score`).
        public var score: Double? { target.flatMap { KPITarget.score(kpi, actual: value, target: $0) } }
    }

    public let subject: PlanSubject
    public let window: DateWindow
    public let previousWindow: DateWindow
    public let items: [Item]
}

extension Database {
    /// `keys` (default: every KPI) for the company, a team or a user over `window`, as of `asOf` (today), read as the
    /// actor. Who may see a subject's KPIs is who may read its plans (AccessPolicy: a rep their own, a head their
    /// teams' and members', directors, analysts and admins all), and only records the actor may list count.
    ///
    /// A team's facts are its members' over their days in it (as plan progress counts them); the team median is the
    /// median over the members of the team (a user's: of their current team) of each one's own value; nil for the
    /// company, and for a reader who may not see the whole team (a rep).
    public func kpis(_ keys: [KPI] = KPI.allCases, of subject: PlanSubject, over window: DateWindow, asOf: LocalDate,
                     for actor: Actor) async throws -> KPIReport {
        guard AccessPolicy.scope(actor, .read, .plan).allows(subject) else { throw AccessDenied.forbidden(.read, .plan) }
        let days = window.from.days(until: window.through) + 1
        let previousWindow = try DateWindow(from: window.from.adding(days: -days), through: window.from.adding(days: -1))
        let context = try await kpiContext(asOf: asOf)
        // The stretch before is read alongside the window, on a connection of its own (it shows no open or stalled
        // deals: they are as of today). The company's are two passes over its records, and one after the other they
        // took twice as long as either.
        async let previousFacts = facts(of: subject, over: previousWindow, asOf: asOf, context: context, snapshot: false, for: actor)

        var members: [KPIFacts] = []
        let team: Team.ID? = switch subject {
        case .company: nil
        case .team(let id): id
        case .user(let id): try await users().first { $0.id == id }?.teamID
        }
        // The median needs every member's records: only for a reader who may see the whole team.
        if let team, AccessPolicy.scope(actor, .read, .plan).allows(PlanSubject.team(team)) {
            members = try await memberFacts(of: team, over: window, asOf: asOf, context: context, for: actor).map(\.facts)
        }
        var current: KPIFacts
        if case .team = subject {
            // A team's facts are its members' (read once for the median too), with the team's own plan.
            current = members.reduce(KPIFacts(), +)
            current.revenuePlan = try await revenuePlan(of: subject, window: window, for: actor)
            (current.daysTotal, current.daysElapsed) = Self.days(window, asOf: asOf)
        } else {
            current = try await facts(of: subject, over: window, asOf: asOf, context: context, for: actor)
        }
        let previous = try await previousFacts
        var targets: [KPI: KPITarget] = [:]
        if case .user(let user) = subject { targets = try await kpiTargets(of: user, on: window.through) }
        let items = keys.map { kpi in
            KPIReport.Item(kpi: kpi, value: current.value(kpi), previous: kpi.isSnapshot ? nil : previous.value(kpi),
                           teamMedian: members.isEmpty ? nil : FunnelAnalysis.median(members.compactMap { $0.value(kpi) }),
                           target: targets[kpi]?.target(over: window))
        }
        return KPIReport(subject: subject, window: window, previousWindow: previousWindow, items: items)
    }

    /// The team's members ranked on one KPI over the window (each over their days in the team), best first: highest
    /// first, or lowest for a KPI where less is better (`KPI.lowerIsBetter`); members without a value last.
    public func kpiLeaderboard(_ kpi: KPI, team: Team.ID, over window: DateWindow, asOf: LocalDate,
                               for actor: Actor) async throws -> [(userID: User.ID, value: Double?)] {
        guard AccessPolicy.scope(actor, .read, .plan).allows(PlanSubject.team(team)) else { throw AccessDenied.forbidden(.read, .plan) }
        let members = try await memberFacts(of: team, over: window, asOf: asOf, context: try await kpiContext(asOf: asOf), for: actor)
        let ranked = members.map { (userID: $0.user, value: $0.facts.value(kpi)) }
        return ranked.sorted { a, b in
            switch (a.value, b.value) {
            case let (x?, y?) where x != y: kpi.lowerIsBetter ? x < y : x > y
            case (_?, nil): true
            case (nil, _?): false
            default: a.userID < b.userID
            }
        }
    }

    /// Each member's facts over their days in the team within the window, with their own revenue plan for it.
    func memberFacts(of team: Team.ID, over window: DateWindow, asOf: LocalDate, context: KPIContext,
                     for actor: Actor) async throws -> [(user: User.ID, facts: KPIFacts)] {
        var members: [(User.ID, KPIFacts)] = []
        let spans = try await memberDays(of: team, in: window)
        let read = try await kpiFacts(spans: spans, asOf: asOf, context: context, for: actor)
        for user in spans.keys.sorted() {
            var facts = read[user] ?? KPIFacts()
            facts.revenuePlan = try await revenuePlan(of: .user(user), window: window, for: actor)
            (facts.daysTotal, facts.daysElapsed) = Self.days(window, asOf: asOf)
            members.append((user, facts))
        }
        return members
    }

    func facts(of subject: PlanSubject, over window: DateWindow, asOf: LocalDate, context: KPIContext, snapshot: Bool = true,
               for actor: Actor) async throws -> KPIFacts {
        var facts = KPIFacts()
        switch subject {
        case .company: facts = try await kpiFacts(owner: nil, window: window, asOf: asOf, context: context, snapshot: snapshot, for: actor)
        case .user(let user): facts = try await kpiFacts(owner: user, window: window, asOf: asOf, context: context, snapshot: snapshot, for: actor)
        case .team(let team):
            let members = try await kpiFacts(spans: try await memberDays(of: team, in: window), asOf: asOf, context: context,
                                             snapshot: snapshot, for: actor)
            facts = members.values.reduce(KPIFacts(), +)
        }
        facts.revenuePlan = try await revenuePlan(of: subject, window: window, for: actor)
        (facts.daysTotal, facts.daysElapsed) = Self.days(window, asOf: asOf)
        return facts
    }

    /// The revenue target of the subject's plan for exactly these days, when the window is a period with a plan.
    private func revenuePlan(of subject: PlanSubject, window: DateWindow, for actor: Actor) async throws -> Int64? {
        for grain in PeriodGrain.allCases where grain != .day {
            let period = Period(grain, containing: window.from)
            guard period.start == window.from, period.end.adding(days: -1) == window.through else { continue }
            return try await plan(about: subject, period: period, for: actor)?.targets.first { $0.measure == .revenue }?.target
        }
        return nil
    }

    private static func days(_ window: DateWindow, asOf: LocalDate) -> (total: Int, elapsed: Int) {
        let total = window.from.days(until: window.through) + 1
        return (total, min(max(window.from.days(until: asOf) + 1, 0), total))
    }
}
