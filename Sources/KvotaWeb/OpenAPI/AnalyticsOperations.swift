import KvotaCore

/// The analytics part of the OpenAPI document (issue 6).
enum AnalyticsOperations {
    static let categories = CustomerCategory.allCases.map(\.rawValue)

    static let shared: [QueryParameter] = [
        .day("from", "first day, YYYY-MM-DD, company time zone (default: 1 January of this year)"), .day("to", "last day, inclusive (default: today)"),
        .id("team", "team id"), .id("manager", "user id"), .id("region", "region id, with its sub-regions"), .id("channel", "channel id"),
        .id("category", "product category id, with its sub-categories"), .tableFormat,
    ]

    static let all: [APIOperation] = [
        APIOperation(method: "GET", path: "/api/v1/analytics/dynamics", summary: "Sales dynamics: a measure per period, against the previous period and a year earlier",
                     tag: "Analytics",
                     query: [.option("measure", SalesMeasure.self, "revenue, margin, quantity, orders, deals_won or new_customers (default revenue)"),
                             .option("grain", GrainParameter.self, "day, week, month, quarter, half_year or year (default month)"),
                             .option("by", SalesDimension.self, "manager, team, region, channel, category, product or account"),
                             .count("top", 1...50, "with by: the largest series to show, 1 to 50 (default 10); the rest are summed as other")] + shared,
                     response: .ref("Dynamics"), csv: true),
        APIOperation(method: "GET", path: "/api/v1/analytics/abc", summary: "ABC analysis of products or customers", tag: "Analytics",
                     query: [.option("subject", AnalysisSubject.self, "product or customer (default)"), .option("measure", ["revenue", "margin", "quantity"], "revenue (default), margin or quantity"),
                             .option("class", ABCClass.self, "only items of this class: A, B or C"), .count("limit", 1...100_000, "items listed, 1 to 100 000 (default 1 000)")] + shared,
                     response: .ref("ABC"), csv: true),
        APIOperation(method: "GET", path: "/api/v1/analytics/xyz", summary: "XYZ analysis: steadiness of monthly sales", tag: "Analytics",
                     query: [.option("subject", AnalysisSubject.self, "product or customer (default)"), .option("measure", ["revenue", "quantity"], "revenue (default) or quantity"),
                             .option("class", XYZClass.self, "only items of this class: X, Y or Z"), .count("limit", 1...100_000, "items listed, 1 to 100 000 (default 1 000)")] + shared,
                     response: .ref("XYZ"), csv: true),
        APIOperation(method: "GET", path: "/api/v1/analytics/abc-xyz", summary: "The ABC×XYZ matrix", tag: "Analytics",
                     query: [.option("subject", AnalysisSubject.self, "product or customer (default)"), .option("measure", ["revenue", "quantity"], "revenue (default) or quantity")] + shared,
                     response: .ref("ABCXYZ"), csv: true),
        APIOperation(method: "GET", path: "/api/v1/analytics/territory", summary: "Sales per region, each with its sub-regions", tag: "Analytics",
                     query: shared, response: .ref("Segments"), csv: true),
        APIOperation(method: "GET", path: "/api/v1/analytics/channels", summary: "Sales per channel", tag: "Analytics",
                     query: shared, response: .ref("Segments"), csv: true),
        APIOperation(method: "GET", path: "/api/v1/analytics/concentration", summary: "Concentration risk: top shares, HHI and the alert",
                     tag: "Analytics", query: [.count("top", 1...100, "largest customers listed, 1 to 100 (default 10)")] + shared,
                     response: .ref("Concentration"), csv: true),
        APIOperation(method: "GET", path: "/api/v1/analytics/products", summary: "Product profitability: sums, ABC by revenue and by margin, XYZ",
                     tag: "Analytics", query: [.count("limit", 1...100_000, "products listed, 1 to 100 000 (default 1 000)")] + shared,
                     response: .ref("Products"), csv: true),
        APIOperation(method: "GET", path: "/api/v1/analytics/retention", summary: "Active, repeat and retained customers, and the churn-risk list",
                     tag: "Analytics", query: [.count("limit", 1...100_000, "churn-risk customers listed, 1 to 100 000 (default 1 000)")] + shared,
                     response: .ref("Retention"), csv: true),
        APIOperation(method: "GET", path: "/api/v1/analytics/funnel", summary: "The funnel of a pipeline: conversion, drop-off, time in stage, win rate, cycle, loss reasons",
                     tag: "Analytics", query: [.id("pipeline", "pipeline id (default: the first)")] + shared, response: .ref("Funnel"), csv: true),
        APIOperation(method: "GET", path: "/api/v1/analytics/migration", summary: "Customer category migration between two periods",
                     tag: "Analytics", query: migrationQuery, response: .ref("Migration"), csv: true),
        APIOperation(method: "GET", path: "/api/v1/analytics/migration/customers", summary: "The counterparties of a migration cell",
                     tag: "Analytics",
                     query: migrationQuery + [.option("from", CustomerCategory.self, "P1 class: A, B, C or none"), .option("to", CustomerCategory.self, "P2 class: A, B, C or none"),
                                              .count("limit", 1...100_000, "1 to 100 000 (default 1 000)")],
                     response: .ref("MigrationCustomers"), csv: true),
    ]

