import Foundation
import HTTPTypes
import Hummingbird
import KvotaCore
import KvotaStore

/// Likely duplicates of an account or a contact, and merging one into the other:
/// `GET /accounts/ID/duplicates`, `POST /accounts/ID/merge {"from": DUPLICATE}` (and the same under `/contacts`).
/// A newly created account or contact that looks like an existing one answers with `Kvota-Likely-Duplicates`.
struct DuplicatesAPI {
    let database: Database
    let config: AppConfig

    static let header = HTTPField.Name("Kvota-Likely-Duplicates")!

    struct DuplicateDTO: Encodable {
        let id: Int64
        let name: String
        let reasons: [String]
    }

    struct Merge: Decodable { let from: Int64? }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/accounts/:id/duplicates") { request, context -> Response in
            let found = try await database.likelyDuplicates(ofAccount: Account.ID(try request.id(.account, context: context)), for: context.actor)
            return try JSONBody.response(Page(items: found.map(Self.dto)))
        }
        api.get("/contacts/:id/duplicates") { request, context -> Response in
            let found = try await database.likelyDuplicates(ofContact: Contact.ID(try request.id(.contact, context: context)), for: context.actor)
            return try JSONBody.response(Page(items: found.map(Self.dto)))
        }
        api.post("/accounts/:id/merge") { request, context -> Response in
            let survivor = Account.ID(try request.id(.account, context: context))
            let from = try await Self.from(request)
            let merged = try await database.mergeAccount(Account.ID(from), into: survivor, expectedVersion: try Versioning.expectedVersion(request),
                                                         by: context.actor, at: config.now(), address: context.address)
            return try Versioning.response(AccountsAPI.AccountDTO(merged), version: merged.version)
        }
        api.post("/contacts/:id/merge") { request, context -> Response in
            let survivor = Contact.ID(try request.id(.contact, context: context))
            let from = try await Self.from(request)
            let merged = try await database.mergeContact(Contact.ID(from), into: survivor, expectedVersion: try Versioning.expectedVersion(request),
                                                         by: context.actor, at: config.now(), address: context.address)
            return try Versioning.response(ContactsAPI.ContactDTO(merged), version: merged.version)
        }
    }

    /// The flag on a created record's answer: the ids it probably duplicates, if any.
    static func flag(_ found: [LikelyDuplicate]) -> HTTPFields {
        found.isEmpty ? [:] : [header: found.map { String($0.id) }.joined(separator: ", ")]
    }

    private static func dto(_ duplicate: LikelyDuplicate) -> DuplicateDTO {
        DuplicateDTO(id: duplicate.id, name: duplicate.name, reasons: duplicate.reasons)
    }

    private static func from(_ request: Request) async throws -> Int64 {
        guard let from = try await JSONBody.decode(Merge.self, from: request).from else {
            throw ValidationFailure([.invalid(field: "from", reason: "is required: the id of the duplicate to merge into this one")])
        }
        return from
    }
}
