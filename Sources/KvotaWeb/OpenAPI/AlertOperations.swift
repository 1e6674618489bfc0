import KvotaCore
import KvotaStore

/// The alerts part of the OpenAPI document (issue 8).
enum AlertOperations {
    static let all: [APIOperation] = [
        APIOperation(method: "GET", path: "/api/v1/alerts", summary: "One's own alerts, newest first, with the unread count of the bell", tag: "Alerts",
                     query: [.choice("show", AlertQuery.Show.self, "open (default: new and seen), new, seen, resolved or all"), .choice("rule", AlertRule.self, "one rule's alerts"),
                             .count("limit", 1...500, "1 to 500 (default 50)"), .text("cursor", "the previous page's `next`")],
                     response: .ref("Alerts")),
        APIOperation(method: "GET", path: "/api/v1/alerts/{id}", summary: "One of one's alerts", tag: "Alerts", response: .ref("Alert")),
        APIOperation(method: "POST", path: "/api/v1/alerts/seen", summary: "Mark some or all of one's alerts seen", tag: "Alerts",
                     body: .body([("ids", .array(.integer)), ("all", .boolean)], required: []),
                     response: .record([("marked", .integer), ("unread", .integer)])),
        APIOperation(method: "POST", path: "/api/v1/alerts/{id}/resolve", summary: "Resolve an alert for all its recipients", tag: "Alerts",
                     body: .body([("note", .string)], required: []), response: .ref("Alert")),
        APIOperation(method: "POST", path: "/api/v1/alerts/evaluate", summary: "Evaluate every alert rule now (admins)", tag: "Alerts",
                     response: .record([("checked", .array(APISchemas.keys(AlertRule.self))), ("raised", .map(.integer)),
                                        ("cleared", .map(.integer))])),
    ]

    static let schemas: [String: JSONSchema] = [
        "Alert": .record([
            ("id", APISchemas.id), ("rule", APISchemas.keys(AlertRule.self)), ("subject", APISchemas.keys(AlertRule.Subject.self)),
            ("subjectId", .integer), ("episode", .string), ("ownerId", .nullable(.integer)), ("title", .string), ("since", .nullable(.dateTime)),
            ("value", .nullable(.number)), ("state", APISchemas.keys(Alert.State.self)), ("raisedAt", .dateTime), ("seenAt", .nullable(.dateTime)),
            ("resolvedAt", .nullable(.dateTime)), ("resolvedBy", .nullable(.integer)), ("clearedAt", .nullable(.dateTime)),
            ("link", .nullable(.string)),
        ]),
        "Alerts": .record([("items", .array(.ref("Alert"))), ("unread", .integer), ("next", .nullable(.string))]),
    ]
}
