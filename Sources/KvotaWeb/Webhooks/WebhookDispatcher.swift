import AsyncHTTPClient
import Foundation
import KvotaCore
import KvotaStore
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// Posts the webhook deliveries that are due (docs/webhooks.md): claims them in the database, signs each with its
/// subscription's secret and records how it went. Redirects are not followed (a receiver that moved is told by the
/// failures); a receiver has `timeout` to answer.
public struct WebhookDispatcher: Sendable {
    let database: Database
    let secrets: SecretBox
    let client: HTTPClient
    let now: @Sendable () -> Date
    let logger: Logger
    /// Deliveries one round posts at once.
    let batch = 16
    let timeout: TimeAmount

    /// `client` is the caller's to shut down (`makeClient()` makes one as the server uses it).
    public init(database: Database, secrets: SecretBox, client: HTTPClient, now: @escaping @Sendable () -> Date, logger: Logger,
                timeout: TimeAmount = .seconds(10)) {
        self.database = database; self.secrets = secrets; self.client = client; self.now = now; self.logger = logger
        self.timeout = timeout
    }

    public static func makeClient() -> HTTPClient {
        HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                   configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5))))
    }

    /// Posts what is due now, a batch at a time, until nothing is; returns how many attempts it made.
    @discardableResult
    public func round() async throws -> Int {
        var attempts = 0
        while true {
            let due = try await database.claimWebhookDeliveries(at: now(), limit: batch)
            if due.isEmpty { return attempts }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for delivery in due {
                    group.addTask { try await deliver(delivery) }
                }
                try await group.waitForAll()
            }
            attempts += due.count
        }
    }

    private func deliver(_ due: DueWebhookDelivery) async throws {
        let attempt = await post(due)
        let after = try await database.recordWebhookAttempt(due.delivery.id, attempt, at: now())
        if case .failed(let status, let error) = attempt {
            logger.notice("webhook delivery failed", metadata: [
                "delivery": "\(due.delivery.id)", "subscription": "\(due.delivery.subscriptionID)", "status": "\(status.map(String.init) ?? "-")",
                "error": "\(error)", "next": "\(after.nextAttemptAt.map { "\($0)" } ?? after.status.rawValue)"])
        }
    }

    private func post(_ due: DueWebhookDelivery) async -> WebhookAttempt {
        guard let secret = secrets.open(due.sealedSecret) else {
            return .failed(status: nil, error: "the signing secret was sealed with another server key; replace the secret (POST /api/v1/webhooks/\(due.delivery.subscriptionID)/secret)")
        }
        let timestamp = Int64(now().timeIntervalSince1970)
        var request = HTTPClientRequest(url: due.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Kvota-Webhooks/1")
        request.headers.add(name: "Kvota-Event", value: due.delivery.event.rawValue)
        request.headers.add(name: "Kvota-Event-Id", value: due.delivery.eventID)
        request.headers.add(name: "Kvota-Delivery", value: String(due.delivery.id.rawValue))
        request.headers.add(name: "Kvota-Timestamp", value: String(timestamp))
        request.headers.add(name: "Kvota-Signature", value: WebhookSignature.sign(body: due.delivery.payload, timestamp: timestamp, secret: secret))
        request.body = .bytes(ByteBuffer(string: due.delivery.payload))
        do {
            let response = try await client.execute(request, timeout: timeout, logger: logger)
            // The body is not used, but reading some of it lets the connection go back to the pool.
            let answer = try? await response.body.collect(upTo: 4096)
            let status = Int(response.status.code)
            if (200..<300).contains(status) { return .delivered(status: status) }
            let text = answer.map { String(buffer: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return .failed(status: status, error: "the receiver answered \(status)" + (text.isEmpty ? "" : ": \(text.prefix(200))"))
        } catch {
            return .failed(status: nil, error: "\(error)")
        }
    }
}

/// Runs the dispatcher's rounds inside the server, and once an hour forgets deliveries older than 30 days.
struct WebhookSchedule: Service {
    let database: Database
    let secrets: SecretBox
    let every: Duration
    let now: @Sendable () -> Date
    let logger: Logger

    func run() async throws {
        // Made here, not with the app: a client must be shut down, and an app built for a test never runs its services.
        let client = WebhookDispatcher.makeClient()
        let dispatcher = WebhookDispatcher(database: database, secrets: secrets, client: client, now: now, logger: logger)
        let pruned = Mutex<Date?>(nil)
        await RepeatingRounds.run("webhooks", every: every, logger: dispatcher.logger, failure: "webhook round failed") { [dispatcher] in
            try await dispatcher.round()
            let now = dispatcher.now()
            if pruned.withLock({ last in last.map { now.timeIntervalSince($0) < 3600 } ?? false }) { return }
            pruned.withLock { $0 = now }
            try await dispatcher.database.pruneWebhookDeliveries(before: now.addingTimeInterval(-30 * 86_400))
        }
        try await client.shutdown()
    }
}
