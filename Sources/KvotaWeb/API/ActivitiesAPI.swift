import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/activities` (`?kind=call|meeting|task|note|message`, `?done=false` for open tasks and meetings).
struct ActivitiesAPI {
    let database: Database
    let config: AppConfig

    struct ActivityDTO: Codable, Equatable {
        let id: Int64
        let kind: String
        let ownerId: Int64
        let accountId: Int64?
        let contactId: Int64?
        let dealId: Int64?
        let leadId: Int64?
        let subject: String
        let occurredAt: Date
        let dueAt: Date?
        let doneAt: Date?
        let callDirection: String?
        let callDisposition: String?
        let externalNumber: String?
        let talkSeconds: Int?
        let version: Int64
        let custom: [String: JSONValue]

        init(_ a: Activity) {
            custom = a.custom.mapValues(\.json)
            id = a.id.rawValue; kind = a.kind.rawValue; ownerId = a.ownerID.rawValue; accountId = a.accountID?.rawValue
            contactId = a.contactID?.rawValue; dealId = a.dealID?.rawValue; leadId = a.leadID?.rawValue; subject = a.subject
            occurredAt = a.occurredAt; dueAt = a.dueAt; doneAt = a.doneAt; callDirection = a.call?.direction.rawValue
            callDisposition = a.call?.disposition.rawValue; externalNumber = a.call?.externalNumber; talkSeconds = a.call?.talkSeconds
            version = a.version
        }
    }

    struct Body: Decodable {
        var patch = ActivityPatch()
        var keys: [String: String] = [:]

        enum CodingKeys: String, CodingKey {
            case kind, ownerId, accountId, contactId, dealId, leadId, subject, occurredAt, dueAt, done, callDirection, callDisposition,
                 externalNumber, talkSeconds, custom
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            func link<T>(_ key: CodingKeys, _ make: (Int64) -> T) throws -> T?? {
                c.contains(key) ? .some(try c.decodeIfPresent(Int64.self, forKey: key).map(make)) : nil
            }
            for key in [CodingKeys.kind, .callDirection, .callDisposition] {
                keys[key.stringValue] = try c.decodeIfPresent(String.self, forKey: key)
            }
            patch.ownerID = try c.decodeIfPresent(Int64.self, forKey: .ownerId).map { User.ID($0) }
            patch.accountID = try link(.accountId) { Account.ID($0) }
            patch.contactID = try link(.contactId) { Contact.ID($0) }
            patch.dealID = try link(.dealId) { Deal.ID($0) }
            patch.leadID = try link(.leadId) { Lead.ID($0) }
            patch.subject = try c.decodeIfPresent(String.self, forKey: .subject)
            patch.occurredAt = try c.decodeIfPresent(Date.self, forKey: .occurredAt)
            if c.contains(.dueAt) { patch.dueAt = .some(try c.decodeIfPresent(Date.self, forKey: .dueAt)) }
            patch.done = try c.decodeIfPresent(Bool.self, forKey: .done)
            if c.contains(.externalNumber) { patch.externalNumber = .some(try c.decodeIfPresent(String.self, forKey: .externalNumber)) }
            patch.talkSeconds = try c.decodeIfPresent(Int.self, forKey: .talkSeconds)
            patch.custom = try c.decodeIfPresent([String: JSONValue].self, forKey: .custom)
        }

        func read() -> (ActivityPatch, ValidationFailure.Collector) {
            var errors = ValidationFailure.Collector()
            var patch = patch
            patch.kind = decodeKey(keys["kind"], as: ActivityKind.self, field: "kind", into: &errors)
            patch.callDirection = decodeKey(keys["callDirection"], as: CallDirection.self, field: "callDirection", into: &errors)
            patch.callDisposition = decodeKey(keys["callDisposition"], as: CallDisposition.self, field: "callDisposition", into: &errors)
            return (patch, errors)
        }
    }

    var routes: RecordRoutes<Activity, ActivityDTO, ActivityFilter> {
        RecordRoutes(
            path: "/activities", kind: .activity, csvName: "activities.csv",
            csvHeader: ["id", "kind", "owner_id", "account_id", "contact_id", "deal_id", "lead_id", "subject", "occurred_at", "due_at",
                        "done_at", "call_direction", "call_disposition", "external_number", "talk_seconds"],
            csvRow: { a in
                [a.id.description, a.kind.rawValue, a.ownerID.description, a.accountID?.description, a.contactID?.description,
                 a.dealID?.description, a.leadID?.description, a.subject, a.occurredAt.iso8601, a.dueAt?.iso8601, a.doneAt?.iso8601,
                 a.call?.direction.rawValue, a.call?.disposition.rawValue, a.call?.externalNumber, a.call.map { String($0.talkSeconds) }]
            },
            dto: ActivityDTO.init, version: \.version,
            filter: { parameters, errors in
                var filter = ActivityFilter(ownerID: ListParameters.id(parameters, "owner", into: &errors).map { User.ID($0) },
                                            accountID: ListParameters.id(parameters, "account", into: &errors).map { Account.ID($0) },
                                            dealID: ListParameters.id(parameters, "deal", into: &errors).map { Deal.ID($0) },
                                            leadID: ListParameters.id(parameters, "lead", into: &errors).map { Lead.ID($0) })
                filter.kind = decodeKey(parameters["kind"].map(String.init), as: ActivityKind.self, field: "kind", into: &errors)
                filter.contactID = ListParameters.id(parameters, "contact", into: &errors).map { Contact.ID($0) }
                if let done = parameters["done"] {
                    errors.check(done == "true" || done == "false", "done", "expected true or false, got '\(done)'")
                    filter.done = done == "true"
                }
                return filter
            },
            list: { filter, actor, action in try await database.activities(filter, for: actor, action: action) },
            read: { id, actor in try await database.activity(Activity.ID(id), for: actor) },
            create: { request, context in
                let (patch, problems) = try await JSONBody.decode(Body.self, from: request).read()
                return try await database.addActivity(patch, problems: problems, by: context.actor, at: config.now(), address: context.address)
            },
            update: { id, request, version, context in
                let (patch, problems) = try await JSONBody.decode(Body.self, from: request).read()
                return try await database.updateActivity(Activity.ID(id), patch, problems: problems, expectedVersion: version,
                                                         by: context.actor, at: config.now(), address: context.address)
            },
            delete: { id, version, context in
                try await database.deleteActivity(Activity.ID(id), expectedVersion: version, by: context.actor, at: config.now(),
                                                  address: context.address)
            },
            customFields: CustomFieldColumns(kind: .activity, database: database, values: \.custom, filter: { $0.custom = $1 }))
    }
}
