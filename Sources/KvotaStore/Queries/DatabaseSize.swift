import Foundation
import SQLKit

extension Database {
    /// Bytes the database occupies: the SQLite file with its WAL, or PostgreSQL's `pg_database_size`.
    public func sizeInBytes() async throws -> Int64 {
        switch url {
        case .sqlite(let path):
            return [path, path + "-wal"].reduce(0) { total, file in
                let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
                return total + size
            }
        case .postgres:
            return try await read { sql in
                try await sql.raw("SELECT pg_database_size(current_database()) AS bytes").first()?
                    .decode(column: "bytes", as: Int64.self) ?? 0
            }
        }
    }
}
