import KvotaCore
import SQLKit

/// What `/healthz` and `kvota` report about the store.
public struct StoreStatus: Sendable, Equatable {
    public let engine: DatabaseEngine
    public let schemaVersion: Int
}

extension Database {
    /// Answers only when the database does: a read round trip plus the schema version.
    public func status() async throws -> StoreStatus {
        StoreStatus(engine: engine, schemaVersion: try await Migrator.schemaVersion(self))
    }

    /// Record counts per table, for `kvota demo` and the checksum test.
    public func tableCounts() async throws -> [String: Int] {
        try await read { sql in
            var counts: [String: Int] = [:]
            for table in DemoLoader.dataTables {
                counts[table] = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?
                    .decode(column: "n", as: Int.self) ?? 0
            }
            return counts
        }
    }
}
