import KvotaCore

/// The manager's toolkit part of the OpenAPI document (issue 8): SWOT boards.
enum ToolkitOperations {
    static let itemBody = JSONSchema.body([("quadrant", APISchemas.keys(SwotBoard.Quadrant.self)), ("text", .string), ("impact", .integer),
                                           ("ownerId", .nullable(.integer))])

    static let summary = JSONSchema.record([("id", APISchemas.id), ("scope", .string), ("period", .string), ("title", .string),
                                            ("createdAt", .dateTime)])

    static let all: [APIOperation] = [
        APIOperation(method: "GET", path: "/api/v1/swot", summary: "SWOT boards one may read, newest period first", tag: "Toolkit",
                     query: [("scope", "company, team:ID or category:ID")], response: .record([("items", .array(summary))])),
        APIOperation(method: "POST", path: "/api/v1/swot", summary: "A SWOT board for a scope and period", tag: "Toolkit",
                     body: .body([("scope", .string), ("period", .string), ("title", .string)], required: ["scope", "period"]),
                     status: 201, response: .ref("SwotBoard")),
        APIOperation(method: "GET", path: "/api/v1/swot/{id}", summary: "A SWOT board with its items, and the board of the period before",
                     tag: "Toolkit", response: .record([("board", .ref("SwotBoard")), ("previous", .nullable(.ref("SwotBoard")))])),
        APIOperation(method: "POST", path: "/api/v1/swot/{id}/items", summary: "Add an item to a board", tag: "Toolkit", body: itemBody,
                     status: 201, response: .ref("SwotItem")),
        APIOperation(method: "PATCH", path: "/api/v1/swot/items/{id}", summary: "Change an item (If-Match its version)", tag: "Toolkit",
                     body: itemBody, response: .ref("SwotItem")),
        APIOperation(method: "DELETE", path: "/api/v1/swot/items/{id}", summary: "Delete an item (its tasks stay)", tag: "Toolkit",
                     status: 204, response: nil),
        APIOperation(method: "POST", path: "/api/v1/swot/items/{id}/tasks", summary: "Spawn a task from an item", tag: "Toolkit",
                     body: .body([("ownerId", .integer), ("subject", .string), ("dueAt", .dateTime)]), status: 201,
                     response: .record([("activityId", .integer), ("ownerId", .integer), ("subject", .string), ("dueAt", .nullable(.dateTime))])),
    ]

    static let schemas: [String: JSONSchema] = [
        "SwotItem": .record([
            ("id", APISchemas.id), ("quadrant", APISchemas.keys(SwotBoard.Quadrant.self)), ("text", .string), ("impact", .integer),
            ("ownerId", .nullable(.integer)), ("taskIds", .array(.integer)), ("version", .integer),
        ]),
        "SwotBoard": .record([
            ("id", APISchemas.id), ("scope", .string), ("period", .string), ("title", .string), ("createdAt", .dateTime),
            ("items", .array(.ref("SwotItem"))), ("previousId", .nullable(.integer)),
        ]),
    ]
}
