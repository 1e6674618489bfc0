import Foundation
import Hummingbird
import KvotaCore
import NIOCore

/// The checks a request's input passes before any handler reads it, in one place, each answering 422 naming the
/// field, with nothing written:
///
/// - **No NUL character** in a query's values, a JSON body's strings or a form's fields ("must not contain a NUL
///   character"). PostgreSQL keeps no NUL in text and answers an error (a 500 to the client, found by schemathesis
///   and the importer fuzzing); SQLite would keep it, and a name cut short at it would reach C code and exports. No
///   field of Kvota's has a use for one. Files are the importer's to refuse (`ImportTable`), by their line.
/// - **No field the operation does not have** in a JSON body ("is not a field of this request"):
///   `{"ammountMinor": 5}` would otherwise be read as a change of nothing and answered 200, and the client would never
///   learn of the typo. The fields are the OpenAPI document's (`APIOperations`, `additionalProperties: false` on every
///   body), so a handler's `Decodable` type, which ignores what it does not know, needs no list of its own.
///
/// A body is collected and decoded once for both. It is looked at for a NUL only when its bytes could hold one
/// (`\u0000` in JSON, `%00` in a form), so a request without one costs a scan of its bytes. An API request not signed
/// in hears 401 first, unless its operation is open (signing in itself). Runs at router level, outside the signed-in
/// groups' `ProblemLanguageMiddleware`, so it hands the person's language up itself.
struct RequestInputMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let nulReason = "must not contain a NUL character"
    static let unknownReason = "is not a field of this request"

    var addresses = APIAddresses.standard

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path, method = request.method.rawValue
        let operation = path.hasPrefix("/api/") ? addresses.operations(at: path).first { $0.method == method } : nil
        if context.identity == nil, path.hasPrefix("/api/"), operation?.open != true { return try await next(request, context) }

        var refused: [ValueError] = []
        if let query = request.uri.query, query.contains("%00") {
            refused += FormPairs.parse(query).filter { $0.1.contains("\u{0}") }.map { .invalid(field: $0.0, reason: Self.nulReason) }
        }
        var request = request
        let type = request.headers[.contentType]?.lowercased() ?? ""
        // Only a body the document describes has fields to check; an upload's are its file's.
        let schema = ["POST", "PUT", "PATCH"].contains(method) && operation?.upload == nil ? operation?.body : nil
        if type.hasPrefix("application/json") {
            let body = try await request.collectBody(upTo: JSONBody.maximumBytes)
            let mayHoldNul = Self.escapesNul(body.readableBytesView)
            // Not JSON at all: the handler says so, naming the body.
            if mayHoldNul || schema != nil, let value = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: body)) {
                if mayHoldNul { refused += Self.nulFields(in: value, at: "").map { .invalid(field: $0, reason: Self.nulReason) } }
                if let schema {
                    refused += schema.unknownFields(in: value, schemas: APISchemas.all).map { .invalid(field: $0, reason: Self.unknownReason) }
                }
            }
        } else if type.hasPrefix("application/x-www-form-urlencoded") {
            let body = try await request.collectBody(upTo: JSONBody.maximumBytes)
            if body.readableBytesView.firstRange(of: Array("%00".utf8)) != nil {
                refused += FormPairs.parse(String(buffer: body)).filter { $0.0.contains("\u{0}") || $0.1.contains("\u{0}") }
                    .map { .invalid(field: $0.0, reason: Self.nulReason) }
            }
        }
        guard refused.isEmpty else {
            let failure = ValidationFailure(refused)
            if let language = context.identity?.user.language { throw ErrorInLanguage(error: failure, language: language) }
            throw failure
        }
        return try await next(request, context)
    }

    /// Whether JSON text may escape a NUL: `\u0000` is the only way it can hold one (a raw NUL byte is not JSON).
    static func escapesNul(_ bytes: ByteBufferView) -> Bool {
        var rest = bytes[...]
        while let slash = rest.firstIndex(of: UInt8(ascii: "\\")) {
            let escape = rest[slash...].dropFirst().prefix(5)
            if escape.count == 5, escape.first == UInt8(ascii: "u") || escape.first == UInt8(ascii: "U"),
               escape.dropFirst().allSatisfy({ $0 == UInt8(ascii: "0") }) {
                return true
            }
            rest = rest[rest.index(after: slash)...]
        }
        return false
    }

    /// The fields whose text holds a NUL, named as field errors name them (`tags[1]`, `custom.note`).
    static func nulFields(in value: JSONValue, at path: String) -> [String] {
        switch value {
        case .string(let text): return text.contains("\u{0}") ? [path.isEmpty ? "body" : path] : []
        case .array(let items): return items.enumerated().flatMap { nulFields(in: $1, at: "\(path)[\($0)]") }
        case .object(let fields):
            return fields.sorted { $0.key < $1.key }.flatMap { key, field in
                key.contains("\u{0}") ? [path.isEmpty ? "body" : path] : nulFields(in: field, at: path.isEmpty ? key : "\(path).\(key)")
            }
        case .number, .bool, .null: return []
        }
    }
}
