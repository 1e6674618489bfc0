import Foundation
import Hummingbird
import KvotaCore
import KvotaSheets

/// The OpenAPI 3.1 document of `/api/v1`, built from `APIOperations` and `APISchemas`, served at
/// `/api/v1/openapi.json`; and the check the tests run on every answer against it.
public enum OpenAPIDocument {
    public static let json: JSONValue = {
        var paths: [String: [String: JSONValue]] = [:]
        for operation in APIOperations.all {
            paths[operation.path, default: [:]][operation.method.lowercased()] = describe(operation)
        }
        return .object([
            "openapi": .string("3.1.0"),
            "info": .object([
                "title": .string("Kvota API"), "version": .string("1"),
                "description": .string("Sales management: CRM records, search, and the organisation. See docs/api.md."),
            ]),
            "paths": .object(paths.mapValues { .object($0) }),
            "components": .object([
                "schemas": .object(APISchemas.all.mapValues(\.json)),
                "securitySchemes": .object([
                    "bearer": .object(["type": .string("http"), "scheme": .string("bearer")]),
                    "session": .object(["type": .string("apiKey"), "in": .string("cookie"), "name": .string(AuthenticationMiddleware.sessionCookie)]),
                ]),
            ]),
            "security": .array([.object(["bearer": .array([])]), .object(["session": .array([])])]),
        ])
    }()

    public static let data: Data = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try! encoder.encode(json)
    }()

    /// The methods and paths the document describes, as `GET /api/v1/accounts/{id}`.
    public static var routes: Set<String> { Set(APIOperations.all.map { "\($0.method) \($0.path)" }) }

    /// What in an answer to `method path` disagrees with the document: an undocumented operation or status, or a
    /// body that breaks its schema.
    public static func problems(method: String, path: String, status: Int, contentType: String?, body: Data) -> [String] {
        guard let operation = APIOperations.all.first(where: { $0.method == method && matches($0.path, path) }) else {
            return ["\(method) \(path) is not in the OpenAPI document"]
        }
        let schema: JSONSchema?
        if let alternative = operation.alternative, status == alternative.status {
            schema = alternative.response
        } else if (200..<300).contains(status) {
            guard status == operation.status else { return ["\(method) \(path) answered \(status); the document says \(operation.status)"] }
            if contentType?.hasPrefix("text/csv") == true || contentType == XLSXWriter.contentType, operation.csv { return [] }
            schema = operation.response
        } else {
            schema = contentType == "application/problem+json" ? .ref("Problem") : nil
        }
        guard let schema else {
            // Nothing documented: a success without content (204), or an error that is not a problem document.
            return (200..<300).contains(status) && !body.isEmpty ? ["\(method) \(path): a body where none is documented"] : []
        }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: body) else { return ["\(method) \(path): the body is not JSON"] }
        return schema.problems(in: value, schemas: APISchemas.all).map { "\(method) \(path) \(status): \($0)" }
    }

    private static func matches(_ template: String, _ path: String) -> Bool {
        let parts = template.split(separator: "/"), actual = path.split(separator: "/")
        return parts.count == actual.count && zip(parts, actual).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }

    private static func describe(_ operation: APIOperation) -> JSONValue {
        func parameter(_ name: String, in place: String, _ description: String, required: Bool = false, schema: JSONSchema = .string) -> JSONValue {
            .object(["name": .string(name), "in": .string(place), "description": .string(description), "required": .bool(required),
                     "schema": schema.json])
        }
        var parameters = operation.path.split(separator: "/").filter { $0.hasPrefix("{") }.map {
            let name = String($0.dropFirst().dropLast())
            return operation.textParameters[name].map { parameter(name, in: "path", $0, required: true) }
                ?? parameter(name, in: "path", "an id", required: true, schema: .integer)
        }
        parameters += operation.query.map { parameter($0.name, in: "query", $0.description, schema: $0.schema) }
        if ["PATCH", "PUT", "DELETE"].contains(operation.method) {
            parameters.append(parameter("If-Match", in: "header", "the version the change is based on, as the ETag gave it; a stale one answers 412"))
        }
        if operation.method == "POST" {
            parameters.append(parameter("Idempotency-Key", in: "header", "a retry with the same key gets the first answer"))
        }
        var success: [String: JSONValue] = ["description": .string(operation.response == nil ? "Done" : "The answer")]
        var content: [String: JSONValue] = [:]
        if let response = operation.response { content["application/json"] = .object(["schema": response.json]) }
        if operation.csv {
            content["text/csv"] = .object(["schema": JSONSchema.string.json])
            content[XLSXWriter.contentType] = .object(["schema": .object(["type": .string("string"), "format": .string("binary")])])
        }
        if !content.isEmpty { success["content"] = .object(content) }
        var responses: [String: JSONValue] = [
            String(operation.status): .object(success),
            "default": .object([
                "description": .string("A problem (RFC 9457): 401, 403, 404, 409, 412, 422 with field errors, 429"),
                "content": .object(["application/problem+json": .object(["schema": JSONSchema.ref("Problem").json])]),
            ]),
        ]
        if let alternative = operation.alternative {
            responses[String(alternative.status)] = .object([
                "description": .string(alternative.description),
                "content": .object(["application/json": .object(["schema": alternative.response.json])]),
            ])
        }
        var fields: [String: JSONValue] = [
            "operationId": .string(operation.method.lowercased() + operation.path.dropFirst("/api/v1".count)
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")
                .replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: ".", with: "_")),
            "summary": .string(operation.summary),
            "tags": .array([.string(operation.tag)]),
            "parameters": .array(parameters),
            "responses": .object(responses),
        ]
        if let upload = operation.upload {
            var types: [String: JSONValue] = [upload: .object(["schema": JSONSchema.string.json])]
            // Whatever takes a CSV file takes an XLSX workbook too (its first sheet).
            if upload == "text/csv" { types[XLSXWriter.contentType] = .object(["schema": .object(["type": .string("string"), "format": .string("binary")])]) }
            fields["requestBody"] = .object(["required": .bool(true), "content": .object(types)])
        }
        if let body = operation.body {
            fields["requestBody"] = .object(["required": .bool(true), "content": .object(["application/json": .object(["schema": body.json])])])
        }
        if operation.open { fields["security"] = .array([]) }
        return .object(fields)
    }

    static func register(on router: Router<AppRequestContext>) {
        router.get("/api/v1/openapi.json") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data)))
        }
    }
}
