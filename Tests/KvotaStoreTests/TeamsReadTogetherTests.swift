import Foundation
import KvotaCore
@testable import KvotaStore
import KvotaTestSupport
import Testing

/// A team's KPIs and plans read its members together, one statement a fact or measure grouped by owner (`KPIOwners`,
/// `AnalyticsFilter.managerIDs`): each member's figures must be exactly what reading that member alone over their days
/// in the team gives, on the demo company, as the director and as the team's head; on both engines.
@Suite struct TeamsReadTogetherTests {
    static let asOf = try! LocalDate(iso: "2026-11-20")

    @Test(arguments: TestDatabase.engines)
    func aTeamsKPIsAreItsMembersEachReadAlone(engine: DatabaseEngine) async throws {
        try await Self.onTheDemo(engine, Self.compareKPIs)
    }

    @Test(arguments: TestDatabase.engines)
    func aTeamsPlanProgressIsItsMembersEachReadAlone(engine: DatabaseEngine) async throws {
        try await Self.onTheDemo(engine, Self.comparePlans)
    }

    /// The demo company as of `asOf`, made afresh on `engine`, for `compare`.
    static func onTheDemo(_ engine: DatabaseEngine, _ compare: (Database) async throws -> Void) async throws {
        try await TestDatabase.with(engine) { database in
            _ = try await DemoLoader.load(DemoOptions(scale: .tiny, seed: 3, asOf: asOf), into: database)
            try await compare(database)
        }
    }

    /// The demo's director, signed in.
    static func director(_ database: Database) async throws -> Actor {
        let user = try #require(try await database.users().first { $0.role == .director && $0.active })
        return try #require(try await database.signedInUser(user.id)).1
    }

