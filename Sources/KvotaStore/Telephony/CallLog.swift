import Foundation
import KvotaCore
import SQLKit

extension Database {
    /// When the newest call Kvota has from a source began: where reconciling from the PBX's CDR file starts.
    public func lastPBXCallStart(source: String) async throws -> Date? {
        try await read { sql in
            try await sql.raw("SELECT MAX(started_at) AS last FROM pbx_calls WHERE call_key LIKE \(bind: source + ":%")").first()?
                .decode(column: "last", as: Int64?.self).map(Date.init(epochMilliseconds:))
        }
    }
}
