import Foundation
import KvotaCore
import KvotaStore

/// The shapes of the API's answers and requests (`components/schemas` of the OpenAPI document). Keys and enum values
/// come from the same types the handlers use, so a new status or role shows here without a second list.
enum APISchemas {
    static let id = JSONSchema.integer
    static let optionalID = JSONSchema.nullable(.integer)
    static func keys<T: RawRepresentable & CaseIterable>(_ type: T.Type) -> JSONSchema where T.RawValue == String {
        .oneOf(T.allCases.map(\.rawValue))
    }

    static let customValues = JSONSchema.map(.any)

    static let all: [String: JSONSchema] = [
        "ImportReport": .record([
            ("kind", .string), ("dryRun", .boolean), ("written", .boolean), ("created", .integer), ("updated", .integer),
            ("unchanged", .integer), ("problems", .array(.record([("row", .integer), ("column", .string), ("value", .string), ("reason", .string)]))),
            ("related", .array(.record([("kind", .string), ("created", .integer), ("updated", .integer), ("unchanged", .integer)]))),
            ("skippedRows", .integer), ("ignoredColumns", .array(.string)),
        ]),
        "ImportJob": .record([
            ("id", id), ("kind", .string), ("format", .string), ("dryRun", .boolean), ("fileBytes", .integer),
            ("status", keys(ImportJob.Status.self)),
            ("progress", .record([("stage", keys(ImportProgress.Stage.self)), ("kind", .nullable(.string)), ("stepsDone", .integer),
                                  ("stepsTotal", .integer), ("rowsDone", .integer), ("rowsTotal", .integer), ("fraction", .number)])),
            ("report", .nullable(.ref("ImportReport"))), ("error", .nullable(.string)), ("attempts", .integer), ("createdBy", .integer),
            ("createdAt", .dateTime), ("startedAt", .nullable(.dateTime)), ("finishedAt", .nullable(.dateTime)),
        ]),
        "Problem": .record([
            ("type", .string), ("title", .string), ("status", .integer), ("detail", .string), ("requestId", .string),
            ("errors", .nullable(.array(.record([("field", .string), ("reason", .string)])))),
        ]),
        "Address": .record([
            ("kind", keys(Address.Kind.self)), ("street", .nullable(.string)), ("postcode", .nullable(.string)),
            ("city", .nullable(.string)), ("country", .nullable(.string)),
        ]),
        "Account": .record([
            ("id", id), ("name", .string), ("legalId", .nullable(.string)), ("regionId", optionalID), ("channelId", optionalID),
            ("ownerId", optionalID), ("segment", .nullable(.string)), ("tags", .array(.string)), ("notes", .nullable(.string)),
            ("addresses", .array(.ref("Address"))), ("createdAt", .dateTime), ("updatedAt", .dateTime), ("custom", customValues),
            ("externalId", .nullable(.string)), ("version", .integer),
        ]),
        "Channel": .record([("kind", keys(ContactChannel.Kind.self)), ("value", .string), ("label", .nullable(.string))]),
        "Contact": .record([
            ("id", id), ("accountId", optionalID), ("name", .string), ("position", .nullable(.string)), ("phone", .nullable(.string)),
            ("email", .nullable(.string)), ("channels", .array(.ref("Channel"))), ("createdAt", .dateTime), ("updatedAt", .dateTime),
            ("custom", customValues), ("version", .integer),
        ]),
        "Lead": .record([
            ("id", id), ("source", .string), ("receivedAt", .dateTime), ("firstResponseAt", .nullable(.dateTime)),
            ("status", keys(LeadStatus.self)), ("disqualifyReason", .nullable(.string)), ("ownerId", optionalID), ("name", .string),
            ("companyName", .nullable(.string)), ("phone", .nullable(.string)), ("email", .nullable(.string)),
            ("message", .nullable(.string)), ("utmSource", .nullable(.string)), ("utmCampaign", .nullable(.string)),
            ("accountId", optionalID), ("contactId", optionalID), ("custom", customValues), ("utmMedium", .nullable(.string)),
            ("utmTerm", .nullable(.string)), ("utmContent", .nullable(.string)), ("pageUrl", .nullable(.string)),
            ("channel", .nullable(.string)), ("regionId", optionalID), ("score", .nullable(.ref("Score"))), ("version", .integer),
        ]),
        "ConvertedLead": .record([
            ("lead", .ref("Lead")), ("accountId", id), ("accountCreated", .boolean), ("contactId", optionalID),
            ("contactCreated", .boolean), ("deal", .nullable(.ref("Deal"))),
        ]),
        "Deal": .record([
            ("id", id), ("title", .string), ("accountId", id), ("contactId", optionalID), ("pipelineId", id), ("stageId", id),
            ("amountMinor", .integer), ("currency", .string), ("expectedClose", .nullable(.date)),
            ("forecastCategory", keys(ForecastCategory.self)), ("ownerId", id), ("status", keys(StageOutcome.self)),
            ("createdAt", .dateTime), ("closedAt", .nullable(.dateTime)), ("lossReason", .nullable(.string)), ("leadId", optionalID),
            ("updatedAt", .dateTime), ("custom", customValues), ("score", .nullable(.ref("Score"))), ("version", .integer),
        ]),
        "DealLine": .record([
            ("productId", id), ("quantityMilli", .integer), ("unitPriceMinor", .integer), ("discountMinor", .integer), ("netMinor", .integer),
        ]),
        "StageEntry": .record([("stageId", id), ("enteredAt", .dateTime), ("userId", optionalID)]),
        "Activity": .record([
            ("id", id), ("kind", keys(ActivityKind.self)), ("ownerId", id), ("accountId", optionalID), ("contactId", optionalID),
            ("dealId", optionalID), ("leadId", optionalID), ("subject", .string), ("occurredAt", .dateTime), ("dueAt", .nullable(.dateTime)),
            ("doneAt", .nullable(.dateTime)), ("callDirection", .nullable(keys(CallDirection.self))),
            ("callDisposition", .nullable(keys(CallDisposition.self))), ("externalNumber", .nullable(.string)),
            ("talkSeconds", .nullable(.integer)), ("version", .integer), ("custom", customValues),
        ]),
        "Order": .record([
            ("id", id), ("number", .string), ("accountId", id), ("dealId", optionalID), ("ownerId", optionalID), ("orderedOn", .date),
            ("status", keys(OrderStatus.self)), ("currency", .string), ("totalMinor", .integer), ("totalBaseMinor", .integer),
            ("createdAt", .dateTime), ("channelId", optionalID), ("regionId", optionalID), ("version", .integer), ("custom", customValues),
        ]),
        "OrderLine": .record([
            ("productId", id), ("quantityMilli", .integer), ("unitPriceMinor", .integer), ("discountMinor", .integer), ("netMinor", .integer),
            ("netBaseMinor", .integer), ("costBaseMinor", .integer),
        ]),
        "Product": .record([
            ("id", id), ("sku", .string), ("name", .string), ("categoryId", id), ("unit", .string), ("priceMinor", .integer),
            ("costMinor", .integer), ("currency", .string), ("active", .boolean), ("version", .integer), ("custom", customValues),
        ]),
        "Price": .record([("validFrom", .date), ("priceMinor", .integer), ("costMinor", .integer), ("currency", .string)]),
        "ProductCategory": .record([("id", id), ("parentId", optionalID), ("name", .string)]),
        "Stage": .record([
            ("id", id), ("position", .integer), ("name", .string), ("probability", .integer), ("outcome", keys(StageOutcome.self)),
            ("requiredFields", .array(keys(DealRequirement.self))), ("script", .nullable(.string)), ("checklist", .array(.string)),
            ("forecastCategory", keys(ForecastCategory.self)), ("version", .integer),
        ]),
        "Pipeline": .record([("id", id), ("name", .string), ("active", .boolean), ("version", .integer), ("stages", .array(.ref("Stage")))]),
        "LossReason": .record([
            ("id", id), ("appliesTo", keys(LossReason.AppliesTo.self)), ("name", .string), ("position", .integer), ("active", .boolean),
            ("version", .integer),
        ]),
        "CustomField": .record([
            ("id", id), ("kind", .string), ("key", .string), ("label", .string), ("type", keys(CustomField.FieldType.self)),
            ("options", .array(.string)), ("required", .boolean), ("active", .boolean), ("position", .integer), ("version", .integer),
        ]),
        "SearchHit": .record([("kind", .string), ("id", id), ("title", .string), ("detail", .nullable(.string)), ("path", .string)]),
        "Duplicate": .record([("id", id), ("name", .string), ("reasons", .array(.string))]),
        "LeadSource": .record([("key", .string), ("label", .nullable(.string)), ("standard", .boolean), ("active", .boolean)]),
        "SalesChannel": .record([("id", id), ("code", .string), ("name", .string), ("kind", keys(ChannelKind.self))]),
        "Region": .record([("id", id), ("parentId", optionalID), ("code", .string), ("name", .string)]),
        "User": .record([
            ("id", id), ("name", .string), ("email", .string), ("role", keys(Role.self)), ("teamId", optionalID), ("managerId", optionalID),
            ("language", keys(Language.self)), ("extension", .nullable(.string)), ("active", .boolean), ("createdAt", .dateTime),
            ("version", .integer),
        ]),
        "CreatedUser": .record([("user", .ref("User")), ("password", .nullable(.string))]),
        "Assignment": .record([
            ("role", keys(Role.self)), ("teamId", optionalID), ("managerId", optionalID), ("from", .dateTime), ("to", .nullable(.dateTime)),
        ]),
        "HandOverSummary": .record([("accounts", .integer), ("deals", .integer), ("leads", .integer), ("tasks", .integer)]),
        "Team": .record([("id", id), ("name", .string), ("kind", keys(TeamKind.self)), ("headId", optionalID), ("version", .integer)]),
        "CompanySettings": .record([("name", .string), ("baseCurrency", .string), ("timeZone", .string), ("defaultCountry", .string),
                                       ("thresholds", .map(.number))]),
        "Me": .record([("user", .ref("User")), ("team", .nullable(.ref("Team"))), ("access", .string)]),
        "CalendarFeed": .record([("active", .boolean), ("createdAt", .nullable(.dateTime)), ("url", .nullable(.string))]),
        "Token": .record([
            ("id", id), ("userId", id), ("name", .string), ("kind", keys(TokenKind.self)), ("scope", keys(TokenScope.self)),
            ("createdBy", optionalID), ("createdAt", .dateTime), ("expiresAt", .nullable(.dateTime)), ("lastUsedAt", .nullable(.dateTime)),
            ("revokedAt", .nullable(.dateTime)), ("token", .nullable(.string)),
        ]),
        "SignInToken": .record([("token", .string), ("expiresAt", .dateTime)]),
        "AuditEntry": .record([
            ("id", id), ("at", .dateTime), ("actorId", optionalID), ("action", .string), ("record", .string),
            ("changes", .array(.record([("field", .string), ("old", .nullable(.string)), ("new", .nullable(.string))]))),
            ("detail", .nullable(.string)), ("address", .nullable(.string)),
        ]),
    ].merging(AnalyticsOperations.schemas) { own, _ in own }.merging(PlanOperations.schemas) { own, _ in own }.merging(PayOperations.schemas) { own, _ in own }.merging(KPIOperations.schemas) { own, _ in own }
        .merging(AlertOperations.schemas) { own, _ in own }
        .merging(ToolkitOperations.schemas) { own, _ in own }
        .merging(SurveyOperations.schemas) { own, _ in own }
        .merging(LibraryOperations.schemas) { own, _ in own }
        .merging(ForecastOperations.schemas) { own, _ in own }
        .merging(ScoringOperations.schemas) { own, _ in own }
        .merging(WebhookOperations.schemas) { own, _ in own }

    /// `{"items": [...], "next": cursor | null}`: a keyset page of a record list.
    static func listPage(_ item: String) -> JSONSchema {
        .object([("items", .array(.ref(item))), ("next", .nullable(.string))], required: ["items", "next"])
    }

    /// `{"items": [...]}` (with `nextCursor` where an older list pages): a whole, short list.
    static func items(_ item: String) -> JSONSchema {
        .object([("items", .array(.ref(item))), ("nextCursor", .nullable(.string))], required: ["items"])
    }
}
