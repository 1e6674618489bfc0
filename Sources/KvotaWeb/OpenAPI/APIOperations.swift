import Foundation
import KvotaCore
import KvotaImport
import KvotaStore

/// One operation of the API as the OpenAPI document describes it.
struct APIOperation: Sendable {
    let method: String
    /// With `{name}` for path parameters, as the router names them.
    let path: String
    let summary: String
    let tag: String
    var query: [QueryParameter] = []
    var body: JSONSchema?
    var status = 200
    /// Nil: no body (204).
    var response: JSONSchema?
    /// The list also answers `?format=csv`.
    var csv = false
    /// Needs no signing in.
    var open = false
    /// A request body that is a file of this type instead of JSON.
    var upload: String?
    /// Path parameters that are text, with their description (the others are ids).
    var textParameters: [String: String] = [:]
    /// Another success the operation may answer instead (an import queued in the background: 202), with its body.
    var alternative: (status: Int, description: String, response: JSONSchema)?
}

/// Every operation under `/api/v1`. `OpenAPITests` fails when this and the router disagree, and checks the answers
/// of every API test against these schemas.
enum APIOperations {
    static let pageQuery: [QueryParameter] = [.count("limit", 1...PageSize.maximum, "1 to 500 (default 50)"),
                                              .text("cursor", "the previous page's `next`"), .tableFormat]
    static let customQuery: [QueryParameter] = [
        .text("custom.KEY", "a custom field equals (multiselect: has) the value"),
        .text("custom.KEY.from", "a number, money or date custom field at least"), .text("custom.KEY.to", "… at most"),
    ]

    static let customBody = ("custom", APISchemas.customValues)

    /// List, read, create, update and delete of one business record kind.
    static func records(_ kind: RecordKind, _ path: String, _ schema: String, tag: String, filters: [QueryParameter], body: JSONSchema,
                        custom: Bool = false) -> [APIOperation] {
        let base = "/api/v1/" + path
        let sorts = Database.listSorts(kind)!
        let sort = QueryParameter.text("sort", "one of \(sorts.keys.joined(separator: ", ")), '-' before it for descending "
                                           + "(default \(sorts.standard.text))")
        return [
            APIOperation(method: "GET", path: base, summary: "List \(tag.lowercased()) (keyset pages, filters, sort, CSV)", tag: tag,
                         query: pageQuery + [sort] + filters + (custom ? customQuery : []), response: APISchemas.listPage(schema), csv: true),
            APIOperation(method: "POST", path: base, summary: "Create", tag: tag, body: body, status: 201, response: .ref(schema)),
            APIOperation(method: "GET", path: base + "/{id}", summary: "Read one", tag: tag, response: .ref(schema)),
            APIOperation(method: "PATCH", path: base + "/{id}", summary: "Change the fields named (If-Match: the version)", tag: tag,
                         body: body, response: .ref(schema)),
            APIOperation(method: "DELETE", path: base + "/{id}", summary: "Delete (refused when history holds it)", tag: tag, status: 204),
        ]
    }

    static let lineBody = JSONSchema.body([("productId", .integer), ("quantityMilli", .integer), ("unitPriceMinor", .integer),
                                           ("discountMinor", .integer)], required: ["productId", "quantityMilli"])

    static let stageBody = JSONSchema.body([
        ("name", .string), ("position", .integer), ("probability", .integer), ("outcome", APISchemas.keys(StageOutcome.self)),
        ("requiredFields", .array(APISchemas.keys(DealRequirement.self))), ("script", .string), ("checklist", .array(.string)),
        ("forecastCategory", APISchemas.keys(ForecastCategory.self)),
    ])

    static let accountBody = JSONSchema.body([
        ("name", .string), ("legalId", .string), ("regionId", .integer), ("channelId", .integer), ("ownerId", .integer), ("segment", .string),
        ("tags", .array(.string)), ("notes", .string), ("addresses", .array(.ref("Address"))), ("externalId", .string), customBody,
    ])

    static let dealBody = JSONSchema.body([
        ("title", .string), ("accountId", .integer), ("contactId", .integer), ("pipelineId", .integer), ("stageId", .integer),
        ("amountMinor", .integer), ("currency", .string), ("expectedClose", .date), ("forecastCategory", APISchemas.keys(ForecastCategory.self)),
        ("ownerId", .integer), ("lossReason", .string), customBody,
    ])

