import Foundation
import KvotaCore
import SQLKit

/// A delivery claimed for posting, with what posting it takes.
public struct DueWebhookDelivery: Sendable {
    public let delivery: WebhookDelivery
    public let url: String
    /// As the subscription stores it: sealed with the server's key.
    public let sealedSecret: String
}

/// How one attempt to post a delivery went.
public enum WebhookAttempt: Sendable, Equatable {
    /// The receiver answered 2xx.
    case delivered(status: Int)
    /// Any other answer (`status`), or none (a refused connection, a timeout: `status` nil).
    case failed(status: Int?, error: String)
}

/// The delivery queue (docs/webhooks.md): rounds claim what is due, post it, and record how it went here; a failure is
/// tried again on `WebhookRetry`'s schedule, and one that fails for the whole window pauses its subscription and tells
/// the admins.
extension Database {
    /// Claims up to `limit` due deliveries of active subscriptions for `hold`, oldest due first, so that another
    /// server's round does not post them too. A claim whose server died runs out and the delivery is claimed again:
    /// a receiver may see a delivery twice (the event id tells), never not at all.
    public func claimWebhookDeliveries(at now: Date, limit: Int, hold: TimeInterval = 120) async throws -> [DueWebhookDelivery] {
        let at = now.epochMilliseconds
        return try await write { sql in
            let candidates = try await sql.raw("""
                SELECT d.id FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= \(bind: at) AND s.state = 'active'
                  AND (d.claimed_until IS NULL OR d.claimed_until <= \(bind: at))
                ORDER BY d.next_attempt_at, d.id LIMIT \(bind: limit)
                """).all().map { try $0.decode(column: "id", as: Int64.self) }
            guard !candidates.isEmpty else { return [] }
            // The claim repeats the condition: on PostgreSQL a server that read the same rows waits here for the first
            // one's claim and then finds them taken.
            let ids = SQLList(candidates.map { SQLBind($0) })
            let claimed = try await sql.raw("""
                UPDATE webhook_deliveries SET claimed_until = \(bind: now.addingTimeInterval(hold).epochMilliseconds)
                WHERE id IN (\(ids)) AND status = 'pending' AND (claimed_until IS NULL OR claimed_until <= \(bind: at))
                RETURNING id
                """).all().map { try $0.decode(column: "id", as: Int64.self) }
            guard !claimed.isEmpty else { return [] }
            return try await sql.raw("""
                SELECT \(unsafeRaw: Self.deliveryColumns("d")), s.url, s.secret_sealed
                FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
                WHERE d.id IN (\(SQLList(claimed.map { SQLBind($0) }))) ORDER BY d.next_attempt_at, d.id
                """).all().map { row in
                DueWebhookDelivery(delivery: try Self.delivery(from: row), url: try row.decode(column: "url", as: String.self),
                                   sealedSecret: try row.decode(column: "secret_sealed", as: String.self))
            }
        }
    }

    /// Records an attempt; returns the delivery as it now stands. The failure that ends the retry window fails the
    /// delivery, pauses its subscription and raises a `webhook_paused` alert for the admins.
    @discardableResult
    public func recordWebhookAttempt(_ id: WebhookDelivery.ID, _ attempt: WebhookAttempt, at now: Date) async throws -> WebhookDelivery {
        let at = now.epochMilliseconds
        return try await write { sql in
            let current = try await Self.delivery(id, in: sql)
            let attempts = current.attempts + 1
            switch attempt {
            case .delivered(let status):
                try await sql.raw("""
                    UPDATE webhook_deliveries SET status = 'delivered', attempts = \(bind: attempts), last_attempt_at = \(bind: at),
                        response_status = \(bind: status), last_error = NULL, delivered_at = \(bind: at), next_attempt_at = NULL,
                        claimed_until = NULL
                    WHERE id = \(bind: id.rawValue)
                    """).run()
            case .failed(let status, let error):
                let reason = String(error.prefix(500))
                let next = WebhookRetry.nextAttempt(afterFailedAttempt: attempts, at: now, expiresAt: current.expiresAt)
                try await sql.raw("""
                    UPDATE webhook_deliveries SET status = \(bind: next == nil ? "failed" : "pending"), attempts = \(bind: attempts),
                        last_attempt_at = \(bind: at), response_status = \(bind: status), last_error = \(bind: reason),
                        next_attempt_at = \(bind: next?.epochMilliseconds), claimed_until = NULL
                    WHERE id = \(bind: id.rawValue)
                    """).run()
                if next == nil { try await Self.pause(current.subscriptionID, reason: reason, at: now, in: sql) }
            }
            return try await Self.delivery(id, in: sql)
        }
    }

    /// Posts a delivery again (a failed one, or a pending one now rather than later), with a new day of retries.
    public func retryWebhookDelivery(_ id: WebhookDelivery.ID, of subscription: WebhookSubscription.ID, by actor: Actor,
                                     at now: Date) async throws -> WebhookDelivery {
        try AccessPolicy.require(actor, .update, .integration, id: subscription.rawValue, owner: nil)
        return try await write { sql in
            let current = try await Self.delivery(id, in: sql)
            guard current.subscriptionID == subscription else { throw AccessDenied.notFound(.integration, id: id.rawValue) }
            var errors = ValidationFailure.Collector()
            errors.check(current.status != .delivered, "status", "delivery \(id) was delivered; a receiver that lost it can ask the API for the record")
            try errors.finish()
            try await sql.raw("""
                UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = \(bind: now.epochMilliseconds),
                    expires_at = \(bind: now.addingTimeInterval(WebhookRetry.window).epochMilliseconds), claimed_until = NULL
                WHERE id = \(bind: id.rawValue)
                """).run()
            return try await Self.delivery(id, in: sql)
        }
    }

