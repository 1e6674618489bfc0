import KvotaCore

/// The sales library, training records and the onboarding checklist (issue 8), in the OpenAPI document.
enum LibraryOperations {
    static let documentBody = JSONSchema.body([("kind", APISchemas.keys(LibraryDocument.Kind.self)), ("title", .string), ("body", .string),
                                               ("stageIds", .array(.integer))])
    static let trainingBody = JSONSchema.body([("userId", .integer), ("kind", APISchemas.keys(TrainingRecord.Kind.self)), ("title", .string),
                                               ("startsOn", .date), ("endsOn", .date), ("mentorId", .integer),
                                               ("result", APISchemas.keys(TrainingRecord.Result.self)), ("score", .integer), ("notes", .string)])
    static let step = JSONSchema.record([("id", APISchemas.id), ("text", .string), ("position", .integer), ("active", .boolean)])

    static let all: [APIOperation] = [
        APIOperation(method: "GET", path: "/api/v1/library", summary: "Scripts, regulations and guides; ?stage= those a stage links to", tag: "Toolkit",
                     query: [.choice("kind", LibraryDocument.Kind.self, "script, regulation or guide"), .id("stage", "a stage's id")],
                     response: .record([("items", .array(.ref("LibraryDocument")))])),
        APIOperation(method: "POST", path: "/api/v1/library", summary: "A library document, linked from stages", tag: "Toolkit", body: documentBody,
                     status: 201, response: .ref("LibraryDocument")),
        APIOperation(method: "GET", path: "/api/v1/library/{id}", summary: "A library document", tag: "Toolkit", response: .ref("LibraryDocument")),
        APIOperation(method: "PATCH", path: "/api/v1/library/{id}", summary: "Change a library document (If-Match its version)", tag: "Toolkit",
                     body: documentBody, response: .ref("LibraryDocument")),
        APIOperation(method: "DELETE", path: "/api/v1/library/{id}", summary: "Delete a library document", tag: "Toolkit", status: 204, response: nil),
        APIOperation(method: "GET", path: "/api/v1/training", summary: "Training records one may see, newest first", tag: "Toolkit",
                     query: [.id("user", "one person's"), .day("from", "starting from, YYYY-MM-DD"), .day("to", "starting through, YYYY-MM-DD")],
                     response: .record([("items", .array(.ref("TrainingRecord")))])),
        APIOperation(method: "POST", path: "/api/v1/training", summary: "A course, webinar or mentoring session of a rep", tag: "Toolkit",
                     body: trainingBody, status: 201, response: .ref("TrainingRecord")),
        APIOperation(method: "PATCH", path: "/api/v1/training/{id}", summary: "Change a training record (If-Match its version)", tag: "Toolkit",
                     body: trainingBody, response: .ref("TrainingRecord")),
        APIOperation(method: "DELETE", path: "/api/v1/training/{id}", summary: "Delete a training record", tag: "Toolkit", status: 204, response: nil),
        APIOperation(method: "GET", path: "/api/v1/onboarding/steps", summary: "The onboarding checklist's steps, retired ones too", tag: "Toolkit",
                     response: .record([("items", .array(step))])),
        APIOperation(method: "POST", path: "/api/v1/onboarding/steps", summary: "A step at the end of the onboarding checklist", tag: "Toolkit",
                     body: .body([("text", .string)], required: ["text"]), status: 201, response: step),
        APIOperation(method: "POST", path: "/api/v1/onboarding/steps/{id}/retire", summary: "Retire a step", tag: "Toolkit", status: 204, response: nil),
        APIOperation(method: "GET", path: "/api/v1/users/{id}/onboarding", summary: "A person's onboarding checklist", tag: "Toolkit",
                     response: .ref("Onboarding")),
        APIOperation(method: "PUT", path: "/api/v1/users/{id}/onboarding/{step}", summary: "Tick a step for a person, or take the tick back",
                     tag: "Toolkit", body: .body([("done", .boolean)]), response: .ref("Onboarding")),
    ]

    static let schemas: [String: JSONSchema] = [
        "LibraryDocument": .record([("id", APISchemas.id), ("kind", APISchemas.keys(LibraryDocument.Kind.self)), ("title", .string), ("body", .string),
                                    ("stageIds", .array(.integer)), ("updatedAt", .dateTime), ("version", .integer)]),
        "TrainingRecord": .record([
            ("id", APISchemas.id), ("userId", .integer), ("kind", APISchemas.keys(TrainingRecord.Kind.self)), ("title", .string), ("startsOn", .date),
            ("endsOn", .nullable(.date)), ("mentorId", .nullable(.integer)), ("result", APISchemas.keys(TrainingRecord.Result.self)),
            ("score", .nullable(.integer)), ("notes", .string), ("version", .integer),
        ]),
        "Onboarding": .record([("userId", .integer), ("done", .integer), ("total", .integer),
                               ("items", .array(.record([("stepId", .integer), ("text", .string), ("doneAt", .nullable(.dateTime)),
                                                         ("doneBy", .nullable(.integer))])))]),
    ]
}