    static let accountFilters: [QueryParameter] = [
        .id("owner", "owner id"), .id("region", "region id, with sub-regions"), .id("channel", "channel id"), .text("tag", "a tag"),
        .text("q", "name part or legal id"),
    ]
    static let contactFilters: [QueryParameter] = [.id("account", "account id"), .text("q", "name part, email or phone")]
    static let leadFilters: [QueryParameter] = [
        .id("owner", "owner id"), .choice("status", LeadStatus.self, "lead status"), .text("source", "lead source"),
        .text("q", "name or company part, email or phone"),
    ]
    static let dealFilters: [QueryParameter] = [
        .id("owner", "owner id"), .id("account", "account id"), .id("pipeline", "pipeline id"), .id("stage", "stage id"),
        .choice("status", StageOutcome.self, "open, won or lost"), .text("q", "title part"),
        .day("createdFrom", "created on or after this day (YYYY-MM-DD, company time zone)"), .day("createdTo", "created on or before this day"),
        .day("closedFrom", "won or lost on or after this day"), .day("closedTo", "won or lost on or before this day"),
        .id("reached", "stage id the deal has entered at some time, by its stage history"),
    ]
    static let activityFilters: [QueryParameter] = [
        .choice("kind", ActivityKind.self, "call, meeting, task, note or message"), .id("owner", "owner id"), .id("account", "account id"),
        .id("deal", "deal id"), .id("contact", "contact id"), .id("lead", "lead id"),
        .flag("done", "true: done ones only; false: open ones only"),
    ]
    static let orderFilters: [QueryParameter] = [
        .id("owner", "owner id"), .id("account", "account id"), .choice("status", OrderStatus.self, "order status"),
        .id("region", "region id, with sub-regions"), .id("channel", "channel id"), .id("team", "team id: orders of its members"),
        .id("category", "product category id, with sub-categories: orders holding such a product"),
        .day("from", "ordered on or after this day (YYYY-MM-DD)"), .day("to", "ordered on or before this day (YYYY-MM-DD)"),
        .flag("sales", "true: only orders that count as sales (neither draft nor cancelled)"),
    ]
    static let productFilters: [QueryParameter] = [
        .id("category", "category id, with sub-categories"), .flag("active", "true: active ones only; false: retired ones only"),
        .text("q", "SKU, or name part"),
    ]