    static let migrationQuery: [QueryParameter] = [
        .day("p1From", "first day of P1 (default: the quarter before P2)"), .day("p1To", "last day of P1"),
        .day("p2From", "first day of P2 (default: the last whole quarter)"), .day("p2To", "last day of P2"),
        .id("manager", "customers whose account this user owns"), .id("team", "orders of the team's members"), .id("region", "region id"),
        .id("channel", "channel id"), .id("category", "product category id"), .tableFormat,
    ]

    static let schemas: [String: JSONSchema] = [
        "Funnel": .record([
            ("pipelineId", .integer), ("pipeline", .string), ("currency", .string), ("from", .date), ("to", .date), ("created", .integer),
            ("stages", .array(.record([
                ("stageId", .integer), ("name", .string), ("outcome", .oneOf(["open", "won", "lost"])), ("reached", .integer),
                ("conversion", .nullable(.number)), ("dropOff", .integer), ("meanDays", .nullable(.number)), ("medianDays", .nullable(.number)),
            ]))),
            ("closed", .record([
                ("won", .integer), ("lost", .integer), ("wonAmount", .integer), ("lostAmount", .integer), ("winRateCount", .nullable(.number)),
                ("winRateAmount", .nullable(.number)), ("averageWon", .nullable(.integer)), ("cycleMeanDays", .nullable(.number)),
                ("cycleMedianDays", .nullable(.number)),
            ])),
            ("lossReasons", .array(.record([("reason", .nullable(.string)), ("count", .integer), ("amount", .integer)]))),
        ]),
        "Retention": .record([
            ("currency", .string), ("from", .date), ("to", .date), ("previousFrom", .date), ("previousTo", .date), ("activeCustomers", .integer),
            ("repeatCustomers", .integer), ("repeatRate", .nullable(.number)), ("previousActive", .integer), ("retained", .integer),
            ("retentionRate", .nullable(.number)), ("churnRiskCount", .integer),
            ("churnRisk", .array(.record([
                ("id", .integer), ("name", .string), ("ownerId", .nullable(.integer)), ("ownerName", .nullable(.string)), ("lastOrder", .date),
                ("daysSince", .integer), ("medianGapDays", .nullable(.number)), ("thresholdDays", .number), ("previousRevenue", .integer),
            ]))),
        ]),
        "Products": .record([
            ("currency", .string), ("from", .date), ("to", .date), ("itemCount", .integer),
            ("items", .array(.record([
                ("id", .integer), ("name", .string), ("categoryId", .nullable(.integer)), ("revenue", .integer), ("margin", .integer),
                ("marginPct", .nullable(.number)), ("quantity", .integer), ("abcRevenue", .oneOf(["A", "B", "C"])),
                ("abcMargin", .oneOf(["A", "B", "C"])), ("xyz", .nullable(.oneOf(["X", "Y", "Z"]))),
            ]))),
            ("categories", .array(.record([("id", .nullable(.integer)), ("name", .string), ("products", .integer), ("revenue", .integer),
                                           ("margin", .integer), ("marginPct", .nullable(.number)), ("quantity", .integer)]))),
            ("matrix", .array(.record([("abcRevenue", .oneOf(["A", "B", "C"])), ("abcMargin", .oneOf(["A", "B", "C"])), ("products", .integer),
                                       ("revenue", .integer), ("margin", .integer)]))),
        ]),
        "Migration": .record([
            ("currency", .string), ("p1", .record([("from", .date), ("to", .date)])), ("p2", .record([("from", .date), ("to", .date)])),
            ("matrix", .array(.record([("from", .oneOf(categories)), ("to", .oneOf(categories)), ("customers", .integer), ("revenue", .integer)]))),
            ("customers", .integer), ("downgrades", .integer), ("upgrades", .integer), ("lost", .integer), ("newcomers", .integer),
            ("managers", .array(.record([("id", .nullable(.integer)), ("name", .string), ("customers", .integer), ("downgrades", .integer),
                                         ("upgrades", .integer), ("lost", .integer), ("newcomers", .integer)]))),
        ]),
        "MigrationCustomers": .record([
            ("currency", .string),
            ("items", .array(.record([
                ("id", .integer), ("name", .string), ("ownerId", .nullable(.integer)), ("ownerName", .nullable(.string)),
                ("from", .oneOf(categories)), ("to", .oneOf(categories)), ("p1Revenue", .integer), ("p2Revenue", .integer),
            ]))),
        ]),
        "Segments": .record([
            ("analysis", .oneOf(["territory", "channels"])), ("currency", .string), ("from", .date), ("to", .date), ("previousFrom", .date),
            ("previousTo", .date), ("total", .integer),
            ("items", .array(.record([
                ("id", .nullable(.integer)), ("name", .string), ("parentId", .nullable(.integer)), ("level", .integer), ("kind", .nullable(.string)),
                ("revenue", .integer), ("margin", .integer), ("marginPct", .nullable(.number)), ("orders", .integer),
                ("activeCustomers", .integer), ("newCustomers", .integer), ("averageOrder", .nullable(.integer)), ("share", .number),
                ("previousRevenue", .integer), ("growthPct", .nullable(.number)), ("yoyRevenue", .integer), ("yoyPct", .nullable(.number)),
            ]))),
        ]),
        "Concentration": .record([
            ("currency", .string), ("from", .date), ("to", .date), ("total", .integer), ("customers", .integer), ("topShare", .number),
            ("top5Share", .number), ("hhi", .number), ("alert", .boolean), ("alerts", .array(.oneOf(["top_share", "hhi"]))),
            ("thresholds", .map(.number)),
            ("topCustomers", .array(.record([("id", .integer), ("name", .string), ("revenue", .integer), ("share", .number)]))),
        ]),
        "ABC": .record([
            ("subject", .oneOf(["product", "customer"])), ("measure", .oneOf(["revenue", "margin", "quantity"])), ("currency", .string),
            ("from", .date), ("to", .date), ("total", .integer), ("itemCount", .integer),
            ("items", .array(.record([
                ("id", .integer), ("name", .string), ("rank", .integer), ("value", .integer), ("share", .number), ("cumulativeShare", .number),
                ("class", .oneOf(["A", "B", "C"])),
            ]))),
            ("classes", .array(.record([("class", .oneOf(["A", "B", "C"])), ("count", .integer), ("value", .integer), ("share", .number)]))),
        ]),
        "XYZ": .record([
            ("subject", .oneOf(["product", "customer"])), ("measure", .oneOf(["revenue", "quantity"])), ("from", .date), ("to", .date),
            ("months", .array(.string)), ("itemCount", .integer),
            ("items", .array(.record([
                ("id", .integer), ("name", .string), ("mean", .number), ("stdDev", .number), ("cv", .nullable(.number)),
                ("class", .oneOf(["X", "Y", "Z"])),
            ]))),
            ("classes", .array(.record([("class", .oneOf(["X", "Y", "Z"])), ("count", .integer)]))),
        ]),
        "ABCXYZ": .record([
            ("subject", .oneOf(["product", "customer"])), ("measure", .oneOf(["revenue", "quantity"])), ("from", .date), ("to", .date),
            ("cells", .array(.record([("abc", .oneOf(["A", "B", "C"])), ("xyz", .oneOf(["X", "Y", "Z"])), ("count", .integer),
                                      ("valueShare", .number)]))),
        ]),
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
