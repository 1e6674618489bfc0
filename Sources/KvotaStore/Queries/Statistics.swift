import Foundation
import SQLKit

/// Table statistics for the query planner. Without them SQLite 3.54 (the one sqlite-nio bundles) guesses from index
/// shapes alone, and with the (kind, occurred_at, id) index of migration 13 it read every open task of the company
/// for a head's team page (360 ms at scale M) instead of the partial index of open tasks by owner; with statistics
/// it picks the small index. PostgreSQL keeps its own (autovacuum's ANALYZE).
extension Database {
    /// SQLite: `PRAGMA optimize` as its documentation advises at start and after large changes, analysing only the
    /// tables whose statistics are missing or stale, each from a bounded sample (`analysis_limit`), so it costs
    /// milliseconds on a large database; after a bulk load, every table in full (33 s at scale L, after a load of
    /// minutes): a sample of a thousand rows in index order sees one value of a leading column such as a deal's status,
    /// and the planner then took a status for a thousand deals. PostgreSQL: `VACUUM (ANALYZE)` after a bulk load, which
    /// autovacuum would do later: besides the statistics it sets the visibility map, without which no index-only scan
    /// pays (half a year of every rep's wins: 271 ms through the heap at scale L, 13 ms from `deals_won_on` alone).
    public func refreshStatistics(afterBulkLoad: Bool = false) async throws {
        switch backend {
        case .sqlite(let sqlite):
            try await sqlite.writer.with { connection in
                try await connection.query(afterBulkLoad ? "PRAGMA analysis_limit = 0" : "PRAGMA analysis_limit = 1000", []) { _ in }
                // After a bulk load every table has changed; otherwise 0x10000 looks at every table, not only those
                // this connection used, and 0x2 analyses where the statistics are missing or stale.
                try await connection.query(afterBulkLoad ? "ANALYZE" : "PRAGMA optimize = 0x10002", []) { _ in }
            }
        case .postgres:
            // Outside a transaction: VACUUM refuses to run in one.
            if afterBulkLoad { try await read { sql in try await sql.raw("VACUUM (ANALYZE)").run() } }
        }
    }
}
