import KvotaCore

/// The scoring part of the OpenAPI document (issue 10).
enum ScoringOperations {
    static let all: [APIOperation] = [
        APIOperation(method: "GET", path: "/api/v1/scoring",
                     summary: "The lead and deal scores in use (learned or rules), with their held-out evaluation beside the frequency baseline (admins)",
                     tag: "Scoring", response: .record([("items", .array(.ref("Scorer")))])),
        APIOperation(method: "POST", path: "/api/v1/scoring/train",
                     summary: "Train both scores from the closed records again and rescore every open lead and deal (admins)",
                     tag: "Scoring", response: .record([("items", .array(.ref("Scorer")))])),
    ]

    static let band = JSONSchema.record([
        ("lower", .number), ("upper", .number), ("count", .integer), ("meanPredicted", .nullable(.number)), ("observed", .nullable(.number)),
    ])

    static let schemas: [String: JSONSchema] = [
        "Score": .record([
            ("value", .integer), ("method", .oneOf(["model", "rules"])),
            ("reasons", .array(.record([("field", .string), ("value", .string), ("name", .nullable(.string)), ("effect", .number)]))),
        ]),
        "Scorer": .record([
            ("subject", .oneOf(ScoreSubject.allCases.map(\.rawValue))), ("method", .oneOf(["model", "rules"])),
            ("trainedAt", .nullable(.dateTime)), ("closedRecords", .integer), ("minimumClosed", .integer), ("features", .nullable(.integer)),
            ("evaluation", .nullable(.record([
                ("trainingRecords", .integer), ("heldOutRecords", .integer), ("trainingExamples", .integer), ("heldOutExamples", .integer),
                ("heldOutFrom", .dateTime), ("auc", .nullable(.number)), ("baselineAuc", .nullable(.number)),
                ("calibration", .array(band)), ("baselineCalibration", .array(band)), ("lambda", .number),
            ]))),
        ]),
    ]
}
