import KvotaCore

/// The manager's toolkit part of the OpenAPI document (issue 8): SWOT boards.
enum ToolkitOperations {
    static let itemBody = JSONSchema.body([("quadrant", APISchemas.keys(SwotBoard.Quadrant.self)), ("text", .string), ("impact", .integer),
                                           ("ownerId", .nullable(.integer))])

    static let summary = JSONSchema.record([("id", APISchemas.id), ("scope", .string), ("period", .string), ("title", .string),
                                            ("createdAt", .dateTime)])

    static let all: [APIOperation] = [
        APIOperation(method: "GET", path: "/api/v1/swot", summary: "SWOT boards one may read, newest period first", tag: "Toolkit",
                     query: [.text("scope", "company, team:ID or category:ID")], response: .record([("items", .array(summary))])),
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
        APIOperation(method: "GET", path: "/api/v1/scorecards", summary: "Quality-control scorecards", tag: "Toolkit",
                     response: .record([("items", .array(.ref("Scorecard")))])),
        APIOperation(method: "POST", path: "/api/v1/scorecards", summary: "A scorecard of weighted criteria", tag: "Toolkit",
                     body: .body([("name", .string), ("criteria", .array(criterion)), ("maxScore", .integer)], required: ["name", "criteria"]),
                     status: 201, response: .ref("Scorecard")),
        APIOperation(method: "POST", path: "/api/v1/scorecards/{id}/retire", summary: "Retire a scorecard (its reviews stay)", tag: "Toolkit",
                     status: 204, response: nil),
        APIOperation(method: "GET", path: "/api/v1/reviews", summary: "Reviews of calls, meetings and test purchases one may read, newest first",
                     tag: "Toolkit", query: reviewQuery, response: .record([("items", .array(.ref("Review")))])),
        APIOperation(method: "GET", path: "/api/v1/reviews/trend", summary: "Each rep's mean review score per month", tag: "Toolkit",
                     query: reviewQuery,
                     response: .record([("items", .array(.record([("repId", .integer), ("name", .string),
                                                                  ("months", .array(.record([("month", .string), ("mean", .number), ("count", .integer)])))])))])),
        APIOperation(method: "POST", path: "/api/v1/reviews", summary: "Score a rep's call, meeting or test purchase", tag: "Toolkit",
                     body: .body([("scorecardId", .integer), ("repId", .integer), ("subject", APISchemas.keys(Review.Subject.self)),
                                  ("activityId", .integer), ("occurredOn", .date), ("scores", .map(.integer)), ("comment", .string)],
                                 required: ["scorecardId", "repId", "subject", "scores"]),
                     status: 201, response: .ref("Review")),
    ]

    static let criterion = JSONSchema.record([("name", .string), ("weight", .number)])
    static let reviewQuery: [QueryParameter] = [.id("rep", "one rep's"), .day("from", "first day, YYYY-MM-DD"), .day("to", "last day, YYYY-MM-DD")]

    static let schemas: [String: JSONSchema] = [
        "Scorecard": .record([("id", APISchemas.id), ("name", .string), ("criteria", .array(criterion)), ("maxScore", .integer), ("active", .boolean),
                              ("createdAt", .dateTime)]),
        "Review": .record([
            ("id", APISchemas.id), ("scorecardId", .integer), ("repId", .integer), ("reviewerId", .integer),
            ("subject", APISchemas.keys(Review.Subject.self)), ("activityId", .nullable(.integer)), ("occurredOn", .date),
            ("scores", .array(.record([("criterion", .string), ("weight", .number), ("score", .integer)]))), ("maxScore", .integer),
            ("total", .number), ("comment", .nullable(.string)), ("createdAt", .dateTime),
        ]),
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
