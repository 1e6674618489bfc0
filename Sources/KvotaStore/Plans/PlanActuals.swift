import Foundation
import KvotaCore
import SQLKit

/// A plan with its progress as of a day: per target, per breakdown row and, for a team's plan, per member.
public struct PlanStanding: Sendable {
    public struct Row: Sendable {
        public let row: PlanRow
        public let progress: PlanProgress
    }

    /// What one member of a team added to the team's actuals, over the days they were in it.
    public struct Member: Sendable {
        public let userID: User.ID
        /// The days of the period (through the day asked about) the member counted toward the team.
        public let days: [DateWindow]
        public let actuals: [PlanMeasure: Int64]
    }

    public let plan: Plan
    public let asOf: LocalDate
    public let targets: [(measure: PlanMeasure, progress: PlanProgress)]
    public let rows: [Row]
    public let members: [Member]
}

extension Database {
    /// The plan's progress as of `asOf` (a day in the company calendar): actuals to date by the same definitions as
    /// analytics (METRICS.md), over the subject's records. The caller has read the plan through `plan(_:for:)`, and
    /// the actor that may read a plan may read its subject's records (`AccessPolicy`'s plan reach is inside its
    /// record reach), so the actuals are read as the actor like any analysis.
    ///
    /// A team's actuals are its members' over the days each was in the team (user_assignments); a user's first
    /// assignment reaches back before Kvota knew them, so a history imported after the users were made counts.
    public func standing(of plan: Plan, for actor: Actor, asOf: LocalDate) async throws -> PlanStanding {
        let measures = plan.targets.map(\.measure)
        guard let window = PlanProgress.window(plan.period, asOf: asOf) else {
            return PlanStanding(plan: plan, asOf: asOf, targets: plan.targets.map { ($0.measure, PlanProgress(target: $0.target, actual: 0, period: plan.period, asOf: asOf)) },
                                rows: plan.rows.map { .init(row: $0, progress: PlanProgress(target: $0.target, actual: 0, period: plan.period, asOf: asOf)) },
                                members: [])
        }
        // A team's members are read together over their days in it (`actuals`); the company or a user in one read.
        var owner: User.ID?
        var teamDays: [User.ID: [DateWindow]]?
        var members: [PlanStanding.Member] = []
        switch plan.subject {
        case .company:
            break
        case .user(let user):
            owner = user
        case .team(let team):
            let days = try await memberDays(of: team, in: window)
            var byMember: [User.ID: [PlanMeasure: Int64]] = [:]
            for measure in measures {
                let values = try await actuals(measure, members: days, filter: AnalyticsFilter(), for: actor)
                for user in days.keys { byMember[user, default: [:]][measure] = values[user] ?? 0 }
            }
            members = days.keys.sorted().map { .init(userID: $0, days: days[$0]!, actuals: byMember[$0] ?? [:]) }
            teamDays = days
        }
        func total(_ measure: PlanMeasure, _ filter: AnalyticsFilter) async throws -> Int64 {
            if let teamDays { return try await actuals(measure, members: teamDays, filter: filter, for: actor).values.reduce(0, +) }
            return try await actual(measure, owner: owner, window: window, filter: filter, for: actor)
        }
        var targets: [(PlanMeasure, PlanProgress)] = []
        for target in plan.targets {
            let actual = plan.subject.isTeam
                ? members.reduce(0) { $0 + ($1.actuals[target.measure] ?? 0) }
                : try await total(target.measure, AnalyticsFilter())
            targets.append((target.measure, PlanProgress(target: target.target, actual: actual, period: plan.period, asOf: asOf)))
        }
        var rows: [PlanStanding.Row] = []
        for row in plan.rows {
            let actual = try await total(row.measure, Self.filter(for: row))
            rows.append(.init(row: row, progress: PlanProgress(target: row.target, actual: actual, period: plan.period, asOf: asOf)))
        }
        return PlanStanding(plan: plan, asOf: asOf, targets: targets, rows: rows, members: members)
    }

    /// One measure's actual for a plan's subject over `window`: a team's is its members' over their days in it.
    func actual(_ measure: PlanMeasure, of subject: PlanSubject, over window: DateWindow, for actor: Actor) async throws -> Int64 {
        switch subject {
        case .company: return try await actual(measure, owner: nil, window: window, filter: AnalyticsFilter(), for: actor)
        case .user(let user): return try await actual(measure, owner: user, window: window, filter: AnalyticsFilter(), for: actor)
        case .team(let team): return try await actual(measure, members: try await memberDays(of: team, in: window), over: window, for: actor)
        }
    }

