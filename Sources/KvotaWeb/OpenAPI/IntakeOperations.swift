import KvotaCore
import KvotaStore

/// Telephony and inbound requests (issue 9) in the OpenAPI document.
enum IntakeOperations {
    static let receipt = JSONSchema.record([
        ("requestId", .integer), ("leadId", .integer), ("outcome", APISchemas.keys(InboundReceipt.Outcome.self)), ("ownerId", .nullable(.integer)),
        ("assignedBy", APISchemas.keys(LeadAssignment.Reason.self)), ("ruleId", .nullable(.integer)), ("contactId", .nullable(.integer)),
        ("accountId", .nullable(.integer))])
    static let webForm = JSONSchema.record([
        ("id", APISchemas.id), ("key", .string), ("url", .string), ("name", .string), ("source", .string), ("regionId", .nullable(.integer)),
        ("redirectUrl", .nullable(.string)), ("active", .boolean), ("createdAt", .dateTime), ("version", .integer)])
    static let webFormBody = JSONSchema.body([("name", .string), ("source", .string), ("regionId", .nullable(.integer)),
                                              ("redirectUrl", .nullable(.string)), ("active", .boolean)])
    static let rule = JSONSchema.record([
        ("id", APISchemas.id), ("kind", APISchemas.keys(AssignmentRule.Kind.self)), ("position", .integer), ("regionId", .nullable(.integer)),
        ("source", .nullable(.string)), ("channel", .nullable(.string)), ("userId", .nullable(.integer)), ("teamId", .nullable(.integer)),
        ("active", .boolean), ("lastUserId", .nullable(.integer)), ("version", .integer)])
    static let ruleBody = JSONSchema.body([("kind", APISchemas.keys(AssignmentRule.Kind.self)), ("position", .integer),
                                           ("regionId", .nullable(.integer)), ("source", .nullable(.string)), ("channel", .nullable(.string)),
                                           ("userId", .nullable(.integer)), ("teamId", .nullable(.integer)), ("active", .boolean)])
    static let shift = JSONSchema.record([("userId", .integer), ("onShift", .boolean)])

