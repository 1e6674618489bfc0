import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/accounts`: the company's counterparties. What each caller sees and may change is the access policy's
/// decision, applied by the store.
struct AccountsAPI {
    let database: Database
    let config: AppConfig

    struct AccountDTO: Codable, Equatable {
        let id: Int64
        let name: String
        let legalId: String?
        let regionId: Int64?
        let channelId: Int64?
        let ownerId: Int64?
        let segment: String?
        let tags: [String]
        let notes: String?
        let addresses: [AddressDTO]
        let createdAt: Date
        let updatedAt: Date
        let custom: [String: JSONValue]
        let externalId: String?
        let version: Int64

        init(_ account: Account) {
            externalId = account.externalID
            custom = account.custom.mapValues(\.json)
            tags = account.tags; notes = account.notes; addresses = account.addresses.map(AddressDTO.init)
            id = account.id.rawValue; name = account.name; legalId = account.legalID; regionId = account.regionID?.rawValue
            channelId = account.channelID?.rawValue; ownerId = account.ownerID?.rawValue; segment = account.segment
            createdAt = account.createdAt; updatedAt = account.updatedAt; version = account.version
        }
    }

    struct AddressDTO: Codable, Equatable {
        let kind: String
        let street: String?
        let postcode: String?
        let city: String?
        let country: String?

        init(_ a: Address) { kind = a.kind.rawValue; street = a.street; postcode = a.postcode; city = a.city; country = a.country }
    }

    /// The body of POST (name required) and PATCH (absent fields stay; `null` clears an optional one; `tags` and
    /// `addresses` replace the lists).
    struct Body: Decodable {
        var name: String?
        var patch = AccountPatch()
        var problems = ValidationFailure.Collector()

        enum CodingKeys: String, CodingKey { case name, legalId, regionId, channelId, ownerId, segment, tags, notes, addresses, custom,
                                                   externalId }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            patch.custom = try c.decodeIfPresent([String: JSONValue].self, forKey: .custom)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            patch.name = name
            if c.contains(.legalId) { patch.legalID = .some(try c.decodeIfPresent(String.self, forKey: .legalId)) }
            if c.contains(.regionId) { patch.regionID = .some(try c.decodeIfPresent(Int64.self, forKey: .regionId).map { Region.ID($0) }) }
            if c.contains(.channelId) { patch.channelID = .some(try c.decodeIfPresent(Int64.self, forKey: .channelId).map { Channel.ID($0) }) }
            if c.contains(.ownerId) { patch.ownerID = .some(try c.decodeIfPresent(Int64.self, forKey: .ownerId).map { User.ID($0) }) }
            if c.contains(.segment) { patch.segment = .some(try c.decodeIfPresent(String.self, forKey: .segment)) }
            if c.contains(.externalId) { patch.externalID = .some(try c.decodeIfPresent(String.self, forKey: .externalId)) }
            patch.tags = try c.decodeIfPresent([String].self, forKey: .tags)
            if c.contains(.notes) { patch.notes = .some(try c.decodeIfPresent(String.self, forKey: .notes)) }
            patch.addresses = try c.decodeIfPresent([AddressDTO].self, forKey: .addresses)?.enumerated().map { index, a in
                Address(kind: decodeKey(a.kind, as: Address.Kind.self, field: "addresses[\(index)].kind", into: &problems) ?? .other,
                        street: a.street, postcode: a.postcode, city: a.city, country: a.country)
            }
        }

        /// A new account's fields (a missing name is an empty one, which the store names).
        func draft() -> (AccountDraft, ValidationFailure.Collector) {
            var draft = AccountDraft(name: name ?? "", legalID: patch.legalID ?? nil, regionID: patch.regionID ?? nil,
                                     channelID: patch.channelID ?? nil, ownerID: patch.ownerID ?? nil, segment: patch.segment ?? nil,
                                     tags: patch.tags ?? [], notes: patch.notes ?? nil, addresses: patch.addresses ?? [])
            draft.custom = patch.custom
            draft.externalID = patch.externalID ?? nil
            return (draft, problems)
        }
    }

    var routes: RecordRoutes<Account, AccountDTO, AccountFilter> {
        RecordRoutes(
            path: "/accounts", kind: .account, csvName: "accounts.csv",
            csvHeader: ["id", "name", "legal_id", "region_id", "channel_id", "owner_id", "segment", "tags", "created_at", "updated_at"],
            csvRow: { a in
                [a.id.description, a.name, a.legalID, a.regionID?.description, a.channelID?.description, a.ownerID?.description,
                 a.segment, a.tags.joined(separator: "; "), a.createdAt.iso8601, a.updatedAt.iso8601]
            },
            dto: AccountDTO.init, version: \.version,
            filter: { parameters, errors in
                var filter = AccountFilter(ownerID: ListParameters.id(parameters, "owner", into: &errors).map { User.ID($0) },
                                           regionID: ListParameters.id(parameters, "region", into: &errors).map { Region.ID($0) },
                                           channelID: ListParameters.id(parameters, "channel", into: &errors).map { Channel.ID($0) },
                                           text: parameters["q"].map(String.init))
                filter.tag = parameters["tag"].map(String.init)
                return filter
            },
            list: { filter, actor, action in try await database.accounts(filter, for: actor, action: action) },
            read: { id, actor in try await database.account(Account.ID(id), for: actor) },
            create: { request, context in
                let (draft, problems) = try await JSONBody.decode(Body.self, from: request).draft()
                return try await database.addAccount(draft, problems: problems, by: context.actor, at: config.now(), address: context.address)
            },
            update: { id, request, version, context in
                let body = try await JSONBody.decode(Body.self, from: request)
                return try await database.updateAccount(Account.ID(id), body.patch, problems: body.problems, expectedVersion: version,
                                                        by: context.actor, at: config.now(), address: context.address)
            },
            delete: { id, version, context in
                try await database.deleteAccount(Account.ID(id), expectedVersion: version, by: context.actor, at: config.now(),
                                                 address: context.address)
            },
            createdHeaders: { account, actor in DuplicatesAPI.flag(try await database.likelyDuplicates(ofAccount: account.id, for: actor)) },
            customFields: CustomFieldColumns(kind: .account, database: database, values: \.custom, filter: { $0.custom = $1 }))
    }
}
