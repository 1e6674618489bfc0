import Foundation
import SQLKit

/// The first answer to a POST that carried an `Idempotency-Key`, kept for a day so a client that lost the answer
/// (a timeout, a dropped connection) can retry without creating the record twice.
public struct StoredResponse: Sendable, Equatable {
    public let status: Int
    public let headers: [String: String]
    public let body: String

    public init(status: Int, headers: [String: String], body: String) {
        self.status = status; self.headers = headers; self.body = body
    }
}

public enum IdempotencyClaim: Sendable, Equatable {
    /// First use: go ahead, then `completeIdempotencyKey` or `releaseIdempotencyKey`.
    case claimed
    /// Seen and answered before: send this again.
    case replay(StoredResponse)
    /// The first request with this key is still running.
    case inFlight
    /// The key was used for a different request.
    case mismatch
}

extension Database {
    /// How long an answer is kept, and after how long a claim whose request never finished (a crash) is let go.
    static let idempotencyLifetime: TimeInterval = 24 * 3_600
    static let idempotencyAbandoned: TimeInterval = 5 * 60

    public func claimIdempotencyKey(_ key: String, user: Int64, fingerprint: String, at now: Date) async throws -> IdempotencyClaim {
        try await write { sql in
            try await sql.raw("""
                DELETE FROM idempotency_keys WHERE created_at < \(bind: now.addingTimeInterval(-Self.idempotencyLifetime).epochMilliseconds)
                """).run()
            if let row = try await sql.raw("""
                SELECT fingerprint, status, headers, body, created_at FROM idempotency_keys WHERE user_id = \(bind: user) AND key = \(bind: key)
                """).first() {
                let status = try row.decode(column: "status", as: Int.self)
                let claimedAt = try row.decode(column: "created_at", as: Int64.self)
                let abandoned = status == 0 && claimedAt < now.addingTimeInterval(-Self.idempotencyAbandoned).epochMilliseconds
                if !abandoned {
                    guard status != 0 else { return .inFlight }
                    guard try row.decode(column: "fingerprint", as: String.self) == fingerprint else { return .mismatch }
                    let headers = try JSONDecoder().decode([String: String].self, from: Data(try row.decode(column: "headers", as: String.self).utf8))
                    return .replay(StoredResponse(status: status, headers: headers, body: try row.decode(column: "body", as: String.self)))
                }
                try await sql.raw("DELETE FROM idempotency_keys WHERE user_id = \(bind: user) AND key = \(bind: key)").run()
            }
            // Two retries racing on PostgreSQL both find no row; the second one's insert then does nothing.
            let inserted = try await sql.raw("""
                INSERT INTO idempotency_keys (user_id, key, fingerprint, status, headers, body, created_at)
                VALUES (\(bind: user), \(bind: key), \(bind: fingerprint), 0, '{}', '', \(bind: now.epochMilliseconds))
                ON CONFLICT (user_id, key) DO NOTHING RETURNING user_id
                """).first()
            return inserted == nil ? .inFlight : .claimed
        }
    }

    public func completeIdempotencyKey(_ key: String, user: Int64, response: StoredResponse) async throws {
        let headers = String(decoding: try JSONEncoder().encode(response.headers), as: UTF8.self)
        try await write { sql in
            try await sql.raw("""
                UPDATE idempotency_keys SET status = \(bind: response.status), headers = \(bind: headers), body = \(bind: response.body)
                WHERE user_id = \(bind: user) AND key = \(bind: key)
                """).run()
        }
    }

    /// Lets the key go after a request that failed, so the client may correct it and retry with the same key.
    public func releaseIdempotencyKey(_ key: String, user: Int64) async throws {
        try await write { sql in
            try await sql.raw("DELETE FROM idempotency_keys WHERE user_id = \(bind: user) AND key = \(bind: key) AND status = 0").run()
        }
    }
}
