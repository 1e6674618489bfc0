import KvotaCore
import KvotaStore

/// Outgoing webhooks (issue 11) in the OpenAPI document.
enum WebhookOperations {
    static let fields: [(String, JSONSchema)] = [("url", .string), ("description", .string), ("events", .array(APISchemas.keys(WebhookEvent.self))),
                                                 ("state", APISchemas.keys(WebhookSubscription.State.self))]

    static let all: [APIOperation] = [
        APIOperation(method: "GET", path: "/api/v1/webhooks", summary: "Outgoing webhook subscriptions (admins)", tag: "Webhooks",
                     response: APISchemas.items("Webhook")),
        APIOperation(method: "POST", path: "/api/v1/webhooks", summary: "Subscribe an address to events; the answer shows the signing secret, once",
                     tag: "Webhooks", body: .body(fields, required: ["url", "events"]),
                     status: 201, response: .ref("Webhook")),
        APIOperation(method: "GET", path: "/api/v1/webhooks/{id}", summary: "One subscription", tag: "Webhooks", response: .ref("Webhook")),
        APIOperation(method: "PATCH", path: "/api/v1/webhooks/{id}",
                     summary: "Change a subscription; state active resumes a paused one, its waiting deliveries posted at once", tag: "Webhooks",
                     body: .body(fields), response: .ref("Webhook")),
        APIOperation(method: "DELETE", path: "/api/v1/webhooks/{id}", summary: "Delete a subscription with its delivery log", tag: "Webhooks",
                     status: 204),
        APIOperation(method: "POST", path: "/api/v1/webhooks/{id}/secret",
                     summary: "Replace the signing secret; the answer shows the new one, once", tag: "Webhooks", response: .ref("Webhook")),
        APIOperation(method: "GET", path: "/api/v1/webhooks/{id}/deliveries", summary: "A subscription's deliveries, newest first", tag: "Webhooks",
                     query: [.choice("status", WebhookDelivery.Status.self, "pending, delivered or failed"), .count("limit", 1...500, "1 to 500 (default 50)"),
                             .text("cursor", "the previous page's nextCursor")],
                     response: APISchemas.items("WebhookDelivery")),
        APIOperation(method: "POST", path: "/api/v1/webhooks/{id}/deliveries/{delivery}/retry",
                     summary: "Post a failed or waiting delivery now, with a new day of retries", tag: "Webhooks",
                     response: .ref("WebhookDelivery")),
    ]

    static let schemas: [String: JSONSchema] = [
        "Webhook": .record([
            ("id", APISchemas.id), ("url", .string), ("description", .string), ("events", .array(APISchemas.keys(WebhookEvent.self))),
            ("state", APISchemas.keys(WebhookSubscription.State.self)), ("pausedAt", .nullable(.dateTime)), ("pausedReason", .nullable(.string)),
            ("createdBy", .nullable(.integer)), ("createdAt", .dateTime), ("updatedAt", .dateTime), ("version", .integer),
            ("secret", .nullable(.string)),
        ]),
        "WebhookDelivery": .record([
            ("id", APISchemas.id), ("subscriptionId", .integer), ("eventId", .string), ("event", APISchemas.keys(WebhookEvent.self)),
            ("status", APISchemas.keys(WebhookDelivery.Status.self)), ("attempts", .integer), ("createdAt", .dateTime),
            ("nextAttemptAt", .nullable(.dateTime)), ("lastAttemptAt", .nullable(.dateTime)), ("responseStatus", .nullable(.integer)),
            ("lastError", .nullable(.string)), ("deliveredAt", .nullable(.dateTime)), ("expiresAt", .dateTime), ("payload", .string),
        ]),
    ]
}
