import Foundation
import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

/// Migration 58: the closed deals' index by owner and close day also holds the stage, so that a team board's won or
/// lost column is one range of it. On an empty test table the planners pick any index, so this checks the index's
/// columns on each engine; `scripts/bench` ("pipeline board of a team") measures the plan at scale L.
@Suite struct ClosedDealsByOwnerStageTests {
    @Test(arguments: TestDatabase.engines)
    func theClosedDealsByOwnerIndexHoldsTheStage(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let columns = try await database.read { sql -> String in
                if engine == .postgres {
                    return try await sql.raw("SELECT indexdef FROM pg_indexes WHERE indexname = 'deals_closed_owner'").first()?
                        .decode(column: "indexdef", as: String.self) ?? ""
                }
                return try await sql.raw("SELECT name FROM pragma_index_info('deals_closed_owner') ORDER BY seqno").all()
                    .map { try $0.decode(column: "name", as: String.self) }.joined(separator: ", ")
            }
            let expected = engine == .postgres ? "(owner_id, closed_on, stage_id) WHERE (status <> 'open'::text)" : "owner_id, closed_on, stage_id"
            #expect(columns.hasSuffix(expected), "\(columns)")
        }
    }
}
