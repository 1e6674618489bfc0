import Foundation
import KvotaStore
import KvotaTestSupport
import Testing

/// Migration 55: the moves of a day (the daily meeting's deals moved) must come from the stage history's index by time
/// on both engines, not from reading the whole history.
@Suite struct StageMovesByTimeTests {
    @Test(arguments: TestDatabase.engines)
    func aDaysMovesAreARangeOfTheIndex(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let plan = try await QueryPlan.of("""
                SELECT d.owner_id, COUNT(DISTINCT h.deal_id) AS n FROM deal_stage_history h JOIN deals d ON d.id = h.deal_id
                WHERE +d.owner_id IN (1, 2, 3) AND h.entered_at >= 1795000000000 AND h.entered_at < 1795086400000 GROUP BY d.owner_id
                """, in: database)
            #expect(plan.contains("deal_stage_history_entered"), "\(plan)")
        }
    }
}
