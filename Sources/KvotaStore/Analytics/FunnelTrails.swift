import Foundation
import KvotaCore
import PostgresNIO
import SQLKit

extension Database {
    /// The funnel's cohort on PostgreSQL from each deal's `stage_trail` (migration 49): one row a deal instead of the
    /// deals and a join of their history. The server packs the rows into one `bytea` as it packs integer rows
    /// (`postgresPacked`): a deal as whether it closed and when (8 bytes each), the trail's length (4) and the
    /// trail as stored, its entries 16 bytes each (stage, entry time), in the order they were written.
    func postgresFunnelCohort(from: SQLQueryString, where condition: SQLQueryString, postgres: PostgresBackend) async throws -> FunnelCohort {
        let query: SQLQueryString = """
            SELECT int8send(CAST(CASE WHEN d.closed_at IS NULL THEN 0 ELSE 1 END AS BIGINT)) || int8send(COALESCE(d.closed_at, 0))
                   || int4send(COALESCE(octet_length(d.stage_trail), 0)) || COALESCE(d.stage_trail, ''::bytea) AS deal
            \(from) WHERE \(condition)
            """
        let packed = try await Self.postgresPacked(query, packing: "q.deal", postgres: postgres, logger: logger)
        var closedAt: [Int64?] = [], entryDeals: [Int] = [], stages: [Int64] = [], enteredAt: [Int64] = []
        if let packed {
            let malformed = StoreError.query("PostgreSQL's packed stage trails end inside a deal")
            try packed.withUnsafeReadableBytes { raw in
                func integer(_ at: Int) -> Int64 { Int64(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: Int64.self)) }
                var at = 0
                while at < raw.count {
                    guard at + 20 <= raw.count else { throw malformed }
                    let closed = integer(at) == 1, closedTime = integer(at + 8)
                    let length = Int(Int32(bigEndian: raw.loadUnaligned(fromByteOffset: at + 16, as: Int32.self)))
                    at += 20
                    guard length >= 0, length % 16 == 0, at + length <= raw.count else { throw malformed }
                    let deal = closedAt.count
                    closedAt.append(closed ? closedTime : nil)
                    for entry in stride(from: at, to: at + length, by: 16) {
                        entryDeals.append(deal); stages.append(integer(entry)); enteredAt.append(integer(entry + 8))
                    }
                    at += length
                }
            }
        }
        // A trail holds its entries in the order they were written (by id), which orders entries of the same moment.
        return FunnelCohort(closedAt: closedAt, entryDeals: entryDeals, stages: stages, enteredAt: enteredAt,
                            order: entryDeals.indices.map(Int64.init))
    }
}