    static let all: [APIOperation] = {
        var operations: [APIOperation] = []
        operations += records(.account, "accounts", "Account", tag: "Accounts", filters: accountFilters,
                              body: accountBody, custom: true)
        operations += records(.contact, "contacts", "Contact", tag: "Contacts", filters: contactFilters,
                              body: .body([("accountId", .integer), ("name", .string), ("position", .string), ("phone", .string), ("email", .string),
                                           ("channels", .array(.ref("Channel"))), customBody]), custom: true)
        operations += records(.lead, "leads", "Lead", tag: "Leads", filters: leadFilters,
                              body: .body([("source", .string), ("receivedAt", .dateTime), ("status", APISchemas.keys(LeadStatus.self)),
                                           ("disqualifyReason", .string), ("ownerId", .integer), ("name", .string), ("companyName", .string),
                                           ("phone", .string), ("email", .string), ("message", .string), ("utmSource", .string),
                                           ("utmCampaign", .string), customBody]), custom: true)
        operations += records(.deal, "deals", "Deal", tag: "Deals", filters: dealFilters,
                              body: dealBody, custom: true)
        operations += records(.activity, "activities", "Activity", tag: "Activities",
                              filters: activityFilters,
                              body: .body([("kind", APISchemas.keys(ActivityKind.self)), ("ownerId", .integer), ("accountId", .integer),
                                           ("contactId", .integer), ("dealId", .integer), ("leadId", .integer), ("subject", .string),
                                           ("occurredAt", .dateTime), ("dueAt", .dateTime), ("done", .boolean),
                                           ("callDirection", APISchemas.keys(CallDirection.self)),
                                           ("callDisposition", APISchemas.keys(CallDisposition.self)), ("externalNumber", .string),
                                           ("talkSeconds", .integer), customBody]), custom: true)
        operations += records(.order, "orders", "Order", tag: "Orders", filters: orderFilters,
                              body: .body([("number", .string), ("accountId", .integer), ("dealId", .integer), ("ownerId", .integer),
                                           ("orderedOn", .date), ("status", APISchemas.keys(OrderStatus.self)), ("currency", .string),
                                           ("channelId", .integer), ("regionId", .integer), ("lines", .array(lineBody)), customBody]),
                              custom: true)
        operations += records(.product, "products", "Product", tag: "Products", filters: productFilters,
                              body: .body([("sku", .string), ("name", .string), ("categoryId", .integer), ("unit", .string),
                                           ("priceMinor", .integer), ("costMinor", .integer), ("currency", .string), ("active", .boolean),
                                           customBody]), custom: true)
        operations += [
            APIOperation(method: "GET", path: "/api/v1/accounts/{id}/duplicates", summary: "Likely duplicates of an account", tag: "Accounts",
                         response: APISchemas.items("Duplicate")),
            APIOperation(method: "POST", path: "/api/v1/accounts/{id}/merge", summary: "Merge a duplicate into this account", tag: "Accounts",
                         body: .body([("from", .integer)], required: ["from"]), response: .ref("Account")),
            APIOperation(method: "GET", path: "/api/v1/contacts/{id}/duplicates", summary: "Likely duplicates of a contact", tag: "Contacts",
                         response: APISchemas.items("Duplicate")),
            APIOperation(method: "POST", path: "/api/v1/contacts/{id}/merge", summary: "Merge a duplicate into this contact", tag: "Contacts",
                         body: .body([("from", .integer)], required: ["from"]), response: .ref("Contact")),
            APIOperation(method: "POST", path: "/api/v1/leads/{id}/convert", summary: "Convert into account, contact and deal", tag: "Leads",
                         body: .body([("accountId", .integer), ("account", accountBody), ("contactId", .integer), ("createDeal", .boolean),
                                      ("deal", dealBody)]), response: .ref("ConvertedLead")),
            APIOperation(method: "GET", path: "/api/v1/deals/{id}/stages", summary: "Stage history, oldest first, 500 entries a page", tag: "Deals",
                         query: [.count("limit", 1...500, "1 to 500 (default 500)"), .text("cursor", "the previous page's nextCursor")],
                         response: APISchemas.items("StageEntry")),
            APIOperation(method: "GET", path: "/api/v1/deals/{id}/lines", summary: "Product lines", tag: "Deals", response: APISchemas.items("DealLine")),
            APIOperation(method: "PUT", path: "/api/v1/deals/{id}/lines", summary: "Replace the product lines (the amount is their sum)",
                         tag: "Deals", body: .body([("lines", .array(lineBody))], required: ["lines"]), response: APISchemas.items("DealLine")),
            APIOperation(method: "GET", path: "/api/v1/orders/{id}/lines", summary: "Order lines", tag: "Orders", response: APISchemas.items("OrderLine")),
            APIOperation(method: "GET", path: "/api/v1/products/{id}/prices", summary: "Price history, newest first", tag: "Products",
                         response: APISchemas.items("Price")),
            APIOperation(method: "GET", path: "/api/v1/product-categories", summary: "The category tree, parents first", tag: "Products",
                         response: APISchemas.items("ProductCategory")),
            APIOperation(method: "POST", path: "/api/v1/product-categories", summary: "Add a category", tag: "Products",
                         body: .body([("name", .string), ("parentId", .integer)], required: ["name"]), status: 201, response: .ref("ProductCategory")),
            APIOperation(method: "PATCH", path: "/api/v1/product-categories/{id}", summary: "Rename or move a category", tag: "Products",
                         body: .body([("name", .string), ("parentId", .integer)]), response: .ref("ProductCategory")),
            APIOperation(method: "GET", path: "/api/v1/pipelines", summary: "Pipelines with their stages", tag: "Pipelines",
                         response: APISchemas.items("Pipeline")),
            APIOperation(method: "POST", path: "/api/v1/pipelines", summary: "Add a pipeline with its stages", tag: "Pipelines",
                         body: .body([("name", .string), ("stages", .array(stageBody))], required: ["name", "stages"]), status: 201,
                         response: .ref("Pipeline")),
            APIOperation(method: "GET", path: "/api/v1/pipelines/{id}", summary: "One pipeline", tag: "Pipelines", response: .ref("Pipeline")),
            APIOperation(method: "PATCH", path: "/api/v1/pipelines/{id}", summary: "Rename or retire", tag: "Pipelines",
                         body: .body([("name", .string), ("active", .boolean)]), response: .ref("Pipeline")),
            APIOperation(method: "DELETE", path: "/api/v1/pipelines/{id}", summary: "Delete an unused pipeline", tag: "Pipelines", status: 204),
            APIOperation(method: "POST", path: "/api/v1/pipelines/{id}/stages", summary: "Add a stage", tag: "Pipelines", body: stageBody, status: 201,
                         response: .ref("Stage")),
            APIOperation(method: "PATCH", path: "/api/v1/pipelines/{id}/stages/{stage}", summary: "Change or move a stage", tag: "Pipelines",
                         body: stageBody, response: .ref("Stage")),
            APIOperation(method: "DELETE", path: "/api/v1/pipelines/{id}/stages/{stage}", summary: "Delete a stage no deal was in", tag: "Pipelines",
                         status: 204),
            APIOperation(method: "POST", path: "/api/v1/imports/{kind}", summary: "Import a CSV or XLSX file: every row or none (docs/import.md)",
                         tag: "Import", query: [.choice("dryRun", ["true", "false"], "true: check every row and write nothing"),
                                                .text("mapping", "a JSON object from the file's column names to Kvota's (\"-\" skips one)"),
                                                .choice("format", ImportFormat.self, "kvota (default); 1c: a 1C sales report (orders); hubspot, pipedrive, salesforce: their exports of companies, contacts or deals (salesforce: the Data Export's zip; docs/import.md)"),
                                                .choice("background", ["true", "false"], "true: queue it and answer 202 at once (files over 64 MB always are)")],
                         response: .ref("ImportReport"), upload: "text/csv",
                         textParameters: ["kind": "accounts, contacts, products, leads, deals, orders or calls"],
                         alternative: (202, "Queued in the background (`background=true`, or a file over 64 MB); follow it at Location",
                                       .ref("ImportJob"))),
            APIOperation(method: "GET", path: "/api/v1/imports", summary: "One's own background imports, newest first", tag: "Import",
                         response: APISchemas.items("ImportJob")),
            APIOperation(method: "GET", path: "/api/v1/imports/{kind}",
                         summary: "A background import by its id: its progress, then its report (docs/import.md, \"In the background\")",
                         tag: "Import", response: .ref("ImportJob"),
                         textParameters: ["kind": "the background import's id, as the 202 answer gives it (the path's place where a POST names the kind)"]),
            APIOperation(method: "GET", path: "/api/v1/loss-reasons", summary: "Loss and disqualification reasons", tag: "Settings",
                         query: [.choice("for", LossReason.AppliesTo.self, "deal or lead")], response: APISchemas.items("LossReason")),
            APIOperation(method: "POST", path: "/api/v1/loss-reasons", summary: "Add a reason", tag: "Settings",
                         body: .body([("appliesTo", APISchemas.keys(LossReason.AppliesTo.self)), ("name", .string)], required: ["appliesTo", "name"]),
                         status: 201, response: .ref("LossReason")),
            APIOperation(method: "PATCH", path: "/api/v1/loss-reasons/{id}", summary: "Rename, reorder or retire a reason", tag: "Settings",
                         body: .body([("name", .string), ("position", .integer), ("active", .boolean)]), response: .ref("LossReason")),
            APIOperation(method: "GET", path: "/api/v1/custom-fields", summary: "Custom fields", tag: "Settings", query: [.choice("kind", RecordKind.self, "record kind")],
                         response: APISchemas.items("CustomField")),
            APIOperation(method: "POST", path: "/api/v1/custom-fields", summary: "Add a custom field", tag: "Settings",
                         body: .body([("kind", .string), ("key", .string), ("label", .string), ("type", APISchemas.keys(CustomField.FieldType.self)),
                                      ("options", .array(.string)), ("required", .boolean)], required: ["kind", "key", "label", "type"]),
                         status: 201, response: .ref("CustomField")),
            APIOperation(method: "PATCH", path: "/api/v1/custom-fields/{id}", summary: "Change or retire a custom field", tag: "Settings",
                         body: .body([("label", .string), ("options", .array(.string)), ("required", .boolean), ("active", .boolean),
                                      ("position", .integer)]), response: .ref("CustomField")),
            APIOperation(method: "DELETE", path: "/api/v1/custom-fields/{id}", summary: "Delete an unused custom field", tag: "Settings", status: 204),
            APIOperation(method: "GET", path: "/api/v1/search", summary: "Find accounts, contacts, leads and deals", tag: "Search",
                         query: [.text("q", "2 to 200 characters: words, a phone, an email or a legal id"), .text("kind", "account,contact,lead,deal"),
                                 .count("limit", 1...100, "1 to 100 of each kind (default 10)")], response: APISchemas.items("SearchHit")),
            APIOperation(method: "GET", path: "/api/v1/regions", summary: "The territory tree, parents first", tag: "Organisation",
                         response: APISchemas.items("Region")),
            APIOperation(method: "POST", path: "/api/v1/regions", summary: "Add a region", tag: "Organisation",
                         body: .body([("code", .string), ("name", .string), ("parentId", .integer)], required: ["code", "name"]), status: 201,
                         response: .ref("Region")),
            APIOperation(method: "GET", path: "/api/v1/lead-sources", summary: "Lead sources: the standard ones and the company's own",
                         tag: "Leads", response: APISchemas.items("LeadSource")),
            APIOperation(method: "POST", path: "/api/v1/lead-sources", summary: "Add an own lead source", tag: "Leads",
                         body: .body([("key", .string), ("label", .string)], required: ["key", "label"]), status: 201,
                         response: .ref("LeadSource")),
            APIOperation(method: "PATCH", path: "/api/v1/lead-sources/{key}", summary: "Rename or retire an own lead source", tag: "Leads",
                         body: .body([("label", .string), ("active", .boolean)]), response: .ref("LeadSource"),
                         textParameters: ["key": "the source's key"]),
            APIOperation(method: "GET", path: "/api/v1/channels", summary: "The sales channels", tag: "Organisation",
                         response: APISchemas.items("SalesChannel")),
            APIOperation(method: "POST", path: "/api/v1/channels", summary: "Add a sales channel", tag: "Organisation",
                         body: .body([("code", .string), ("name", .string), ("kind", APISchemas.keys(ChannelKind.self))],
                                     required: ["code", "name", "kind"]), status: 201, response: .ref("SalesChannel")),
            APIOperation(method: "GET", path: "/api/v1/users", summary: "Users", tag: "Organisation", response: APISchemas.items("User")),
            APIOperation(method: "POST", path: "/api/v1/users", summary: "Add a user (a generated password is answered once)", tag: "Organisation",
                         body: .body([("email", .string), ("name", .string), ("role", APISchemas.keys(Role.self)), ("teamId", .integer),
                                      ("managerId", .integer), ("language", APISchemas.keys(Language.self)), ("extension", .string),
                                      ("password", .string)], required: ["email", "name", "role"]), status: 201, response: .ref("CreatedUser")),
            APIOperation(method: "GET", path: "/api/v1/users/{id}", summary: "One user", tag: "Organisation", response: .ref("User")),
            APIOperation(method: "PATCH", path: "/api/v1/users/{id}", summary: "Change a user", tag: "Organisation",
                         body: .body([("name", .string), ("role", APISchemas.keys(Role.self)), ("teamId", .integer), ("managerId", .integer),
                                      ("language", APISchemas.keys(Language.self)), ("extension", .string), ("active", .boolean),
                                      ("version", .integer)]), response: .ref("User")),
            APIOperation(method: "GET", path: "/api/v1/users/{id}/assignments", summary: "Dated team and manager history", tag: "Organisation",
                         response: APISchemas.items("Assignment")),
            APIOperation(method: "POST", path: "/api/v1/users/{id}/hand-over", summary: "Hand a leaving rep's work over", tag: "Organisation",
                         body: .body([("toUserIds", .array(.integer)), ("toTeamId", .integer)]), response: .ref("HandOverSummary")),
            APIOperation(method: "GET", path: "/api/v1/teams", summary: "Teams", tag: "Organisation", response: APISchemas.items("Team")),
            APIOperation(method: "POST", path: "/api/v1/teams", summary: "Add a team", tag: "Organisation",
                         body: .body([("name", .string), ("kind", APISchemas.keys(TeamKind.self)), ("headId", .integer)], required: ["name"]),
                         status: 201, response: .ref("Team")),
            APIOperation(method: "GET", path: "/api/v1/teams/{id}", summary: "One team", tag: "Organisation", response: .ref("Team")),
            APIOperation(method: "PATCH", path: "/api/v1/teams/{id}", summary: "Change a team", tag: "Organisation",
                         body: .body([("name", .string), ("kind", APISchemas.keys(TeamKind.self)), ("headId", .integer), ("version", .integer)]),
                         response: .ref("Team")),
            APIOperation(method: "GET", path: "/api/v1/settings", summary: "The company settings", tag: "Organisation",
                         response: .ref("CompanySettings")),
            APIOperation(method: "PATCH", path: "/api/v1/settings", summary: "Change the company settings (the base currency only while there are no orders)",
                         tag: "Organisation",
                         body: .body([("name", .string), ("baseCurrency", .string), ("timeZone", .string), ("defaultCountry", .string), ("thresholds", .map(.number))]),
                         response: .ref("CompanySettings")),
            APIOperation(method: "GET", path: "/api/v1/tokens", summary: "API and integration tokens", tag: "Access", response: APISchemas.items("Token")),
            APIOperation(method: "POST", path: "/api/v1/tokens", summary: "Create an integration token (shown once)", tag: "Access",
                         body: .body([("name", .string), ("scope", APISchemas.keys(TokenScope.self)), ("userId", .integer), ("expiresAt", .dateTime)],
                                     required: ["name", "scope"]), status: 201, response: .ref("Token")),
            APIOperation(method: "DELETE", path: "/api/v1/tokens/{id}", summary: "Revoke a token", tag: "Access", status: 204),
            APIOperation(method: "GET", path: "/api/v1/audit", summary: "The audit trail", tag: "Access",
                         query: [.text("record", "kind:id"), .id("actor", "user id"), .moment("from", "ISO 8601 time"), .moment("to", "ISO 8601 time"),
                                 .count("limit", 1...500, "1 to 500 (default 100)"), .text("cursor", "the previous page's nextCursor")], response: APISchemas.items("AuditEntry")),
            APIOperation(method: "POST", path: "/api/v1/auth/token", summary: "Sign in for a bearer token", tag: "Access",
                         body: .body([("email", .string), ("password", .string)], required: ["email", "password"]), response: .ref("SignInToken"),
                         open: true),
            APIOperation(method: "DELETE", path: "/api/v1/auth/token", summary: "Sign the bearer token out", tag: "Access", status: 204),
            APIOperation(method: "GET", path: "/api/v1/me", summary: "The caller, their role and team", tag: "Access", response: .ref("Me")),
            APIOperation(method: "GET", path: "/api/v1/me/calendar-feed", summary: "Whether one's calendar feed is on, since when",
                         tag: "Access", response: .ref("CalendarFeed")),
            APIOperation(method: "POST", path: "/api/v1/me/calendar-feed",
                         summary: "A new secret address for one's iCalendar feed (shown once; the old one stops working)", tag: "Access",
                         status: 201, response: .ref("CalendarFeed")),
            APIOperation(method: "DELETE", path: "/api/v1/me/calendar-feed", summary: "Turn one's calendar feed off", tag: "Access",
                         status: 204),
            APIOperation(method: "PUT", path: "/api/v1/me/password", summary: "Change one's password", tag: "Access",
                         body: .body([("currentPassword", .string), ("newPassword", .string)], required: ["currentPassword", "newPassword"]),
                         status: 204),
            APIOperation(method: "GET", path: "/api/v1/openapi.json", summary: "This document", tag: "Access", response: .any, open: true),
        ]
        operations += AnalyticsOperations.all
        operations += ForecastOperations.all
        operations += ScoringOperations.all
        operations += PlanOperations.all
        operations += PayOperations.all
        operations += KPIOperations.all
        operations += AlertOperations.all
        operations += ToolkitOperations.all
        operations += SurveyOperations.all
        operations += LibraryOperations.all
        operations += IntakeOperations.all
        operations += WebhookOperations.all
        return operations
    }()
}