    /// A subscription's deliveries, newest first, a page at a time (`before`: the last id of the previous page).
    public func webhookDeliveries(of subscription: WebhookSubscription.ID, status: WebhookDelivery.Status? = nil,
                                  before: WebhookDelivery.ID? = nil, limit: Int = 50, for actor: Actor) async throws -> [WebhookDelivery] {
        try AccessPolicy.require(actor, .read, .integration, id: subscription.rawValue, owner: nil)
        return try await read { sql in
            _ = try await Self.subscription(subscription, in: sql)
            var conditions: [SQLQueryString] = ["subscription_id = \(bind: subscription.rawValue)"]
            if let status { conditions.append("status = \(bind: status.rawValue)") }
            if let before { conditions.append("id < \(bind: before.rawValue)") }
            return try await sql.raw("""
                SELECT \(unsafeRaw: Self.deliveryColumns("webhook_deliveries")) FROM webhook_deliveries
                WHERE \(conditions.joined(separator: " AND ")) ORDER BY id DESC LIMIT \(bind: limit)
                """).all().map(Self.delivery(from:))
        }
    }

    /// Forgets delivered and failed deliveries older than `cutoff`; what still waits stays whatever its age.
    @discardableResult
    public func pruneWebhookDeliveries(before cutoff: Date) async throws -> Int {
        try await write { sql in
            try await sql.raw("""
                DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < \(bind: cutoff.epochMilliseconds) RETURNING id
                """).all().count
        }
    }

    private static func pause(_ id: WebhookSubscription.ID, reason: String, at now: Date, in sql: any SQLDatabase) async throws {
        guard let row = try await sql.raw("""
            UPDATE webhook_subscriptions SET state = 'paused', paused_at = \(bind: now.epochMilliseconds), paused_reason = \(bind: reason),
                version = version + 1
            WHERE id = \(bind: id.rawValue) AND state = 'active'
            RETURNING url
            """).first() else { return }
        let url = try row.decode(column: "url", as: String.self)
        try await AuditLog.append(.init(at: now, actorID: nil, action: "update", entity: "webhook", entityID: id.rawValue,
                                        changes: [.init("state", old: "active", new: "paused")], detail: reason), in: sql)
        let admins = try await sql.raw("SELECT id FROM users WHERE role = 'admin' AND active = \(bind: true) ORDER BY id").all()
            .map { User.ID(try $0.decode(column: "id", as: Int64.self)) }
        let alert = AlertCandidate(subjectID: id.rawValue, episode: String(now.epochMilliseconds), ownerID: nil, title: url,
                                   since: now.epochMilliseconds)
        _ = try await raise(.webhookPaused, alert, at: now.epochMilliseconds, recipients: admins, in: sql)
    }

    static func deliveryColumns(_ table: String) -> String {
        ["id", "subscription_id", "event_id", "event", "payload", "created_at", "status", "attempts", "next_attempt_at", "last_attempt_at",
         "response_status", "last_error", "delivered_at", "expires_at"].map { "\(table).\($0)" }.joined(separator: ", ")
    }

    static func delivery(_ id: WebhookDelivery.ID, in sql: any SQLDatabase) async throws -> WebhookDelivery {
        guard let row = try await sql.raw("""
            SELECT \(unsafeRaw: deliveryColumns("webhook_deliveries")) FROM webhook_deliveries WHERE id = \(bind: id.rawValue)
            """).first() else { throw AccessDenied.notFound(.integration, id: id.rawValue) }
        return try delivery(from: row)
    }

    static func delivery(from row: any SQLRow) throws -> WebhookDelivery {
        let eventKey = try row.decode(column: "event", as: String.self), statusKey = try row.decode(column: "status", as: String.self)
        guard let event = WebhookEvent(rawValue: eventKey), let status = WebhookDelivery.Status(rawValue: statusKey) else {
            throw StoreError.query("webhook_deliveries: unknown event '\(eventKey)' or status '\(statusKey)'")
        }
        func date(_ column: String) throws -> Date? { try row.decode(column: column, as: Int64?.self).map(Date.init(epochMilliseconds:)) }
        return WebhookDelivery(
            id: .init(try row.decode(column: "id", as: Int64.self)),
            subscriptionID: .init(try row.decode(column: "subscription_id", as: Int64.self)),
            eventID: try row.decode(column: "event_id", as: String.self), event: event, payload: try row.decode(column: "payload", as: String.self),
            createdAt: try date("created_at")!, status: status, attempts: try row.decode(column: "attempts", as: Int.self),
            nextAttemptAt: try date("next_attempt_at"), lastAttemptAt: try date("last_attempt_at"),
            responseStatus: try row.decode(column: "response_status", as: Int?.self), lastError: try row.decode(column: "last_error", as: String?.self),
            deliveredAt: try date("delivered_at"), expiresAt: try date("expires_at")!)
    }
}
