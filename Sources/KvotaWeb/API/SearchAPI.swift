import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `GET /api/v1/search?q=…[&kind=account,contact,lead,deal][&limit=10]`: one box that finds a customer by name,
/// phone in any format, email or legal id, across the kinds, among the records the caller may see.
struct SearchAPI {
    let database: Database

    struct Hit: Encodable {
        let kind: String
        let id: Int64
        let title: String
        let detail: String?
        /// Where the record is read through the API.
        let path: String
    }

    static let paths: [RecordKind: String] = [.account: "accounts", .contact: "contacts", .lead: "leads", .deal: "deals"]

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/search") { request, context -> Response in
            let parameters = request.uri.queryParameters
            var errors = ValidationFailure.Collector()
            let text = parameters["q"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
            errors.check(text.count >= 2 && text.count <= 200, "q", "expected 2 to 200 characters")
            let limit = ListParameters.number(parameters, "limit", 10, in: 1...100, into: &errors)
            var kinds = Database.searchableKinds
            if let list = parameters["kind"] {
                kinds = list.split(separator: ",").compactMap { key in
                    let kind = Database.searchableKinds.first { $0.rawValue == key }
                    errors.check(kind != nil, "kind", "expected account, contact, lead or deal, got '\(key)'")
                    return kind
                }
            }
            try errors.finish()
            let hits = try await database.search(text, kinds: kinds, limit: limit, for: context.actor)
            return try JSONBody.response(Page(items: hits.map {
                Hit(kind: $0.kind.rawValue, id: $0.id, title: $0.title, detail: $0.detail, path: "/api/v1/\(Self.paths[$0.kind]!)/\($0.id)")
            }))
        }
    }
}
