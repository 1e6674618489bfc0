import KvotaCore

/// The analytics part of the OpenAPI document (issue 6).
enum AnalyticsOperations {
    static let shared: [(String, String)] = [
        ("from", "first day, YYYY-MM-DD, company time zone (default: 1 January of this year)"), ("to", "last day, inclusive (default: today)"),
        ("team", "team id"), ("manager", "user id"), ("region", "region id, with its sub-regions"), ("channel", "channel id"),
        ("category", "product category id, with its sub-categories"), ("format", "json or csv"),
    ]

    static let all: [APIOperation] = [
        APIOperation(method: "GET", path: "/api/v1/analytics/dynamics", summary: "Sales dynamics: a measure per period, against the previous period and a year earlier",
                     tag: "Analytics",
                     query: [("measure", "revenue, margin, quantity, orders, deals_won or new_customers (default revenue)"),
                             ("grain", "day, week, month, quarter, half_year or year (default month)"),
                             ("by", "manager, team, region, channel, category, product or account"),
                             ("top", "with by: the largest series to show, 1 to 50 (default 10); the rest are summed as other")] + shared,
                     response: .ref("Dynamics"), csv: true),
    ]

    static let schemas: [String: JSONSchema] = [
        "Dynamics": .record([
            ("measure", APISchemas.keys(SalesMeasure.self)), ("grain", .string), ("currency", .string), ("from", .date), ("to", .date),
            ("series", .array(.record([
                ("key", .string), ("name", .string),
                ("points", .array(.record([
                    ("period", .string), ("partial", .boolean), ("value", .integer), ("previous", .integer), ("changePct", .nullable(.number)),
                    ("yoyValue", .integer), ("yoyPct", .nullable(.number)),
                ]))),
            ]))),
        ]),
    ]
}
