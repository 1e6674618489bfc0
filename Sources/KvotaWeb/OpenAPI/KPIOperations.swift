import KvotaCore

/// The KPIs part of the OpenAPI document (issue 8).
enum KPIOperations {
    static let all: [APIOperation] = [
        APIOperation(method: "GET", path: "/api/v1/kpis", summary: "KPIs of the company, a team or a user, with the period before and the team median",
                     tag: "KPIs",
                     query: [.text("scope", "company, team:ID or user:ID (required)"), .day("from", "first day, YYYY-MM-DD (default: this month's first)"),
                             .day("to", "last day, YYYY-MM-DD (default: today)"), .text("keys", "comma-separated KPI keys (default: all)")],
                     response: .ref("KPIs")),
        APIOperation(method: "GET", path: "/api/v1/kpis/leaderboard", summary: "A team's members ranked on one KPI over a window, best first",
                     tag: "KPIs",
                     query: [.id("team", "the team's id (required)"), .text("key", "the KPI (default revenue)"), .text("from", "first day (default: this month's first)"),
                             .text("to", "last day (default: today)")],
                     response: .ref("KPILeaderboard")),
        APIOperation(method: "GET", path: "/api/v1/teams/{id}/daily",
                     summary: "The team's daily meeting: each rep's last working day and today, overdue tasks, stalled deals, waiting leads, the month's plan",
                     tag: "KPIs", query: [.day("date", "the meeting's day, YYYY-MM-DD (default: today)")], response: .ref("DailyMeeting")),
        APIOperation(method: "GET", path: "/api/v1/teams/{id}/weekly",
                     summary: "The team's week beside the week before, per member and for the team, deals won and lost, the team's plan",
                     tag: "KPIs", query: [.text("week", "an ISO week, 2026-W47 (default: this week, to today)")], response: .ref("WeeklySummary")),
        APIOperation(method: "GET", path: "/api/v1/kpi-targets", summary: "KPI targets per role or user, every version", tag: "KPIs",
                     query: [.text("appliesTo", "role:ROLE or user:ID")], response: .record([("items", .array(.ref("KPITarget")))])),
        APIOperation(method: "POST", path: "/api/v1/kpi-targets", summary: "Add a KPI target for a role or user from a day on", tag: "KPIs",
                     body: .body([("kpi", APISchemas.keys(KPI.self)), ("appliesTo", .string), ("target", .number), ("effectiveFrom", .date)],
                                 required: ["kpi", "appliesTo", "target", "effectiveFrom"]),
                     status: 201, response: .ref("KPITarget")),
        APIOperation(method: "DELETE", path: "/api/v1/kpi-targets/{id}", summary: "Delete a KPI target entered by mistake", tag: "KPIs",
                     status: 204, response: nil),
    ]

    static let item = JSONSchema.record([("id", .integer), ("title", .string), ("ownerId", .integer), ("at", .nullable(.dateTime))])

    static let figures = JSONSchema.record([
        ("callsOutbound", .integer), ("callsInbound", .integer), ("effectiveConversations", .integer), ("missedCalls", .integer),
        ("meetingsHeld", .integer), ("qualifiedLeads", .integer), ("dealsNew", .integer), ("dealsWon", .integer), ("wonAmount", .integer),
        ("dealsLost", .integer), ("revenue", .integer), ("margin", .integer),
    ])
    static let weekMember = JSONSchema.record([("userId", .integer), ("name", .string), ("week", figures), ("previous", figures)])
    static let closedDeal = JSONSchema.record([
        ("id", .integer), ("title", .string), ("ownerId", .integer), ("amountMinor", .integer), ("currency", .string), ("closedOn", .date),
        ("lossReason", .nullable(.string)),
    ])

    static let schemas: [String: JSONSchema] = [
        "WeeklySummary": .record([
            ("teamId", .integer), ("week", .string), ("from", .date), ("to", .date), ("previousFrom", .date), ("previousTo", .date),
            ("currency", .string), ("members", .array(weekMember)), ("team", weekMember), ("won", .array(closedDeal)), ("lost", .array(closedDeal)),
            ("plan", .nullable(.record([("planId", .integer), ("period", .string), ("measures", .array(PlanOperations.measure))]))),
        ]),
        "KPITarget": .record([
            ("id", APISchemas.id), ("kpi", APISchemas.keys(KPI.self)), ("unit", APISchemas.keys(KPI.Unit.self)), ("appliesTo", .string),
            ("target", .number), ("effectiveFrom", .date), ("createdAt", .dateTime),
        ]),
        "KPILeaderboard": .record([
            ("teamId", .integer), ("key", APISchemas.keys(KPI.self)), ("unit", APISchemas.keys(KPI.Unit.self)), ("from", .date), ("to", .date),
            ("currency", .string),
            ("items", .array(.record([("rank", .integer), ("userId", .integer), ("name", .string), ("value", .nullable(.number))]))),
        ]),
        "DailyMeeting": .record([
            ("teamId", .integer), ("date", .date), ("previousDay", .date), ("currency", .string),
            ("members", .array(.record([
                ("userId", .integer), ("name", .string),
                ("yesterday", .record([("callsOutbound", .integer), ("callsInbound", .integer), ("effectiveConversations", .integer),
                                       ("missedCalls", .integer), ("meetingsHeld", .integer), ("dealsMoved", .integer), ("dealsWon", .integer),
                                       ("revenue", .integer)])),
                ("today", .array(item)),
            ]))),
            ("overdueTasks", .array(item)), ("stalledDeals", .array(item)), ("leadsOverSla", .array(item)),
            ("plan", .nullable(.record([("planId", .integer), ("period", .string), ("measures", .array(PlanOperations.measure))]))),
        ]),
        "KPIs": .record([
            ("scope", .string), ("from", .date), ("to", .date), ("previousFrom", .date), ("previousTo", .date), ("currency", .string),
            ("items", .array(.record([("key", APISchemas.keys(KPI.self)), ("value", .nullable(.number)), ("unit", APISchemas.keys(KPI.Unit.self)),
                                      ("previous", .nullable(.number)), ("teamMedian", .nullable(.number)),
                                      ("target", .nullable(.number)), ("score", .nullable(.number))]))),
        ]),
    ]
}
