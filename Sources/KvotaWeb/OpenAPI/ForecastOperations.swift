import KvotaCore

/// The forecasting part of the OpenAPI document (issue 10).
enum ForecastOperations {
    static let all: [APIOperation] = [
        APIOperation(method: "GET", path: "/api/v1/forecast",
                     summary: "Revenue forecast by month: actuals, weighted pipeline, commit, best case, history forecast with its interval, plan; with accuracy and outlook",
                     tag: "Forecast",
                     query: [.text("scope", "company (default), team:ID or user:ID"),
                             .count("horizon", 1...24, "months forecast from the current one on, the current included: 1 to 24 (default 6)"),
                             .count("past", 0...36, "whole months shown before the current one: 0 to 36 (default 12)"),
                             .option("by", ForecastReport.Split.self, "region, channel or category: the same table per group"),
                             .count("top", 1...50, "with by: the largest groups over the last 12 months, 1 to 50 (default 8); the rest as other"),
                             .tableFormat],
                     response: .ref("Forecast"), csv: true),
        APIOperation(method: "GET", path: "/api/v1/forecast/accounts",
                     summary: "Each regular customer's next order by their own rhythm (late first) and the repeat business expected per month",
                     tag: "Forecast",
                     query: [.text("scope", "company (default), team:ID or user:ID"), .option("status", RunRate.Status.self, "late, due, later or at_risk"),
                             .count("horizon", 1...24, "months of expected repeat business: 1 to 24 (default 6)"), .count("limit", 1...100_000, "customers listed, 1 to 100 000 (default 1 000)"),
                             .tableFormat],
                     response: .record([
                         ("scope", .string), ("currency", .string), ("asOf", .date), ("counts", .map(.integer)),
                         ("months", .array(.record([("month", .string), ("expected", .integer)]))),
                         ("items", .array(.record([
                             ("accountId", .integer), ("name", .string), ("lastOrder", .date), ("medianGapDays", .number), ("expectedNext", .date),
                             ("daysUntil", .integer), ("expectedAmount", .integer), ("ordersLast12Months", .integer),
                             ("status", .oneOf(RunRate.Status.allCases.map(\.rawValue))),
                         ]))),
                     ]), csv: true),
        APIOperation(method: "GET", path: "/api/v1/forecast/adjustments", summary: "Heads' adjustments of reps' commit forecasts the caller may read",
                     tag: "Forecast", query: [.text("from", "first month, YYYY-MM (default: this month)"), .text("to", "last month (default: eleven months on)")],
                     response: .record([("items", .array(adjustment))])),
        APIOperation(method: "PUT", path: "/api/v1/forecast/adjustments/{user}/{month}",
                     summary: "A head's number for a rep's commit in a month that has not ended (If-Match: the version seen)", tag: "Forecast",
                     body: .body([("amountMinor", .integer), ("note", .string)], required: ["amountMinor"]), response: adjustment,
                     textParameters: ["month": "the month, YYYY-MM"]),
        APIOperation(method: "DELETE", path: "/api/v1/forecast/adjustments/{user}/{month}",
                     summary: "Clear an adjustment: the rep's own commit counts again", tag: "Forecast", status: 204, response: nil,
                     textParameters: ["month": "the month, YYYY-MM"]),
    ]

    static let adjustment = JSONSchema.record([
        ("userId", .integer), ("month", .string), ("amountMinor", .integer), ("note", .nullable(.string)), ("adjustedBy", .integer),
        ("adjustedAt", .dateTime), ("version", .integer),
    ])

    static let money = JSONSchema.nullable(.integer)

    static let schemas: [String: JSONSchema] = [
        "ForecastMonth": .object([
            ("month", .string), ("actual", money), ("weighted", money), ("commit", money), ("bestCase", money), ("adjusted", money),
            ("history", money), ("low", money), ("high", money), ("plan", money),
        ], required: ["month", "actual", "weighted", "commit", "bestCase", "adjusted", "history", "low", "high", "plan"]),
        "ForecastAdjustment": .record([
            ("userId", .integer), ("user", .string), ("month", .string), ("amountMinor", .integer), ("commitMinor", .integer),
            ("note", .nullable(.string)), ("adjustedBy", .integer), ("adjustedAt", .dateTime), ("version", .integer),
        ]),
        "ForecastAccuracy": .object([("mape", .nullable(.number)), ("wape", .nullable(.number)), ("backtestMonths", .integer)],
                                    required: ["mape", "wape", "backtestMonths"]),
        "ForecastOutlook": .object([
            ("period", .string), ("actual", .integer), ("weighted", .integer), ("outlook", .integer), ("plan", money), ("gap", money),
        ], required: ["period", "actual", "weighted", "outlook", "plan", "gap"]),
        "ForecastOutlooks": .record([("month", .nullable(.ref("ForecastOutlook"))), ("quarter", .nullable(.ref("ForecastOutlook")))]),
        "ForecastUndated": .record([("deals", .integer), ("open", .integer), ("weighted", .integer)]),
        "Forecast": .record([
            ("scope", .string), ("currency", .string), ("asOf", .date), ("horizon", .integer),
            ("method", .nullable(.oneOf(HistoryForecast.Method.allCases.map(\.rawValue)))), ("historyMonths", .integer),
            ("months", .array(.ref("ForecastMonth"))), ("accuracy", .ref("ForecastAccuracy")),
            ("outlook", .nullable(.ref("ForecastOutlooks"))), ("undated", .nullable(.ref("ForecastUndated"))),
            ("adjustments", .array(.ref("ForecastAdjustment"))),
            ("recordedAccuracy", .nullable(.record([("weighted", .ref("ForecastAccuracy")), ("commit", .ref("ForecastAccuracy")),
                                                    ("history", .ref("ForecastAccuracy"))]))),
            ("snapshots", .array(.object([
                ("takenOn", .date), ("month", .string), ("weighted", money), ("commit", money), ("adjusted", money), ("bestCase", money),
                ("history", money),
            ], required: ["takenOn", "month", "weighted", "commit", "adjusted", "bestCase", "history"]))),
            ("reps", .nullable(.array(.object([
                ("userId", .integer), ("user", .string), ("commitMinor", .integer), ("adjustedMinor", .nullable(.integer)),
                ("note", .nullable(.string)), ("version", .nullable(.integer)),
            ], required: ["userId", "user", "commitMinor", "adjustedMinor", "note", "version"])))),
            ("stages", .array(.record([
                ("stageId", .integer), ("pipelineId", .integer), ("pipeline", .string), ("name", .string), ("probability", .number),
                ("source", .oneOf(["history", "configured"])), ("closed", .integer), ("won", .integer),
            ]))),
            ("by", .nullable(.oneOf(ForecastReport.Split.allCases.map(\.rawValue)))),
            ("groups", .nullable(.array(.record([
                ("key", .nullable(.string)), ("name", .nullable(.string)),
                ("method", .nullable(.oneOf(HistoryForecast.Method.allCases.map(\.rawValue)))), ("historyMonths", .integer),
                ("months", .array(.ref("ForecastMonth"))), ("accuracy", .ref("ForecastAccuracy")),
                ("outlook", .nullable(.ref("ForecastOutlooks"))), ("undated", .nullable(.ref("ForecastUndated"))),
            ])))),
        ]),
    ]
}
