import Foundation
import KvotaCore
import SQLKit

/// What an admin sets on a subscription; nil leaves a field as it is.
public struct WebhookSubscriptionPatch: Sendable {
    public var url: String?
    public var description: String?
    public var events: [WebhookEvent]?
    /// `active` turns it on (and resumes a paused one), `disabled` off; `paused` is Kvota's to set.
    public var state: WebhookSubscription.State?

    public init(url: String? = nil, description: String? = nil, events: [WebhookEvent]? = nil, state: WebhookSubscription.State? = nil) {
        self.url = url; self.description = description; self.events = events; self.state = state
    }
}

/// Outgoing webhook subscriptions (issue 11; docs/webhooks.md): admins only, like the integration tokens. The secret
/// arrives sealed with the server's key; the store keeps it as it is given and hands it back to the delivery round.
extension Database {
    public func webhookSubscriptions(for actor: Actor) async throws -> [WebhookSubscription] {
        _ = try AccessPolicy.require(actor, .list, .integration)
        return try await read { sql in
            let events = try await Self.subscribedEvents(of: nil, in: sql)
            return try await sql.raw("SELECT \(unsafeRaw: Self.subscriptionColumns) FROM webhook_subscriptions ORDER BY id")
                .all().map { try Self.subscription(from: $0, events: events) }
        }
    }

    public func webhookSubscription(_ id: WebhookSubscription.ID, for actor: Actor) async throws -> WebhookSubscription {
        try AccessPolicy.require(actor, .read, .integration, id: id.rawValue, owner: nil)
        return try await read { sql in try await Self.subscription(id, in: sql) }
    }

