import Foundation
import KvotaCore
import SQLKit

/// The demo company's plans and pay (issue 7): approved revenue plans for the company, each sales team and each rep,
/// monthly for the past year and the current month and quarterly for the past four quarters and the current one; a
/// scheme for reps and one for heads (paid on their team's plan); and the reps' payouts for the last three whole months, approved.
///
/// A rep's target is their mean monthly revenue over the twelve months before the period, times its months, plus 5 %,
/// rounded up to a thousand (a single month of a year earlier swings too much for a fair target); a rep who sold
/// nothing then gets their team's median. A team's plan is its reps' sum and the company's the teams', so every
/// split adds up, and each plan points at the one above it.
enum DemoPlans {
    static func load(_ options: DemoOptions, into database: Database) async throws {
        let zone = options.timeZone
        let people = try await database.read { sql in
            try await sql.raw("""
                SELECT id, role, team_id FROM users WHERE active = \(bind: true) AND role IN ('rep', 'director') ORDER BY id
                """).all().map {
                (id: try $0.decode(column: "id", as: Int64.self), role: try $0.decode(column: "role", as: String.self),
                 team: try $0.decode(column: "team_id", as: Int64?.self))
            }
        }
        guard let directorID = people.first(where: { $0.role == "director" })?.id else { return }
        let reps = people.filter { $0.role == "rep" && $0.team != nil }
        // Revenue per rep and month (YYYYMM), from the owner roll-up.
        let revenue = try await database.read { sql in
            var sums: [Int64: [Int: Int64]] = [:]
            for row in try await sql.raw("""
                SELECT owner_id, month, CAST(SUM(revenue_minor) AS BIGINT) AS revenue FROM sales_owner_month GROUP BY owner_id, month
                """).all() {
                sums[try row.decode(column: "owner_id", as: Int64.self), default: [:]][try row.decode(column: "month", as: Int.self)] =
                    try row.decode(column: "revenue", as: Int64.self)
            }
            return sums
        }
        let current = Period(.month, containing: options.asOf)
        var periods: [Period] = (0...12).map { Period(.month, containing: current.start.adding(months: -$0)) }
        let quarter = Period(.quarter, containing: options.asOf)
        periods += (0...4).map { Period(.quarter, containing: quarter.start.adding(months: -3 * $0)) }

        try await database.write { sql in
            for period in periods.sorted() {
                let trailing = (1...12).map { back in
                    let month = period.start.adding(months: -back)
                    return month.year * 100 + month.month
                }
                let length = Int64(period.grain == .quarter ? 3 : 1)
                var targets: [Int64: Int64] = [:]
                var byTeam: [Int64: [Int64]] = [:]
                for rep in reps {
                    let sold = trailing.reduce(Int64(0)) { $0 + (revenue[rep.id]?[$1] ?? 0) }
                    targets[rep.id] = sold * length / 12
                    byTeam[rep.team!, default: []].append(rep.id)
                }
                for (_, members) in byTeam {
                    let sold = members.map { targets[$0]! }.filter { $0 > 0 }.sorted()
                    let median = sold.isEmpty ? 0 : sold[sold.count / 2]
                    for member in members where targets[member] == 0 { targets[member] = median }
                }
                // +5 %, rounded up to a thousand of the base currency.
                let thousand: Int64 = 100_000
                for (rep, sold) in targets { targets[rep] = (sold * 105 / 100 + thousand - 1) / thousand * thousand }
                let approvedAt = period.start.adding(days: -3).start(in: zone).addingTimeInterval(9 * 3_600).epochMilliseconds
                func insert(_ kind: String, team: Int64?, user: Int64?, parent: Int64?, target: Int64) async throws -> Int64 {
                    let row = try await sql.raw("""
                        INSERT INTO plans (grain, starts_on, ends_before, subject_kind, team_id, user_id, status, parent_id, created_at,
                                           approved_at, approved_by)
                        VALUES (\(bind: period.grain.rawValue), \(bind: period.start.key), \(bind: period.end.key), \(bind: kind), \(bind: team),
                                \(bind: user), 'approved', \(bind: parent), \(bind: approvedAt), \(bind: approvedAt), \(bind: directorID))
                        RETURNING id
                        """).first()
                    let id = try row!.decode(column: "id", as: Int64.self)
                    try await sql.raw("INSERT INTO plan_targets (plan_id, measure, target) VALUES (\(bind: id), 'revenue', \(bind: target))").run()
                    return id
                }
                let company = try await insert("company", team: nil, user: nil, parent: nil, target: targets.values.reduce(0, +))
                for (team, members) in byTeam.sorted(by: { $0.key < $1.key }) {
                    let teamPlan = try await insert("team", team: team, user: nil, parent: company,
                                                    target: members.reduce(0) { $0 + targets[$1]! })
                    for member in members.sorted() {
                        _ = try await insert("user", team: nil, user: member, parent: teamPlan, target: targets[member]!)
                    }
                }
            }
        }

        // Schemes from two years back; reps are paid on their monthly plan and their calls and meetings.
        let director = Actor(userID: User.ID(directorID), role: .director, teamID: nil)
        let from = try LocalDate(year: options.asOf.year - 2, month: 1, day: 1)
        let created = from.start(in: zone)
        let curve = FulfilmentCurve(threshold: 0.8, tiers: [.init(from: 0.8, multiplier: nil), .init(from: 1.0, multiplier: 1.2),
                                                            .init(from: 1.2, multiplier: 1.5)])
        _ = try await database.addScheme(
            name: "Sales reps", appliesTo: .role(.rep), effectiveFrom: from,
            rules: PayRules(fixedMonthly: 350_000, planBonus: PlanBonus(baseKind: .revenuePercent, base: 300, curve: curve, cap: 500_000),
                            kpiBonus: KPIBonus(amount: 50_000, items: [.init(measure: .outboundCalls, weight: 1, target: 150),
                                                                        .init(measure: .meetingsHeld, weight: 1, target: 8)], maxScore: 1.2),
                            clawback: true),
            by: director, at: created)
        _ = try await database.addScheme(
            name: "Heads of sales", appliesTo: .role(.head), effectiveFrom: from,
            rules: PayRules(fixedMonthly: 550_000, planBonus: PlanBonus(plan: .team, baseKind: .revenuePercent, base: 50, curve: curve, cap: 800_000),
                            clawback: true),
            by: director, at: created)
        for back in (1...3).reversed() {
            let month = Period(.month, containing: current.start.adding(months: -back))
            _ = try await database.approvePayouts(period: month, users: nil, by: director,
                                                  at: month.end.adding(days: 2).start(in: zone).addingTimeInterval(10 * 3_600))
        }
    }
}