    static let all: [APIOperation] = [
        APIOperation(method: "POST", path: "/api/v1/telephony/events",
                     summary: "A hosted PBX's call event (ringing, answered, ended; any order, repeats ignored); an integration token will do",
                     tag: "Telephony",
                     body: .body([("callId", .string), ("event", APISchemas.keys(CallEvent.Kind.self)), ("at", .dateTime),
                                  ("direction", APISchemas.keys(CallDirection.self)), ("customer", .string), ("callerName", .string), ("line", .string),
                                  ("extension", .string), ("disposition", APISchemas.keys(PBXCall.Disposition.self)), ("talkSeconds", .integer),
                                  ("recording", .string)],
                                 required: ["callId", "event", "at"]),
                     status: 202,
                     response: .record([("callId", .string), ("event", .string), ("duplicate", .boolean), ("recorded", .boolean),
                                        ("activityId", .nullable(.integer)), ("leadId", .nullable(.integer))])),
        APIOperation(method: "GET", path: "/api/v1/telephony/unmapped", summary: "Extensions calls came on that no user has (admins)",
                     tag: "Telephony",
                     response: .record([("items", .array(.record([("extension", .string), ("calls", .integer), ("lastCallAt", .dateTime)])))])),
        APIOperation(method: "POST", path: "/api/v1/telephony/unmapped/{extension}",
                     summary: "Give a user the extension; its waiting calls become theirs (admins)", tag: "Telephony",
                     body: .body([("userId", .integer)], required: ["userId"]),
                     response: .record([("extension", .string), ("userId", .integer), ("calls", .integer)]),
                     textParameters: ["extension": "the extension as the PBX names it (digits or letters, as in its dial plan)"]),
        APIOperation(method: "POST", path: "/api/v1/calls/originate",
                     summary: "Click to call: the PBX rings one's own extension, then the number (503 without a live PBX connection)",
                     tag: "Telephony", body: .body([("number", .string)], required: ["number"]), status: 202,
                     response: .record([("number", .string), ("extension", .string), ("actionId", .string), ("message", .string)])),
        APIOperation(method: "POST", path: "/api/v1/inbound/leads",
                     summary: "A request from a site's back end or a lead marketplace: de-duplicated, assigned, timed; an integration token will do",
                     tag: "Inbound",
                     body: .body([("source", .string), ("name", .string), ("phone", .string), ("email", .string), ("company", .string),
                                  ("message", .string), ("pageUrl", .string), ("utmSource", .string), ("utmMedium", .string),
                                  ("utmCampaign", .string), ("utmTerm", .string), ("utmContent", .string), ("region", .string),
                                  ("receivedAt", .dateTime), ("custom", APISchemas.customValues)]),
                     status: 201, response: receipt),
        APIOperation(method: "POST", path: "/api/v1/inbound/messages",
                     summary: "A messenger bridge's message: joins the sender's conversation, or opens a lead; an integration token will do",
                     tag: "Inbound",
                     body: .body([("channel", .string), ("senderId", .string), ("phone", .string), ("name", .string), ("text", .string),
                                  ("sentAt", .dateTime)], required: ["channel", "text"]),
                     status: 201, response: receipt),
        APIOperation(method: "GET", path: "/api/v1/leads/{id}/requests",
                     summary: "The requests that opened or joined a lead (a form sent again, a messenger conversation), oldest first", tag: "Inbound",
                     response: .record([("items", .array(.record([
                         ("id", .integer), ("via", APISchemas.keys(InboundRequest.Via.self)), ("channel", .string), ("senderId", .nullable(.string)),
                         ("name", .nullable(.string)), ("phone", .nullable(.string)), ("email", .nullable(.string)), ("text", .nullable(.string)),
                         ("pageUrl", .nullable(.string)), ("sentAt", .dateTime), ("outcome", APISchemas.keys(InboundReceipt.Outcome.self))])))])),
        APIOperation(method: "GET", path: "/api/v1/web-forms", summary: "The web forms that post requests to /f/{key}", tag: "Inbound",
                     response: .record([("items", .array(webForm))])),
        APIOperation(method: "POST", path: "/api/v1/web-forms", summary: "Publish a web form (admins)", tag: "Inbound", body: webFormBody,
                     status: 201, response: webForm),
        APIOperation(method: "GET", path: "/api/v1/web-forms/{id}", summary: "A web form", tag: "Inbound", response: webForm),
        APIOperation(method: "PATCH", path: "/api/v1/web-forms/{id}", summary: "Change or retire a web form (admins; If-Match its version)",
                     tag: "Inbound", body: webFormBody, response: webForm),
        APIOperation(method: "GET", path: "/api/v1/assignment-rules", summary: "The rules that give new requests their owners", tag: "Inbound",
                     response: .record([("items", .array(rule))])),
        APIOperation(method: "POST", path: "/api/v1/assignment-rules", summary: "Add an assignment rule (admins)", tag: "Inbound", body: ruleBody,
                     status: 201, response: rule),
        APIOperation(method: "PATCH", path: "/api/v1/assignment-rules/{id}", summary: "Change an assignment rule (admins; If-Match its version)",
                     tag: "Inbound", body: ruleBody, response: rule),
        APIOperation(method: "DELETE", path: "/api/v1/assignment-rules/{id}",
                     summary: "Remove an assignment rule (one that assigned requests is retired instead)", tag: "Inbound", status: 204, response: nil),
        APIOperation(method: "GET", path: "/api/v1/users/{id}/shift", summary: "Whether a person is on shift, taking requests by round-robin",
                     tag: "Inbound", response: shift),
        APIOperation(method: "PUT", path: "/api/v1/users/{id}/shift", summary: "Go on or off shift (oneself, a head their team, directors and admins anyone)",
                     tag: "Inbound", body: .body([("onShift", .boolean)], required: ["onShift"]), response: shift),
    ]
}
