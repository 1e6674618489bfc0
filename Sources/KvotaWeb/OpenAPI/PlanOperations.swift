import KvotaCore

/// The plans part of the OpenAPI document (issue 7).
enum PlanOperations {
    static let target = JSONSchema.record([("measure", APISchemas.keys(PlanMeasure.self)), ("target", .integer)])
    static let row = JSONSchema.record([
        ("dimension", APISchemas.keys(PlanDimension.self)), ("key", .integer), ("measure", APISchemas.keys(PlanMeasure.self)), ("target", .integer),
    ])
    static let asOf = QueryParameter.day("asOf", "the day progress is taken on, YYYY-MM-DD (default: today in the company's time zone)")

    static let all: [APIOperation] = [
        APIOperation(method: "GET", path: "/api/v1/plans", summary: "Sales plans the caller may see, newest period first", tag: "Plans",
                     query: [.day("from", "plans with a day on or after this one, YYYY-MM-DD"), .day("to", "plans with a day on or before this one"),
                             .text("period", "plans of this grain overlapping this period: 2026-11, 2026-W47, 2026-Q4, 2026-H2, 2026, or off the calendar a start and length such as 2026-04-01/P1Y"),
                             .text("scope", "company, team:ID or user:ID"), .choice("status", Plan.Status.self, "draft or approved")],
                     response: APISchemas.items("Plan")),
        APIOperation(method: "POST", path: "/api/v1/plans", summary: "Draft a plan for a period and a subject", tag: "Plans",
                     body: .body([("period", .string), ("scope", .string), ("targets", .array(target)), ("rows", .array(row)), ("note", .string)],
                                 required: ["period", "scope", "targets"]),
                     status: 201, response: .ref("Plan")),
        APIOperation(method: "GET", path: "/api/v1/plans/progress", summary: "Progress of the plan of a subject and period", tag: "Plans",
                     query: [.text("scope", "company, team:ID or user:ID"), .text("period", "2026-11, 2026-W47, 2026-Q4, 2026-H2, 2026, or a start and length such as 2026-04-01/P1Y (P1W, P1M, P3M, P6M, P1Y)"), asOf],
                     response: .ref("PlanProgress")),
        APIOperation(method: "GET", path: "/api/v1/plans/{id}", summary: "One plan", tag: "Plans", response: .ref("Plan")),
        APIOperation(method: "PATCH", path: "/api/v1/plans/{id}", summary: "Change a plan's targets, rows or note (an approved one with a reason)",
                     tag: "Plans", body: .body([("targets", .array(target)), ("rows", .array(row)), ("note", .string), ("reason", .string)]),
                     response: .ref("Plan")),
        APIOperation(method: "POST", path: "/api/v1/plans/{id}/approve", summary: "Approve a draft; it is locked from then on", tag: "Plans",
                     response: .ref("Plan")),
        APIOperation(method: "DELETE", path: "/api/v1/plans/{id}", summary: "Delete a draft", tag: "Plans", status: 204),
        APIOperation(method: "POST", path: "/api/v1/plans/{id}/split",
                     summary: "Split a plan one level down (company → teams → reps, or into shorter periods) into drafts; dryRun answers the proposal",
                     tag: "Plans",
                     body: .body([("by", APISchemas.keys(PlanSplit.Level.self)), ("method", APISchemas.keys(PlanSplit.Method.self)),
                                  ("grain", APISchemas.keys(PeriodGrain.self)),
                                  ("parts", .array(.body([("scope", .string), ("period", .string), ("targets", .array(target))]))),
                                  ("overrideReason", .string), ("dryRun", .boolean)], required: ["by", "method"]),
                     response: .ref("PlanSplit")),
        APIOperation(method: "GET", path: "/api/v1/plans/{id}/progress",
                     summary: "Actual to date, fulfilment, run-rate, gap and daily pace per measure, breakdown row and team member",
                     tag: "Plans", query: [asOf], response: .ref("PlanProgress")),
    ]

    static let measure = JSONSchema.record([
        ("measure", APISchemas.keys(PlanMeasure.self)), ("target", .integer), ("actual", .integer), ("fulfilment", .nullable(.number)),
        ("projection", .nullable(.integer)), ("gap", .nullable(.integer)), ("remaining", .integer), ("dailyPace", .nullable(.integer)),
    ])

    static let schemas: [String: JSONSchema] = [
        "Plan": .record([
            ("id", APISchemas.id), ("period", .string), ("grain", APISchemas.keys(PeriodGrain.self)), ("from", .date), ("to", .date),
            ("scope", .string), ("status", APISchemas.keys(Plan.Status.self)), ("parentId", APISchemas.optionalID), ("note", .nullable(.string)),
            ("currency", .string), ("targets", .array(target)), ("rows", .array(row)), ("createdAt", .dateTime),
            ("approvedAt", .nullable(.dateTime)), ("approvedBy", APISchemas.optionalID), ("version", .integer),
        ]),
        "PlanSplit": .record([
            ("parentId", APISchemas.id), ("by", APISchemas.keys(PlanSplit.Level.self)), ("method", APISchemas.keys(PlanSplit.Method.self)),
            ("written", .boolean), ("currency", .string),
            ("parts", .array(.record([("scope", .string), ("period", .string), ("targets", .array(target)), ("planId", APISchemas.optionalID)]))),
            ("check", .array(.record([("measure", APISchemas.keys(PlanMeasure.self)), ("target", .integer), ("assigned", .integer),
                                      ("remainder", .integer)]))),
        ]),
        "PlanProgress": .record([
            ("plan", .ref("Plan")), ("asOf", .date), ("daysElapsed", .integer), ("daysTotal", .integer), ("currency", .string),
            ("measures", .array(measure)),
            ("rows", .array(.record([("dimension", APISchemas.keys(PlanDimension.self)), ("key", .integer), ("name", .string), ("progress", measure)]))),
            ("members", .array(.record([
                ("userId", .integer), ("name", .string), ("days", .array(.record([("from", .date), ("to", .date)]))), ("actuals", .array(.record([("measure", APISchemas.keys(PlanMeasure.self)), ("actual", .integer)]))),
            ]))),
        ]),
    ]
}