    static func compareKPIs(_ database: Database) async throws {
        let users = try await database.users().filter(\.active)
        let director = try await Self.director(database)
        let context = try await database.kpiContext(asOf: asOf)
        let windows = [try DateWindow(from: LocalDate(iso: "2026-10-01"), through: LocalDate(iso: "2026-10-31")),
                       try DateWindow(from: LocalDate(iso: "2026-08-01"), through: asOf)]
        var compared = 0, seen = KPIFacts()
        for team in try await database.teams() {
            var actors = [director]
            if let head = users.first(where: { $0.role == .head && $0.teamID == team.id }) {
                actors.append(try #require(try await database.signedInUser(head.id)).1)
            }
            for window in windows {
                let spans = try await database.memberDays(of: team.id, in: window)
                for actor in actors {
                    let together = try await database.memberFacts(of: team.id, over: window, asOf: asOf, context: context, for: actor)
                    #expect(together.map(\.user) == spans.keys.sorted())
                    for (user, facts) in together {
                        var alone = KPIFacts()
                        for span in spans[user] ?? [] {
                            alone = alone + (try await database.kpiFacts(owner: user, window: span, asOf: asOf, context: context, for: actor))
                        }
                        alone.revenuePlan = facts.revenuePlan
                        (alone.daysTotal, alone.daysElapsed) = (facts.daysTotal, facts.daysElapsed)
                        #expect(normalized(facts) == normalized(alone), "member \(user) of team \(team.id) over \(window) as \(actor.role)")
                        seen = seen + facts
                        compared += 1
                    }
                }
            }
        }
        // The comparison means something only if the members had calls, tasks, leads, deals won and lost, sales,
        // new and repeat customers and customers at risk.
        #expect(compared >= 10)
        #expect(seen.callsOutbound > 0 && seen.tasksCompleted > 0 && seen.leadsNew > 0 && seen.qualifiedLeads > 0)
        #expect(seen.dealsWon > 0 && seen.dealsLost > 0 && seen.pipelineOpen > 0 && seen.dealsStalled > 0)
        #expect(seen.revenue > 0 && seen.customersNew > 0 && !seen.customersRepeat.isEmpty && !seen.churnRisk.isEmpty)
    }

    /// The company's facts come from statements of their own (every record at once, the tasks by time): what adds up
    /// over owners must equal every owner's read alone, added up. A customer new under two owners is new to each, and
    /// churn risk is the company's own history, so those two are left out.
    @Test(arguments: TestDatabase.engines)
    func theCompanysFactsAreEveryOwnersAddedUp(engine: DatabaseEngine) async throws {
        try await Self.onTheDemo(engine, Self.compareCompany)
    }

    static func compareCompany(_ database: Database) async throws {
        let users = try await database.users()
        let director = try await Self.director(database)
        let context = try await database.kpiContext(asOf: asOf)
        // October is over before today: its overdue tasks include one done after it ended.
        var late = ActivityPatch()
        late.kind = .task
        late.subject = "Due in October, done in November"
        late.ownerID = try #require(users.first { $0.role == .rep && $0.active }).id
        late.dueAt = .some(try LocalDate(iso: "2026-10-20").start(in: context.zone))
        late.done = true
        _ = try await database.addActivity(late, by: director, at: try LocalDate(iso: "2026-11-05").start(in: context.zone))
        for window in [try DateWindow(from: LocalDate(iso: "2026-10-01"), through: LocalDate(iso: "2026-10-31")),
                       try DateWindow(from: LocalDate(iso: "2026-08-01"), through: asOf)] {
            let company = try await database.kpiFacts(owner: nil, window: window, asOf: asOf, context: context, for: director)
            var owners = KPIFacts()
            for user in users {
                owners = owners + (try await database.kpiFacts(owner: user.id, window: window, asOf: asOf, context: context, for: director))
            }
            func additive(_ f: KPIFacts) -> [Int64] {
                [f.callsOutbound, f.callsInbound, f.answeredCalls, f.talkSeconds, f.effectiveConversations, f.missedCalls, f.missedCalledBack,
                 f.meetingsHeld, f.tasksCompleted, f.tasksCompletedWithDue, f.tasksOnTime, f.tasksOverdue, f.leadsNew, f.leadsNewQualified,
                 f.qualifiedLeads, f.leadsOverSLA, f.leadsNewWon, f.dealsNew, f.dealsWon, f.dealsLost, f.wonAmount, f.lostAmount,
                 f.pipelineOpen, f.dealsStalled, f.revenue, f.cost, f.orders]
            }
            #expect(additive(company) == additive(owners), "over \(window)")
            #expect(company.revenueByAccount == owners.revenueByAccount, "over \(window)")
            // Repeat customers are found by who was first seen in the window; asked the other way round, by who was first
            // seen before it, the answer must be the same.
            let before = try await database.read { sql in
                try await sql.raw("SELECT account_id FROM sales_customers WHERE first_day < \(bind: window.from.key)").all()
                    .map { try $0.decode(column: "account_id", as: Int64.self) }
            }
            #expect(company.customersRepeat == Set(company.revenueByAccount.keys).intersection(before), "over \(window)")
            #expect(owners.customersRepeat == company.customersRepeat, "over \(window)")
            // Meaningful only with tasks done, on time and overdue, and customers who came back.
            #expect(company.tasksCompleted > 0 && company.tasksOnTime > 0 && company.tasksOverdue > 0 && !company.customersRepeat.isEmpty)
            #expect(company.customersRepeat.count < company.revenueByAccount.count, "some of the window's customers are new")
        }
    }

    static func comparePlans(_ database: Database) async throws {
        let users = try await database.users().filter(\.active)
        let director = try await Self.director(database)
        var compared: [PlanMeasure: Int] = [:], nonZero: Set<PlanMeasure> = [], rows = 0
        // The demo's team plans of the last few months and the year (older ones add time, not cases), each asking for
        // every measure, and for the sales measures by every region, channel and category and by a few customers.
        let keys = try await database.read { sql in
            var keys: [(PlanDimension, Int64)] = []
            for (dimension, query) in [(PlanDimension.region, "SELECT id FROM regions ORDER BY id LIMIT 3"),
                                       (.channel, "SELECT id FROM channels ORDER BY id LIMIT 3"),
                                       (.category, "SELECT id FROM product_categories ORDER BY id LIMIT 3"),
                                       (.account, "SELECT account_id AS id FROM sales_customers ORDER BY account_id LIMIT 3")] {
                keys += try await sql.raw("\(unsafeRaw: query)").all().map { (dimension, try $0.decode(column: "id", as: Int64.self)) }
            }
            return keys
        }
        let since = try LocalDate(iso: "2026-10-01")
        let plans = try await database.plans(for: director).filter { $0.subject.isTeam && $0.period.end > since }.map { demo in
            var plan = demo
            plan.targets = PlanMeasure.allCases.map { PlanTarget($0, 1) }
            plan.rows = keys.flatMap { dimension, key in
                PlanMeasure.allCases.filter { dimension == .category ? $0.splitsByProduct : $0.splitsByCustomer }.map { PlanRow(dimension, key, $0, 1) }
            }
            return plan
        }
        #expect(plans.count >= 2 && Set(plans.map(\.subject)).count >= 2, "\(plans.count) plans")
        for plan in plans {
            var actors = [director]
            if case .team(let team) = plan.subject, let head = users.first(where: { $0.role == .head && $0.teamID == team }) {
                actors.append(try #require(try await database.signedInUser(head.id)).1)
            }
            for actor in actors {
                let standing = try await database.standing(of: plan, for: actor, asOf: asOf)
                #expect(!standing.members.isEmpty, "plan \(plan.id)")
                func alone(_ measure: PlanMeasure, _ filter: AnalyticsFilter, of members: [PlanStanding.Member]) async throws -> Int64 {
                    var sum: Int64 = 0
                    for member in members {
                        for span in member.days { sum += try await database.actual(measure, owner: member.userID, window: span, filter: filter, for: actor) }
                    }
                    return sum
                }
                for member in standing.members {
                    for target in plan.targets {
                        let value = try await alone(target.measure, AnalyticsFilter(), of: [member])
                        #expect(member.actuals[target.measure] == value, "\(target.measure) of \(member.userID) in plan \(plan.id) as \(actor.role)")
                        compared[target.measure, default: 0] += 1
                        if value > 0 { nonZero.insert(target.measure) }
                    }
                }
                for row in standing.rows {
                    let value = try await alone(row.row.measure, Database.filter(for: row.row), of: standing.members)
                    #expect(row.progress.actual == value, "\(row.row.measure) of row \(row.row.dimension) \(row.row.key) in plan \(plan.id)")
                    rows += 1
                }
            }
        }
        // Meaningful only if the plans had measures with actuals, and rows by some breakdown.
        #expect(nonZero == Set(PlanMeasure.allCases), "measures with actuals: \(nonZero), compared: \(compared)")
        #expect(rows >= plans.count * 12)
    }

    /// The facts with their lists of durations in order: rows come back in no particular order, and only the medians
    /// of those lists count.
    static func normalized(_ facts: KPIFacts) -> KPIFacts {
        var facts = facts
        facts.firstResponseSeconds.sort()
        facts.conversionDays.sort()
        facts.cycleDays.sort()
        return facts
    }
}
