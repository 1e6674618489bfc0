import KvotaCore

/// The pay part of the OpenAPI document (issue 7): compensation schemes and payouts.
enum PayOperations {
    static let measure = APISchemas.keys(PlanMeasure.self)
    static let rules = JSONSchema.record([
        ("fixedMonthly", .integer),
        ("planBonus", .nullable(.record([
            ("measure", measure), ("plan", APISchemas.keys(PlanBonus.Source.self)), ("baseKind", APISchemas.keys(PlanBonus.BaseKind.self)),
            ("base", .integer),
            ("curve", .record([("threshold", .number), ("tiers", .array(.record([("from", .number), ("multiplier", .nullable(.number))])))])),
            ("cap", .nullable(.integer)),
        ]))),
        ("kpiBonus", .nullable(.record([
            ("amount", .integer), ("items", .array(.record([("measure", measure), ("weight", .number), ("target", .integer)]))),
            ("kpis", .array(.record([("kpi", APISchemas.keys(KPI.self)), ("weight", .number), ("target", .nullable(.number))]))),
            ("minScore", .number), ("maxScore", .number),
        ]))),
        ("weeklyBonus", .nullable(.record([("measure", measure), ("amount", .integer)]))),
        ("clawback", .boolean),
    ])

    static let all: [APIOperation] = [
        APIOperation(method: "GET", path: "/api/v1/schemes", summary: "Compensation scheme versions", tag: "Pay", response: APISchemas.items("Scheme")),
        APIOperation(method: "POST", path: "/api/v1/schemes", summary: "Add a scheme version for a role, team or user from a day on", tag: "Pay",
                     body: .body([("name", .string), ("appliesTo", .string), ("effectiveFrom", .date), ("rules", rules)],
                                 required: ["name", "appliesTo", "effectiveFrom", "rules"]),
                     status: 201, response: .ref("Scheme")),
        APIOperation(method: "GET", path: "/api/v1/schemes/{id}", summary: "One scheme version", tag: "Pay", response: .ref("Scheme")),
        APIOperation(method: "GET", path: "/api/v1/payouts", summary: "A month's pay per user with a statement, approved or worked out to date",
                     tag: "Pay", query: [.text("period", "a month, 2026-11 (default: this month)"), .day("asOf", "the day a live statement is worked out to"),
                                         .id("user", "one user's"), .choice("format", ["json", "csv"], "json (default) or csv (one row per statement line, for payroll)")],
                     response: .ref("Payouts"), csv: true),
        APIOperation(method: "GET", path: "/api/v1/payouts/what-if", summary: "The deal owner's pay this month to date, and with the deal won today",
                     tag: "Pay", query: [.id("deal", "the id of an open deal")], response: .ref("PayWhatIf")),
        APIOperation(method: "POST", path: "/api/v1/payouts/approve", summary: "Approve and lock a month's payouts", tag: "Pay",
                     body: .body([("period", .string), ("userIds", .array(.integer))], required: ["period"]), response: .ref("Payouts")),
    ]

    static let statement = JSONSchema.record([
        ("total", .integer),
        ("lines", .array(.record([("kind", APISchemas.keys(PayStatement.Kind.self)), ("amount", .integer), ("explanation", .string),
                                  ("from", .nullable(.string))]))),
    ])

    static let schemas: [String: JSONSchema] = [
        "PayWhatIf": .record([
            ("dealId", APISchemas.id), ("userId", APISchemas.id), ("period", .string), ("currency", .string),
            ("added", .array(.record([("measure", measure), ("actual", .integer)]))), ("marginKnown", .boolean),
            ("current", statement), ("ifWon", statement), ("difference", .integer),
        ]),
        "Scheme": .record([
            ("id", APISchemas.id), ("name", .string), ("appliesTo", .string), ("effectiveFrom", .date), ("currency", .string), ("rules", rules),
            ("createdAt", .dateTime),
        ]),
        "Payouts": .record([
            ("period", .string), ("asOf", .date), ("currency", .string),
            ("items", .array(.record([
                ("userId", .integer), ("name", .string), ("period", .string), ("status", .oneOf(["draft", "approved"])), ("total", .integer),
                ("lines", .array(.record([("kind", APISchemas.keys(PayStatement.Kind.self)), ("amount", .integer), ("explanation", .string),
                                          ("from", .nullable(.string))]))),
                ("approvedAt", .nullable(.dateTime)), ("approvedBy", APISchemas.optionalID),
            ]))),
        ]),
    ]
}
