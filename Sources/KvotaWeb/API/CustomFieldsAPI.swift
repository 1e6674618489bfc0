import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/custom-fields`: the fields admins add to accounts, contacts, leads and deals. Everyone reads them (a form
/// needs them); admins change them.
struct CustomFieldsAPI {
    let database: Database
    let config: AppConfig

    struct FieldDTO: Codable, Equatable {
        let id: Int64
        let kind: String
        let key: String
        let label: String
        let type: String
        let options: [String]
        let required: Bool
        let active: Bool
        let position: Int
        let version: Int64

        init(_ f: CustomField) {
            id = f.id.rawValue; kind = f.kind.rawValue; key = f.key; label = f.label; type = f.type.rawValue; options = f.options
            required = f.required; active = f.active; position = f.position; version = f.version
        }
    }

    struct NewField: Decodable {
        let kind: String?
        let key: String?
        let label: String?
        let type: String?
        let options: [String]?
        let required: Bool?
    }

    struct Change: Decodable {
        let label: String?
        let options: [String]?
        let required: Bool?
        let active: Bool?
        let position: Int?
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/custom-fields") { request, context -> Response in
            var errors = ValidationFailure.Collector()
            let kind = decodeKey(request.uri.queryParameters["kind"].map(String.init), as: RecordKind.self, field: "kind", into: &errors)
            try errors.finish()
            return try JSONBody.response(Page(items: try await database.customFields(for: context.actor, kind: kind).map(FieldDTO.init)))
        }
        api.post("/custom-fields") { request, context -> Response in
            let body = try await JSONBody.decode(NewField.self, from: request)
            var errors = ValidationFailure.Collector()
            errors.check(body.kind != nil, "kind", "is required")
            errors.check(body.type != nil, "type", "is required")
            let kind = decodeKey(body.kind, as: RecordKind.self, field: "kind", into: &errors)
            let type = decodeKey(body.type, as: CustomField.FieldType.self, field: "type", into: &errors)
            let field = CustomField(id: 0, kind: kind ?? .account, key: body.key ?? "", label: body.label ?? "", type: type ?? .text,
                                    options: body.options ?? [], required: body.required ?? false)
            let made = try await database.addCustomField(field, problems: errors, by: context.actor, at: config.now(), address: context.address)
            return try answer(made, status: .created)
        }
        api.patch("/custom-fields/:id") { request, context -> Response in
            let body = try await JSONBody.decode(Change.self, from: request)
            let field = try await database.updateCustomField(CustomField.ID(try request.id(.customField, context: context)), label: body.label,
                                                             options: body.options, required: body.required, active: body.active,
                                                             position: body.position, expectedVersion: try Versioning.expectedVersion(request),
                                                             by: context.actor, at: config.now(), address: context.address)
            return try answer(field)
        }
        api.delete("/custom-fields/:id") { request, context -> Response in
            try await database.deleteCustomField(CustomField.ID(try request.id(.customField, context: context)), by: context.actor,
                                                 at: config.now(), address: context.address)
            return Response(status: .noContent)
        }
    }

    private func answer(_ field: CustomField, status: HTTPResponse.Status = .ok) throws -> Response {
        try Versioning.response(FieldDTO(field), version: field.version, status: status)
    }
}
