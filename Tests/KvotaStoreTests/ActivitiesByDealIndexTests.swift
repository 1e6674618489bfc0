import Foundation
import KvotaStore
import KvotaTestSupport
import Testing

/// Migration 54: a deal's or a lead's last activity (my day, the stalled-deal alert, the daily meeting, the KPIs) must
/// come from the index alone on both engines, not from reading every activity row of the record.
@Suite struct ActivitiesByDealIndexTests {
    @Test(arguments: TestDatabase.engines)
    func aRecordsLastActivityIsReadFromItsIndexAlone(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            for (column, index) in [("deal_id", "activities_deal"), ("lead_id", "activities_lead")] {
                let plan = try await QueryPlan.of("SELECT MAX(occurred_at) AS last FROM activities WHERE \(column) = 7", in: database)
                // SQLite names an index that holds every column the read needs "covering"; PostgreSQL scans it "only".
                let fromTheIndexAlone = engine == .postgres ? "Index Only Scan" : "COVERING INDEX"
                #expect(plan.contains(index) && plan.contains(fromTheIndexAlone), "\(column): \(plan)")
            }
        }
    }
}
