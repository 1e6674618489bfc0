import Foundation
import Hummingbird
import KvotaCore

/// Refuses a NUL character in a query's values, a JSON body's strings or a form's fields, with 422 naming the field.
/// PostgreSQL keeps no NUL in text and answers an error (a 500 to the client, found by schemathesis and the importer
/// fuzzing); SQLite would keep it, and a name cut short at it would reach C code and exports. No field of Kvota's
/// has a use for one. Files are the importer's to refuse (`ImportTable`), by their line.
///
/// The bodies are looked at closely only when their bytes could hold one (`\u0000` in JSON, `%00` in a form), so a
/// request without costs a scan of its bytes.
struct NulCharacterMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let reason = "must not contain a NUL character"

    var addresses = APIAddresses.standard

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // An API request not signed in hears 401 first, unless its operation is open (signing in itself).
        if context.identity == nil, request.uri.path.hasPrefix("/api/"),
           !addresses.operations(at: request.uri.path).contains(where: { $0.method == request.method.rawValue && $0.open }) {
            return try await next(request, context)
        }
        var fields: [String] = []
        if request.uri.query?.contains("%00") == true {
            fields += FormPairs.parse(request.uri.query ?? "").filter { $0.1.contains("\u{0}") }.map(\.0)
        }
        var request = request
        let type = request.headers[.contentType]?.lowercased() ?? ""
        let json = type.hasPrefix("application/json"), form = type.hasPrefix("application/x-www-form-urlencoded")
        if json || form {
            let body = try await request.collectBody(upTo: JSONBody.maximumBytes)
            let text = String(buffer: body)
            if json, text.range(of: "\\u0000", options: .caseInsensitive) != nil,
               let value = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: body)) {
                fields += Self.nulFields(in: value, at: "")
            } else if form, text.contains("%00") {
                fields += FormPairs.parse(text).filter { $0.0.contains("\u{0}") || $0.1.contains("\u{0}") }.map(\.0)
            }
        }
        guard fields.isEmpty else {
            let failure = ValidationFailure(fields.map { .invalid(field: $0, reason: Self.reason) })
            if let language = context.identity?.user.language { throw ErrorInLanguage(error: failure, language: language) }
            throw failure
        }
        return try await next(request, context)
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
