import KvotaCore
import KvotaStore

/// Key-customer surveys in the OpenAPI document (issue 8): templates, sendings with their links, answers, the report.
enum SurveyOperations {
    static let question = JSONSchema.record([("key", .string), ("kind", APISchemas.keys(SurveyTemplate.Question.Kind.self)), ("text", .string),
                                             ("min", .nullable(.integer)), ("max", .nullable(.integer)), ("required", .boolean)])
    static let summary = JSONSchema.record([("responses", .integer), ("promoters", .integer), ("passives", .integer), ("detractors", .integer),
                                            ("nps", .nullable(.number)), ("satisfaction", .nullable(.number))])
    static let link = JSONSchema.record([("recipientId", .integer), ("accountId", .integer), ("contactId", .integer), ("email", .nullable(.string)),
                                         ("url", .string)])
    static let responseQuery: [QueryParameter] = [.id("survey", "one sending's"), .id("account", "one account's"), .day("from", "answered from, YYYY-MM-DD"),
                                .day("to", "answered through, YYYY-MM-DD")]

    static let all: [APIOperation] = [
        APIOperation(method: "GET", path: "/api/v1/survey-templates", summary: "Survey templates, newest first", tag: "Toolkit",
                     response: .record([("items", .array(.ref("SurveyTemplate")))])),
        APIOperation(method: "POST", path: "/api/v1/survey-templates", summary: "A survey template (questions get keys q1, q2, … in order)",
                     tag: "Toolkit",
                     body: .body([("name", .string), ("intro", .string),
                                  ("questions", .array(.body([("kind", APISchemas.keys(SurveyTemplate.Question.Kind.self)), ("text", .string),
                                                              ("min", .integer), ("max", .integer), ("required", .boolean)],
                                                             required: ["kind", "text"])))],
                                 required: ["name", "questions"]),
                     status: 201, response: .ref("SurveyTemplate")),
        APIOperation(method: "POST", path: "/api/v1/survey-templates/{id}/retire", summary: "Retire a template (its sendings and answers stay)",
                     tag: "Toolkit", status: 204, response: nil),
        APIOperation(method: "GET", path: "/api/v1/surveys", summary: "Sendings, newest first, counted over the recipients one may see",
                     tag: "Toolkit", response: .record([("items", .array(.ref("Survey")))])),
        APIOperation(method: "POST", path: "/api/v1/surveys", summary: "Send a template to every contact of the chosen accounts: one link each, shown this once",
                     tag: "Toolkit",
                     body: .body([("templateId", .integer), ("title", .string), ("accounts", .array(.integer)), ("closesOn", .date)],
                                 required: ["templateId", "title", "accounts"]),
                     status: 201, response: .record([("survey", .ref("Survey")), ("links", .array(link))])),
        APIOperation(method: "GET", path: "/api/v1/surveys/{id}", summary: "A sending with its template, the recipients one may see and their summary",
                     tag: "Toolkit",
                     response: .record([("survey", .ref("Survey")), ("template", .ref("SurveyTemplate")),
                                        ("recipients", .array(.ref("SurveyRecipient"))), ("summary", summary)])),
        APIOperation(method: "POST", path: "/api/v1/surveys/recipients/{id}/reissue", summary: "A new link for a recipient who has not answered (the old one stops working)",
                     tag: "Toolkit", response: link),
        APIOperation(method: "GET", path: "/api/v1/survey-responses", summary: "Answered responses one may see, newest first", tag: "Toolkit",
                     query: responseQuery, response: .record([("items", .array(.ref("SurveyRecipient")))])),
        APIOperation(method: "GET", path: "/api/v1/survey-report", summary: "NPS and satisfaction in all and by month, manager, region or ABC class",
                     tag: "Toolkit", query: [.choice("by", SurveyGrouping.self, "month (default), manager, region or abc_class")] + responseQuery,
                     response: .record([("by", APISchemas.keys(SurveyGrouping.self)), ("total", summary),
                                        ("groups", .array(.record([("key", .string), ("name", .string), ("summary", summary)])))])),
    ]

    static let schemas: [String: JSONSchema] = [
        "SurveyTemplate": .record([("id", APISchemas.id), ("name", .string), ("intro", .string), ("questions", .array(question)), ("active", .boolean),
                                   ("createdAt", .dateTime)]),
        "Survey": .record([("id", APISchemas.id), ("templateId", .integer), ("title", .string), ("closesOn", .nullable(.date)), ("createdAt", .dateTime),
                           ("recipients", .integer), ("answered", .integer)]),
        "SurveyRecipient": .record([
            ("id", APISchemas.id), ("surveyId", .integer), ("accountId", .integer), ("contactId", .integer), ("email", .nullable(.string)),
            ("state", .string), ("answeredAt", .nullable(.dateTime)), ("managerId", .nullable(.integer)), ("nps", .nullable(.integer)),
            ("satisfaction", .nullable(.number)),
            ("answers", .array(.record([("key", .string), ("score", .nullable(.integer)), ("text", .nullable(.string))]))),
        ]),
    ]
}
