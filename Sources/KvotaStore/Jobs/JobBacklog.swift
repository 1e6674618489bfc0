import Foundation
import KvotaCore
import SQLKit

/// What the background queues hold that is due and not yet done, for `GET /metrics`: a queue whose oldest item keeps
/// ageing has no server working it (every server started with its round turned off, say) or one that cannot keep up.
public struct JobBacklog: Sendable, Equatable {
    public struct Queue: Sendable, Equatable {
        /// Items due now.
        public let due: Int
        /// How long the oldest of them has been due, in seconds; 0 when none is.
        public let oldestSeconds: Double
    }

    /// Webhook deliveries of active subscriptions whose attempt is due.
    public let webhooks: Queue
    /// Background imports that wait for a server to take them.
    public let imports: Queue
}

extension Database {
    /// Both read through their queue's partial index, so a scrape stays cheap however long the delivery log grows.
    public func jobBacklog(at now: Date) async throws -> JobBacklog {
        let at = now.epochMilliseconds
        return try await read { sql in
            let webhooks = try await sql.raw("""
                SELECT COUNT(*) AS due, MIN(d.next_attempt_at) AS oldest
                FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= \(bind: at) AND s.state = 'active'
                """).first()
            let imports = try await sql.raw("""
                SELECT COUNT(*) AS due, MIN(created_at) AS oldest FROM import_jobs WHERE status = 'queued'
                """).first()
            func queue(_ row: (any SQLRow)?) throws -> JobBacklog.Queue {
                let due = try row?.decode(column: "due", as: Int.self) ?? 0
                let oldest = try row?.decode(column: "oldest", as: Int64?.self) ?? nil
                return JobBacklog.Queue(due: due, oldestSeconds: oldest.map { max(0, Double(at - $0) / 1000) } ?? 0)
            }
            return JobBacklog(webhooks: try queue(webhooks), imports: try queue(imports))
        }
    }
}