    /// One measure's actual for a team's members over the part of their days in it (`memberDays`) that falls in `window`.
    func actual(_ measure: PlanMeasure, members: [User.ID: [DateWindow]], over window: DateWindow, for actor: Actor) async throws -> Int64 {
        var clipped: [User.ID: [DateWindow]] = [:]
        for (user, spans) in members {
            for span in spans {
                let from = max(span.from, window.from), through = min(span.through, window.through)
                if from <= through { clipped[user, default: []].append(try DateWindow(from: from, through: through)) }
            }
        }
        return try await actuals(measure, members: clipped, filter: AnalyticsFilter(), for: actor).values.reduce(0, +)
    }

    /// One measure's actual for each member over their days (`members`), under `filter`: the members who share a span
    /// are read together, one statement grouped by owner, not one each (a team's plans page made 576 statements at
    /// scale L, one set a member and measure).
    func actuals(_ measure: PlanMeasure, members: [User.ID: [DateWindow]], filter: AnalyticsFilter, for actor: Actor) async throws -> [User.ID: Int64] {
        var sums: [User.ID: Int64] = [:]
        for (window, users) in KPIOwners.bySpan(members) {
            var filter = filter
            filter.managerIDs = users
            for (owner, value) in try await actuals(measure, window: window, filter: filter, for: actor) { sums[User.ID(owner), default: 0] += value }
        }
        return sums
    }

    /// One measure's actual for each of the filter's managers (`managerIDs`) over `window`, keyed by owner id.
    private func actuals(_ measure: PlanMeasure, window: DateWindow, filter: AnalyticsFilter, for actor: Actor) async throws -> [Int64: Int64] {
        let owners = KPIOwners.each(filter.managerIDs!)
        var sums: [Int64: Int64] = [:]
        switch measure {
        case .revenue, .margin, .quantity, .orders:
            let sales = measure.sales!
            for row in try await self.sales(for: actor, filter: filter, window: window, bucket: .total, key: .owner, distinctOrders: measure == .orders) {
                sums[row.key, default: 0] += row.totals.value(sales)
            }
        case .dealsWon:
            for row in try await dealsWon(for: actor, filter: filter, window: window, key: .owner) { sums[row.key, default: 0] += row.count }
        case .newCustomers:
            sums = try await newCustomersOfEachManager(for: actor, filter: filter, window: window)
        case .outboundCalls, .meetingsHeld:
            sums = try await activityCounts(measure, owners: owners, window: window, for: actor)
        case .qualifiedLeads:
            sums = try await qualifiedLeads(owners: owners, window: window, for: actor)
        }
        return sums
    }

    /// One measure's actual for one owner (or everyone) over `window`, under `filter`.
    func actual(_ measure: PlanMeasure, owner: User.ID?, window: DateWindow, filter: AnalyticsFilter, for actor: Actor) async throws -> Int64 {
        var filter = filter
        filter.managerID = owner
        switch measure {
        case .revenue, .margin, .quantity, .orders:
            let sales = measure.sales!
            let totals = try await salesTotals(for: actor, filter: filter, window: window, key: .none, distinctOrders: measure == .orders)
            return totals.values.reduce(0) { $0 + $1.value(sales) }
        case .dealsWon:
            return try await dealsWon(for: actor, filter: filter, window: window, key: .none).reduce(0) { $0 + $1.count }
        case .newCustomers:
            return try await newCustomers(for: actor, filter: filter, window: window, key: .none).reduce(0) { $0 + $1.count }
        case .outboundCalls, .meetingsHeld:
            return try await activityCounts(measure, owners: owner.map { .each([$0]) } ?? .everyone, window: window, for: actor)[owner?.rawValue ?? 0] ?? 0
        case .qualifiedLeads:
            return try await qualifiedLeads(owners: owner.map { .each([$0]) } ?? .everyone, window: window, for: actor)[owner?.rawValue ?? 0] ?? 0
        }
    }

