import KvotaCore

/// The KPIs part of the OpenAPI document (issue 8).
enum KPIOperations {
    static let all: [APIOperation] = [
        APIOperation(method: "GET", path: "/api/v1/kpis", summary: "KPIs of the company, a team or a user, with the period before and the team median",
                     tag: "KPIs",
                     query: [("scope", "company, team:ID or user:ID (required)"), ("from", "first day, YYYY-MM-DD (default: this month's first)"),
                             ("to", "last day, YYYY-MM-DD (default: today)"), ("keys", "comma-separated KPI keys (default: all)")],
                     response: .ref("KPIs")),
    ]

    static let schemas: [String: JSONSchema] = [
        "KPIs": .record([
            ("scope", .string), ("from", .date), ("to", .date), ("previousFrom", .date), ("previousTo", .date), ("currency", .string),
            ("items", .array(.record([("key", APISchemas.keys(KPI.self)), ("value", .nullable(.number)), ("unit", APISchemas.keys(KPI.Unit.self)),
                                      ("previous", .nullable(.number)), ("teamMedian", .nullable(.number))]))),
        ]),
    ]
}
