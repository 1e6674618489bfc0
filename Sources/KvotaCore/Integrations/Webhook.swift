import Foundation

/// What an outgoing webhook subscription can ask to hear of (issue 11; docs/webhooks.md). The raw values are the
/// event names receivers see, so they are part of the product and never change.
public enum WebhookEvent: String, CaseIterable, Sendable, Codable {
    case leadCreated = "lead.created"
    /// A lead got another owner (or its first).
    case leadAssigned = "lead.assigned"
    case dealStageChanged = "deal.stage_changed"
    case dealWon = "deal.won"
    case dealLost = "deal.lost"
    case orderConfirmed = "order.confirmed"
    case callMissed = "call.missed"
    case alertRaised = "alert.raised"
    case planApproved = "plan.approved"
}

/// An admin's subscription: where to post which events. The signing secret is never part of it; Kvota shows it once,
/// when it is made or replaced.
public struct WebhookSubscription: Hashable, Sendable {
    public typealias ID = Identifier<WebhookSubscription>

    public enum State: String, CaseIterable, Sendable, Codable {
        case active
        /// Kvota stopped posting after a delivery failed for the whole retry window; new events still queue and
        /// wait until an admin resumes it.
        case paused
        /// Turned off by an admin: no events queue until it is turned on again.
        case disabled
    }

    public var id: ID
    public var url: String
    public var description: String
    public var events: [WebhookEvent]
    public var state: State
    public var pausedAt: Date?
    /// Why Kvota paused it: the last failure, in the receiver's or the network's words.
    public var pausedReason: String?
    public var createdBy: User.ID?
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int64

    public init(id: ID, url: String, description: String, events: [WebhookEvent], state: State, pausedAt: Date?,
                pausedReason: String?, createdBy: User.ID?, createdAt: Date, updatedAt: Date, version: Int64) {
        self.id = id; self.url = url; self.description = description; self.events = events; self.state = state
        self.pausedAt = pausedAt; self.pausedReason = pausedReason; self.createdBy = createdBy; self.createdAt = createdAt
        self.updatedAt = updatedAt; self.version = version
    }
}

/// One event on its way to one subscription, as the delivery log shows it.
public struct WebhookDelivery: Hashable, Sendable {
    public typealias ID = Identifier<WebhookDelivery>

    public enum Status: String, CaseIterable, Sendable, Codable {
        /// Waiting for its first or next attempt.
        case pending
        case delivered
        /// Given up: every attempt of the retry window failed.
        case failed
    }

    public var id: ID
    public var subscriptionID: WebhookSubscription.ID
    /// The same for every subscription that hears of one event, so a receiver can drop a repeat.
    public var eventID: String
    public var event: WebhookEvent
    /// The JSON body as posted.
    public var payload: String
    public var createdAt: Date
    public var status: Status
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastAttemptAt: Date?
    /// The receiver's HTTP status of the last attempt; nil when it never answered.
    public var responseStatus: Int?
    public var lastError: String?
    public var deliveredAt: Date?
    /// No attempt is made after this; the delivery is then failed and the subscription paused.
    public var expiresAt: Date

    public init(id: ID, subscriptionID: WebhookSubscription.ID, eventID: String, event: WebhookEvent, payload: String,
                createdAt: Date, status: Status, attempts: Int, nextAttemptAt: Date?, lastAttemptAt: Date?, responseStatus: Int?,
                lastError: String?, deliveredAt: Date?, expiresAt: Date) {
        self.id = id; self.subscriptionID = subscriptionID; self.eventID = eventID; self.event = event; self.payload = payload
        self.createdAt = createdAt; self.status = status; self.attempts = attempts; self.nextAttemptAt = nextAttemptAt
        self.lastAttemptAt = lastAttemptAt; self.responseStatus = responseStatus; self.lastError = lastError
        self.deliveredAt = deliveredAt; self.expiresAt = expiresAt
    }
}

/// When a failed delivery is tried again: 30 seconds after the first failure, doubling each time up to four hours
/// apart, for a day from the event (14 attempts). No jitter: deliveries of one event to one receiver are few, and
/// a schedule a receiver's operator can predict is worth more than spreading them.
public enum WebhookRetry {
    public static let firstDelay: TimeInterval = 30
    public static let longestDelay: TimeInterval = 4 * 3600
    /// How long Kvota keeps trying one delivery.
    public static let window: TimeInterval = 24 * 3600

    /// The wait after the `attempt`-th failed attempt (1-based).
    public static func delay(afterFailedAttempt attempt: Int) -> TimeInterval {
        let doublings = max(0, min(attempt - 1, 20))
        return min(firstDelay * Double(1 << doublings), longestDelay)
    }

    /// When to try again after the `attempt`-th failure at `now`, or nil to give up: the next attempt would fall past
    /// `expiresAt`.
    public static func nextAttempt(afterFailedAttempt attempt: Int, at now: Date, expiresAt: Date) -> Date? {
        let next = now.addingTimeInterval(delay(afterFailedAttempt: attempt))
        return next <= expiresAt ? next : nil
    }
}