    /// Outbound calls (every attempt, answered or not) and meetings held (marked done), by the day they happened, per
    /// owner. The days are bounded in time as well, for the owner's index by time (as the KPIs read them).
    private func activityCounts(_ measure: PlanMeasure, owners: KPIOwners, window: DateWindow, for actor: Actor) async throws -> [Int64: Int64] {
        let by = owners.grouping("a")
        return try await read { sql in
            let zone = try await Self.timeZone(in: sql)
            let conditions: [SQLQueryString] = [
                by.scope(RecordAccess.condition(actor, .list, .activity, row: "a")),
                "a.occurred_at >= \(bind: window.from.start(in: zone).epochMilliseconds)",
                "a.occurred_at < \(bind: window.through.adding(days: 1).start(in: zone).epochMilliseconds)",
                "a.occurred_on BETWEEN \(bind: window.from.key) AND \(bind: window.through.key)",
                measure == .outboundCalls ? "a.kind = 'call' AND a.call_direction = 'outbound'" : "a.kind = 'meeting' AND a.done_at IS NOT NULL",
            ]
            var counts: [Int64: Int64] = [:]
            for row in try await sql.raw("""
                SELECT \(by.key) AS owner, COUNT(*) AS n FROM activities a WHERE \(conditions.joined(separator: " AND ")) \(by.groupBy)
                """).all() {
                counts[try row.decode(column: "owner", as: Int64.self)] = try row.decode(column: "n", as: Int64.self)
            }
            return counts
        }
    }

    /// Leads first qualified (or converted without being qualified first) in the window, by the day that happened, per owner.
    func qualifiedLeads(owners: KPIOwners, window: DateWindow, for actor: Actor) async throws -> [Int64: Int64] {
        let by = owners.grouping("l")
        let scope = by.scope(RecordAccess.condition(actor, .list, .lead, row: "l"))
        return try await read { sql in
            var counts: [Int64: Int64] = [:]
            for row in try await sql.raw("""
                SELECT \(by.key) AS owner, COUNT(*) AS n FROM leads l
                WHERE \(scope) AND l.qualified_on BETWEEN \(bind: window.from.key) AND \(bind: window.through.key) \(by.groupBy)
                """).all() {
                counts[try row.decode(column: "owner", as: Int64.self)] = try row.decode(column: "n", as: Int64.self)
            }
            return counts
        }
    }

    static func filter(for row: PlanRow) -> AnalyticsFilter {
        switch row.dimension {
        case .account: AnalyticsFilter(accountIDs: [row.key])
        case .region: AnalyticsFilter(regionID: Region.ID(row.key))
        case .category: AnalyticsFilter(categoryID: ProductCategory.ID(row.key))
        case .channel: AnalyticsFilter(channelID: Channel.ID(row.key))
        }
    }

    /// The days of `window` each user spent in `team`, from their assignment history in the company's calendar: an
    /// assignment starting during a day counts from that day, and one ending during a day stops before it.
    public func memberDays(of team: Team.ID, in window: DateWindow) async throws -> [User.ID: [DateWindow]] {
        try await read { sql in
            let zone = try await Self.timeZone(in: sql)
            let rows = try await sql.raw("""
                SELECT a.user_id, a.valid_from, a.valid_to,
                       (SELECT MIN(f.valid_from) FROM user_assignments f WHERE f.user_id = a.user_id) AS first_from
                FROM user_assignments a WHERE a.team_id = \(bind: team.rawValue) ORDER BY a.user_id, a.valid_from
                """).all()
            var days: [User.ID: [DateWindow]] = [:]
            for row in rows {
                let user = User.ID(try row.decode(column: "user_id", as: Int64.self))
                let from = try row.decode(column: "valid_from", as: Int64.self)
                let first = from == (try row.decode(column: "first_from", as: Int64.self))
                    ? window.from : LocalDate(Date(epochMilliseconds: from), in: zone)
                let endsBefore = try row.decode(column: "valid_to", as: Int64?.self).map { LocalDate(Date(epochMilliseconds: $0), in: zone) }
                let last = min(endsBefore.map { $0.adding(days: -1) } ?? window.through, window.through)
                let start = max(first, window.from)
                guard start <= last else { continue }
                var spans = days[user] ?? []
                // Consecutive assignments in the same team (a change of role or manager) make one span.
                if let previous = spans.last, previous.through.adding(days: 1) >= start {
                    spans[spans.count - 1] = try DateWindow(from: previous.from, through: max(previous.through, last))
                } else {
                    spans.append(try DateWindow(from: start, through: last))
                }
                days[user] = spans
            }
            return days
        }
    }
}

extension PlanSubject {
    var isTeam: Bool { if case .team = self { true } else { false } }
}
