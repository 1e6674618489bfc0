import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/contacts`: people at accounts, seen by whoever sees their account.
struct ContactsAPI {
    let database: Database
    let config: AppConfig

    struct ContactDTO: Codable, Equatable {
        let id: Int64
        let accountId: Int64?
        let name: String
        let position: String?
        let phone: String?
        let email: String?
        let channels: [ChannelDTO]
        let createdAt: Date
        let updatedAt: Date
        let custom: [String: JSONValue]
        let version: Int64

        init(_ c: Contact) {
            custom = c.custom.mapValues(\.json)
            channels = c.channels.map { ChannelDTO(kind: $0.kind.rawValue, value: $0.value, label: $0.label) }
            id = c.id.rawValue; accountId = c.accountID?.rawValue; name = c.name; position = c.position; phone = c.phone
            email = c.email; createdAt = c.createdAt; updatedAt = c.updatedAt; version = c.version
        }
    }

    struct ChannelDTO: Codable, Equatable {
        let kind: String
        let value: String
        let label: String?
    }

    /// POST needs accountId and name; PATCH changes what it names (`null` clears position, phone or email; `channels`
    /// replaces every phone, email and handle).
    struct Body: Decodable {
        var patch = ContactPatch()
        var problems = ValidationFailure.Collector()

        enum CodingKeys: String, CodingKey { case accountId, name, position, phone, email, channels, custom }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            patch.custom = try c.decodeIfPresent([String: JSONValue].self, forKey: .custom)
            patch.accountID = try c.decodeIfPresent(Int64.self, forKey: .accountId).map { Account.ID($0) }
            patch.name = try c.decodeIfPresent(String.self, forKey: .name)
            if c.contains(.position) { patch.position = .some(try c.decodeIfPresent(String.self, forKey: .position)) }
            if c.contains(.phone) { patch.phone = .some(try c.decodeIfPresent(String.self, forKey: .phone)) }
            if c.contains(.email) { patch.email = .some(try c.decodeIfPresent(String.self, forKey: .email)) }
            patch.channels = try c.decodeIfPresent([ChannelDTO].self, forKey: .channels)?.enumerated().map { index, channel in
                ContactChannel(kind: decodeKey(channel.kind, as: ContactChannel.Kind.self, field: "channels[\(index)].kind",
                                               into: &problems) ?? .other,
                               value: channel.value, label: channel.label)
            }
        }
    }

    var routes: RecordRoutes<Contact, ContactDTO, ContactFilter> {
        RecordRoutes(
            path: "/contacts", kind: .contact, csvName: "contacts.csv",
            csvHeader: ["id", "account_id", "name", "position", "phone", "email", "created_at", "updated_at"],
            csvRow: { c in
                [c.id.description, c.accountID?.description, c.name, c.position, c.phone, c.email, c.createdAt.iso8601,
                 c.updatedAt.iso8601]
            },
            dto: ContactDTO.init, version: \.version,
            filter: { parameters, errors in
                ContactFilter(accountID: ListParameters.id(parameters, "account", into: &errors).map { Account.ID($0) },
                              text: parameters["q"].map(String.init))
            },
            list: { filter, actor, action in try await database.contacts(filter, for: actor, action: action) },
            read: { id, actor in try await database.contact(Contact.ID(id), for: actor) },
            create: { request, context in
                let body = try await JSONBody.decode(Body.self, from: request)
                return try await database.addContact(body.patch, problems: body.problems, by: context.actor, at: config.now(),
                                                     address: context.address)
            },
            update: { id, request, version, context in
                let body = try await JSONBody.decode(Body.self, from: request)
                return try await database.updateContact(Contact.ID(id), body.patch, problems: body.problems, expectedVersion: version,
                                                        by: context.actor, at: config.now(), address: context.address)
            },
            delete: { id, version, context in
                try await database.deleteContact(Contact.ID(id), expectedVersion: version, by: context.actor, at: config.now(),
                                                 address: context.address)
            },
            createdHeaders: { contact, actor in DuplicatesAPI.flag(try await database.likelyDuplicates(ofContact: contact.id, for: actor)) },
            customFields: CustomFieldColumns(kind: .contact, database: database, values: \.custom, filter: { $0.custom = $1 }))
    }
}
