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
        let createdAt: Date
        let updatedAt: Date
        let version: Int64

        init(_ account: Account) {
            id = account.id.rawValue; name = account.name; legalId = account.legalID; regionId = account.regionID?.rawValue
            channelId = account.channelID?.rawValue; ownerId = account.ownerID?.rawValue; segment = account.segment
            createdAt = account.createdAt; updatedAt = account.updatedAt; version = account.version
        }
    }

    /// The body of POST (name required) and PATCH (absent fields stay; `null` clears an optional one).
    struct Body: Decodable {
        var name: String?
        var patch = AccountPatch()

        enum CodingKeys: String, CodingKey { case name, legalId, regionId, channelId, ownerId, segment }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            patch.name = name
            if c.contains(.legalId) { patch.legalID = .some(try c.decodeIfPresent(String.self, forKey: .legalId)) }
            if c.contains(.regionId) { patch.regionID = .some(try c.decodeIfPresent(Int64.self, forKey: .regionId).map { Region.ID($0) }) }
            if c.contains(.channelId) { patch.channelID = .some(try c.decodeIfPresent(Int64.self, forKey: .channelId).map { Channel.ID($0) }) }
            if c.contains(.ownerId) { patch.ownerID = .some(try c.decodeIfPresent(Int64.self, forKey: .ownerId).map { User.ID($0) }) }
            if c.contains(.segment) { patch.segment = .some(try c.decodeIfPresent(String.self, forKey: .segment)) }
        }

        func draft() throws -> AccountDraft {
            guard let name else { throw ValidationFailure([.invalid(field: "name", reason: "is required")]) }
            return AccountDraft(name: name, legalID: patch.legalID ?? nil, regionID: patch.regionID ?? nil,
                                channelID: patch.channelID ?? nil, ownerID: patch.ownerID ?? nil, segment: patch.segment ?? nil)
        }
    }

    static let csvHeader = ["id", "name", "legal_id", "region_id", "channel_id", "owner_id", "segment", "created_at", "updated_at"]

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/accounts") { request, context -> Response in
            let parameters = request.uri.queryParameters
            let filter = try Self.filter(parameters)
            if parameters["format"] == "csv" {
                let actor = context.actor
                return try await CSVExport.response(filename: "accounts.csv", header: Self.csvHeader, fetch: { cursor in
                    var page = filter
                    page.cursor = cursor
                    page.limit = CSVExport.pageSize
                    return try await database.accounts(page, for: actor, action: .export)
                }, row: { account in
                    let iso = ISO8601DateFormatter()
                    return [account.id.description, account.name, account.legalID, account.regionID?.description,
                            account.channelID?.description, account.ownerID?.description, account.segment,
                            iso.string(from: account.createdAt), iso.string(from: account.updatedAt)]
                })
            }
            let page = try await database.accounts(filter, for: context.actor)
            return try JSONBody.response(ListPage(items: page.items.map(AccountDTO.init), next: page.next))
        }
        api.get("/accounts/:id") { request, context -> Response in
            let account = try await database.account(Account.ID(try request.id(.account, context: context)), for: context.actor)
            return try Self.answer(account)
        }
        api.post("/accounts") { request, context -> Response in
            let draft = try await JSONBody.decode(Body.self, from: request).draft()
            let account = try await database.addAccount(draft, by: context.actor, at: config.now(), address: context.address)
            return try Self.answer(account, status: .created)
        }
        api.patch("/accounts/:id") { request, context -> Response in
            let id = Account.ID(try request.id(.account, context: context))
            let body = try await JSONBody.decode(Body.self, from: request)
            let account = try await database.updateAccount(id, body.patch, expectedVersion: try Versioning.expectedVersion(request),
                                                           by: context.actor, at: config.now(), address: context.address)
            return try Self.answer(account)
        }
        api.delete("/accounts/:id") { request, context -> Response in
            let id = Account.ID(try request.id(.account, context: context))
            try await database.deleteAccount(id, expectedVersion: try Versioning.expectedVersion(request), by: context.actor,
                                             at: config.now(), address: context.address)
            return Response(status: .noContent)
        }
    }

    static func answer(_ account: Account, status: HTTPResponse.Status = .ok) throws -> Response {
        var response = try JSONBody.response(AccountDTO(account), status: status)
        response.headers[.eTag] = Versioning.etag(account.version)
        return response
    }

    static func filter(_ parameters: Parameters) throws -> AccountFilter {
        var errors = ValidationFailure.Collector()
        var filter = AccountFilter()
        func id(_ name: String) -> Int64? {
            guard let text = parameters[Substring(name)] else { return nil }
            let value = Int64(text)
            errors.check(value != nil, name, "expected an id, got '\(text)'")
            return value
        }
        filter.ownerID = id("owner").map { User.ID($0) }
        filter.regionID = id("region").map { Region.ID($0) }
        filter.channelID = id("channel").map { Channel.ID($0) }
        filter.text = parameters["q"].map(String.init)
        filter.cursor = parameters["cursor"].map(String.init)
        if let limit = parameters["limit"] {
            let value = Int(limit)
            errors.check(value.map { (1...PageSize.maximum).contains($0) } ?? false, "limit",
                         "expected 1 to \(PageSize.maximum), got '\(limit)'")
            filter.limit = value ?? PageSize.standard
        }
        if let format = parameters["format"] { errors.check(format == "csv" || format == "json", "format", "expected csv or json, got '\(format)'") }
        try errors.finish()
        return filter
    }
}

/// A list answer of business records: `items` and the `next` cursor (null on the last page).
struct ListPage<Item: Encodable>: Encodable {
    let items: [Item]
    let next: String?

    enum CodingKeys: String, CodingKey { case items, next }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try c.encode(next, forKey: .next)  // null, not absent, on the last page
    }
}