    /// `problems` are those found while reading the request, reported together with the rest.
    public func addWebhookSubscription(_ patch: WebhookSubscriptionPatch, problems: ValidationFailure.Collector = .init(), sealedSecret: String,
                                       by actor: Actor, at now: Date, address: String? = nil) async throws -> WebhookSubscription {
        _ = try AccessPolicy.require(actor, .create, .integration)
        var errors = problems
        errors.check(patch.url != nil, "url", "is required")
        let eventsNamed = errors.errors.contains { $0.field == "events" }
        errors.check(patch.events != nil || eventsNamed, "events", "is required")
        errors.check(patch.state != .paused, "state", "a subscription is paused by Kvota only; expected active or disabled")
        var subscription = WebhookSubscription(id: 0, url: "", description: "", events: [], state: patch.state ?? .active, pausedAt: nil,
                                               pausedReason: nil, createdBy: actor.userID, createdAt: now, updatedAt: now, version: 1)
        Self.apply(patch, to: &subscription, into: &errors)
        try errors.finish()
        return try await write { sql in
            let row = try await sql.raw("""
                INSERT INTO webhook_subscriptions (url, description, secret_sealed, state, created_by, created_at, updated_at)
                VALUES (\(bind: subscription.url), \(bind: subscription.description), \(bind: sealedSecret), \(bind: subscription.state.rawValue),
                        \(bind: actor.userID.rawValue), \(bind: now.epochMilliseconds), \(bind: now.epochMilliseconds))
                RETURNING id
                """).first()
            subscription.id = .init(try row!.decode(column: "id", as: Int64.self))
            try await Self.writeEvents(subscription, in: sql)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "webhook", entityID: subscription.id.rawValue,
                                            changes: AuditLog.created(Self.fields(of: subscription)), address: address), in: sql)
            return subscription
        }
    }

    /// Changes a subscription. Turning a paused one on again resumes it: its waiting deliveries are tried at once, each
    /// with a new day of retries.
    public func updateWebhookSubscription(_ id: WebhookSubscription.ID, _ patch: WebhookSubscriptionPatch,
                                          problems: ValidationFailure.Collector = .init(), expectedVersion: Int64?, by actor: Actor,
                                          at now: Date, address: String? = nil) async throws -> WebhookSubscription {
        try AccessPolicy.require(actor, .update, .integration, id: id.rawValue, owner: nil)
        return try await write { sql in
            try await sql.lockForChange("webhook_subscriptions", id: id.rawValue)
            let old = try await Self.subscription(id, in: sql)
            try VersionConflict.check(.integration, id: id.rawValue, expected: expectedVersion, current: old.version)
            var errors = problems
            if patch.state == .paused, old.state != .paused {
                errors.check(false, "state", "a subscription is paused by Kvota only; expected active or disabled")
            }
            var new = old
            Self.apply(patch, to: &new, into: &errors)
            try errors.finish()
            if new.state != .paused { new.pausedAt = nil; new.pausedReason = nil }
            let changes = AuditLog.diff(Self.fields(of: old), Self.fields(of: new))
            guard !changes.isEmpty else { return old }
            new.version = old.version + 1
            new.updatedAt = now
            try await sql.raw("""
                UPDATE webhook_subscriptions SET url = \(bind: new.url), description = \(bind: new.description), state = \(bind: new.state.rawValue),
                    paused_at = \(bind: new.pausedAt?.epochMilliseconds), paused_reason = \(bind: new.pausedReason),
                    updated_at = \(bind: now.epochMilliseconds), version = version + 1
                WHERE id = \(bind: id.rawValue)
                """).run()
            if new.events != old.events {
                try await sql.raw("DELETE FROM webhook_subscription_events WHERE subscription_id = \(bind: id.rawValue)").run()
                try await Self.writeEvents(new, in: sql)
            }
            if old.state == .paused, new.state == .active {
                try await sql.raw("""
                    UPDATE webhook_deliveries SET next_attempt_at = \(bind: now.epochMilliseconds),
                        expires_at = \(bind: now.addingTimeInterval(WebhookRetry.window).epochMilliseconds), claimed_until = NULL
                    WHERE subscription_id = \(bind: id.rawValue) AND status = 'pending'
                    """).run()
            }
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "webhook", entityID: id.rawValue,
                                            changes: changes, address: address), in: sql)
            return new
        }
    }

    /// Replaces the signing secret; receivers must take the new one at once (Kvota signs with one secret at a time).
    public func replaceWebhookSecret(_ id: WebhookSubscription.ID, sealedSecret: String, by actor: Actor, at now: Date,
                                     address: String? = nil) async throws -> WebhookSubscription {
        try AccessPolicy.require(actor, .update, .integration, id: id.rawValue, owner: nil)
        return try await write { sql in
            var subscription = try await Self.subscription(id, in: sql)
            try await sql.raw("""
                UPDATE webhook_subscriptions SET secret_sealed = \(bind: sealedSecret), updated_at = \(bind: now.epochMilliseconds),
                    version = version + 1
                WHERE id = \(bind: id.rawValue)
                """).run()
            subscription.version += 1
            subscription.updatedAt = now
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "webhook", entityID: id.rawValue,
                                            changes: [.init("secret", old: nil, new: "replaced")], address: address), in: sql)
            return subscription
        }
    }

    /// Deletes a subscription with its delivery log and whatever still waits to be posted.
    public func deleteWebhookSubscription(_ id: WebhookSubscription.ID, expectedVersion: Int64?, by actor: Actor, at now: Date,
                                          address: String? = nil) async throws {
        try AccessPolicy.require(actor, .delete, .integration, id: id.rawValue, owner: nil)
        try await write { sql in
            try await sql.lockForChange("webhook_subscriptions", id: id.rawValue)
            let old = try await Self.subscription(id, in: sql)
            try VersionConflict.check(.integration, id: id.rawValue, expected: expectedVersion, current: old.version)
            try await DeletionRules.clear("webhook_subscriptions", id: id.rawValue, kind: "webhook", in: sql)
            try await sql.raw("DELETE FROM webhook_subscriptions WHERE id = \(bind: id.rawValue)").run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "delete", entity: "webhook", entityID: id.rawValue,
                                            changes: AuditLog.deleted(Self.fields(of: old)), address: address), in: sql)
        }
    }

    private static func apply(_ patch: WebhookSubscriptionPatch, to subscription: inout WebhookSubscription,
                              into errors: inout ValidationFailure.Collector) {
        if let url = patch.url?.trimmingCharacters(in: .whitespaces) {
            let parsed = URL(string: url)
            errors.check(parsed.map { ["http", "https"].contains($0.scheme?.lowercased() ?? "") && $0.host?.isEmpty == false } ?? false,
                         "url", "expected an http or https address like https://hooks.example.com/kvota, got '\(url)'")
            errors.check(parsed?.user == nil && parsed?.password == nil, "url", "must not carry a user or password; the signature proves the sender")
            errors.check(url.count <= 2_000, "url", "must be at most 2000 characters")
            subscription.url = url
        }
        if let description = patch.description {
            let text = description.trimmingCharacters(in: .whitespacesAndNewlines)
            errors.check(text.count <= 200, "description", "must be at most 200 characters")
            subscription.description = text
        }
        if let events = patch.events {
            // Unknown names were reported as they were read; the known ones left may then be none.
            errors.check(!events.isEmpty || errors.errors.contains { $0.field == "events" }, "events",
                         "name at least one of \(WebhookEvent.allCases.map(\.rawValue).joined(separator: ", "))")
            // Kept in the product's order, whatever order they came in.
            subscription.events = WebhookEvent.allCases.filter(events.contains)
        }
        if let state = patch.state { subscription.state = state }
    }

    private static func writeEvents(_ subscription: WebhookSubscription, in sql: any SQLDatabase) async throws {
        for event in subscription.events {
            try await sql.raw("""
                INSERT INTO webhook_subscription_events (event, subscription_id) VALUES (\(bind: event.rawValue), \(bind: subscription.id.rawValue))
                """).run()
        }
    }

    static func fields(of subscription: WebhookSubscription) -> [(String, String?)] {
        [("url", subscription.url), ("description", subscription.description),
         ("events", subscription.events.map(\.rawValue).joined(separator: ",")), ("state", subscription.state.rawValue)]
    }

    static let subscriptionColumns = "id, url, description, state, paused_at, paused_reason, created_by, created_at, updated_at, version"

    static func subscription(_ id: WebhookSubscription.ID, in sql: any SQLDatabase) async throws -> WebhookSubscription {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: subscriptionColumns) FROM webhook_subscriptions WHERE id = \(bind: id.rawValue)")
            .first() else { throw AccessDenied.notFound(.integration, id: id.rawValue) }
        return try subscription(from: row, events: try await subscribedEvents(of: id, in: sql))
    }

    /// Each subscription's events (one subscription's, or all when `id` is nil), in the product's order.
    private static func subscribedEvents(of id: WebhookSubscription.ID?,
                                         in sql: any SQLDatabase) async throws -> [Int64: [WebhookEvent]] {
        let filter: SQLQueryString = id.map { "WHERE subscription_id = \(bind: $0.rawValue)" } ?? ""
        var events: [Int64: Set<WebhookEvent>] = [:]
        for row in try await sql.raw("SELECT subscription_id, event FROM webhook_subscription_events \(filter)").all() {
            guard let event = WebhookEvent(rawValue: try row.decode(column: "event", as: String.self)) else { continue }
            events[try row.decode(column: "subscription_id", as: Int64.self), default: []].insert(event)
        }
        return events.mapValues { set in WebhookEvent.allCases.filter(set.contains) }
    }

    private static func subscription(from row: any SQLRow, events: [Int64: [WebhookEvent]]) throws -> WebhookSubscription {
        let id = try row.decode(column: "id", as: Int64.self)
        let stateKey = try row.decode(column: "state", as: String.self)
        guard let state = WebhookSubscription.State(rawValue: stateKey) else {
            throw StoreError.query("webhook_subscriptions: unknown state '\(stateKey)'")
        }
        func date(_ column: String) throws -> Date? { try row.decode(column: column, as: Int64?.self).map(Date.init(epochMilliseconds:)) }
        return WebhookSubscription(
            id: .init(id), url: try row.decode(column: "url", as: String.self), description: try row.decode(column: "description", as: String.self),
            events: events[id] ?? [], state: state, pausedAt: try date("paused_at"), pausedReason: try row.decode(column: "paused_reason", as: String?.self),
            createdBy: try row.decode(column: "created_by", as: Int64?.self).map { User.ID($0) }, createdAt: try date("created_at")!,
            updatedAt: try date("updated_at")!, version: try row.decode(column: "version", as: Int64.self))
    }
}
