import Foundation
import KvotaCore
@testable import KvotaStore
import KvotaTestSupport
import Testing

/// A team's KPIs read its members together, one statement a fact grouped by owner (`KPIOwners`): each member's facts
/// must be exactly what reading that member alone over their days in the team gives, on the demo company, as the
/// director and as the team's head; on both engines.
@Suite struct KPIsByOwnerTests {
    @Test(arguments: TestDatabase.engines)
    func membersReadTogetherAreEachReadAlone(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in try await Self.compare(database) }
    }

    static func compare(_ database: Database) async throws {
        let asOf = try LocalDate(iso: "2026-11-20")
        _ = try await DemoLoader.load(DemoOptions(scale: .tiny, seed: 3, asOf: asOf), into: database)
        let users = try await database.users().filter(\.active)
        let directorUser = try #require(users.first { $0.role == .director })
        let director = try #require(try await database.signedInUser(directorUser.id)).1
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
