import KvotaStore
import SQLKit

/// The plan each engine chooses for `query`, as text, for tests that an index serves a read. On PostgreSQL a
/// sequential scan is forbidden first: an empty test table is cheapest to scan, which says nothing about the index.
enum QueryPlan {
    static func of(_ query: String, in database: Database) async throws -> String {
        try await database.write { sql -> String in
            if sql.dialect.name == "postgresql" {
                try await sql.raw("SET LOCAL enable_seqscan = off").run()
                return try await sql.raw("EXPLAIN \(unsafeRaw: query)").all()
                    .map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n")
            }
            return try await sql.raw("EXPLAIN QUERY PLAN \(unsafeRaw: query)").all()
                .map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "\n")
        }
    }
}
