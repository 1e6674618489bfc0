import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/webhooks`: outgoing webhook subscriptions and their delivery logs, for admins (docs/webhooks.md). The
/// signing secret is in the answers that make it only: creating a subscription and replacing its secret.
struct WebhooksAPI {
    let database: Database
    let config: AppConfig
    /// The server's key the secrets are sealed with, which the delivery round opens them with.
    let secrets: SecretBox

    struct SubscriptionDTO: Encodable {
        let id: Int64
        let url: String
        let description: String
        let events: [String]
        let state: String
        let pausedAt: Date?
        let pausedReason: String?
        let createdBy: Int64?
        let createdAt: Date
        let updatedAt: Date
        let version: Int64
        /// Only when it was just made.
        let secret: String?

        init(_ s: WebhookSubscription, secret: String? = nil) {
            id = s.id.rawValue; url = s.url; description = s.description; events = s.events.map(\.rawValue); state = s.state.rawValue
            pausedAt = s.pausedAt; pausedReason = s.pausedReason; createdBy = s.createdBy?.rawValue; createdAt = s.createdAt
            updatedAt = s.updatedAt; version = s.version; self.secret = secret
        }
    }

    struct DeliveryDTO: Encodable {
        let id: Int64
        let subscriptionId: Int64
        let eventId: String
        let event: String
        let status: String
        let attempts: Int
        let createdAt: Date
        let nextAttemptAt: Date?
        let lastAttemptAt: Date?
        let responseStatus: Int?
        let lastError: String?
        let deliveredAt: Date?
        let expiresAt: Date
        /// The body as posted (a JSON text).
        let payload: String

        init(_ d: WebhookDelivery) {
            id = d.id.rawValue; subscriptionId = d.subscriptionID.rawValue; eventId = d.eventID; event = d.event.rawValue
            status = d.status.rawValue; attempts = d.attempts; createdAt = d.createdAt; nextAttemptAt = d.nextAttemptAt
            lastAttemptAt = d.lastAttemptAt; responseStatus = d.responseStatus; lastError = d.lastError; deliveredAt = d.deliveredAt
            expiresAt = d.expiresAt; payload = d.payload
        }
    }

    struct Body: Decodable {
        let url: String?
        let description: String?
        let events: [String]?
        let state: String?
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/webhooks") { _, context -> Response in
            try JSONBody.response(Page(items: try await database.webhookSubscriptions(for: context.actor).map { SubscriptionDTO($0) }))
        }
        api.post("/webhooks") { request, context -> Response in
            _ = try AccessPolicy.require(context.actor, .create, .integration)
            var errors = ValidationFailure.Collector()
            let patch = Self.patch(try await JSONBody.decode(Body.self, from: request), into: &errors)
            let secret = Secrets.generate(prefix: "kvw_")
            let made = try await database.addWebhookSubscription(patch, problems: errors, sealedSecret: try secrets.seal(secret), by: context.actor,
                                                                 at: config.now(), address: context.address)
            return try Versioning.response(SubscriptionDTO(made, secret: secret), version: made.version, status: .created)
        }
        api.get("/webhooks/:id") { request, context -> Response in
            let found = try await database.webhookSubscription(.init(try request.id(.integration, context: context)), for: context.actor)
            return try Versioning.response(SubscriptionDTO(found), version: found.version)
        }
        api.patch("/webhooks/:id") { request, context -> Response in
            let id = WebhookSubscription.ID(try request.id(.integration, context: context))
            try AccessPolicy.require(context.actor, .update, .integration, id: id.rawValue, owner: nil)
            var errors = ValidationFailure.Collector()
            let patch = Self.patch(try await JSONBody.decode(Body.self, from: request), into: &errors)
            let changed = try await database.updateWebhookSubscription(id, patch, problems: errors, expectedVersion: try Versioning.expectedVersion(request),
                                                                       by: context.actor, at: config.now(), address: context.address)
            return try Versioning.response(SubscriptionDTO(changed), version: changed.version)
        }
        api.delete("/webhooks/:id") { request, context -> Response in
            try await database.deleteWebhookSubscription(.init(try request.id(.integration, context: context)),
                                                         expectedVersion: try Versioning.expectedVersion(request), by: context.actor,
                                                         at: config.now(), address: context.address)
            return Response(status: .noContent)
        }
        api.post("/webhooks/:id/secret") { request, context -> Response in
            let id = WebhookSubscription.ID(try request.id(.integration, context: context))
            try AccessPolicy.require(context.actor, .update, .integration, id: id.rawValue, owner: nil)
            let secret = Secrets.generate(prefix: "kvw_")
            let changed = try await database.replaceWebhookSecret(id, sealedSecret: try secrets.seal(secret), by: context.actor,
                                                                  at: config.now(), address: context.address)
            return try Versioning.response(SubscriptionDTO(changed, secret: secret), version: changed.version)
        }
        api.get("/webhooks/:id/deliveries") { request, context -> Response in
            let id = WebhookSubscription.ID(try request.id(.integration, context: context))
            let parameters = request.uri.queryParameters
            var errors = ValidationFailure.Collector()
            let status = decodeKey(parameters["status"].map(String.init), as: WebhookDelivery.Status.self, field: "status", into: &errors)
            let before = ListParameters.id(parameters, "cursor", into: &errors).map { WebhookDelivery.ID($0) }
            let limit = ListParameters.number(parameters, "limit", 50, in: 1...500, into: &errors)
            try errors.finish()
            let items = try await database.webhookDeliveries(of: id, status: status, before: before, limit: limit, for: context.actor)
            return try JSONBody.response(Page(items: items.map(DeliveryDTO.init),
                                              nextCursor: items.count == limit ? items.last.map { String($0.id.rawValue) } : nil))
        }
        api.post("/webhooks/:id/deliveries/:delivery/retry") { request, context -> Response in
            let id = try request.id(.integration, context: context)
            guard let text = context.parameters.get("delivery"), let delivery = Int64(text), delivery > 0 else {
                throw AccessDenied.notFound(.integration, id: 0)
            }
            let retried = try await database.retryWebhookDelivery(.init(delivery), of: .init(id), by: context.actor, at: config.now())
            return try JSONBody.response(DeliveryDTO(retried))
        }
    }

    /// The body's events and state, each unknown one a problem the store reports with its own.
    private static func patch(_ body: Body, into errors: inout ValidationFailure.Collector) -> WebhookSubscriptionPatch {
        var events: [WebhookEvent]?
        if let names = body.events {
            events = names.compactMap { decodeKey($0, as: WebhookEvent.self, field: "events", into: &errors) }
        }
        let state = decodeKey(body.state, as: WebhookSubscription.State.self, field: "state", into: &errors)
        return WebhookSubscriptionPatch(url: body.url, description: body.description, events: events, state: state)
    }
}
