import Foundation
import Hummingbird
import KvotaCore

/// Refuses a JSON request body that carries a field its operation does not have, with 422 naming the field:
/// `{"ammountMinor": 5}` would otherwise be read as a change of nothing and answered 200, and the client would
/// never learn of the typo. The OpenAPI document promises this (`additionalProperties: false` on every body), and
/// schemathesis's `negative_data_rejection` check holds the server to it.
///
/// One place for every operation: the fields are the document's (`APIOperations`), so a handler's `Decodable`
/// type, which ignores what it does not know, needs no list of its own. A request that is not signed in is left to
/// the sign-in check first, unless its operation is open (signing in itself).
struct UnknownFieldsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    var addresses = APIAddresses.standard

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/v1/"), ["POST", "PUT", "PATCH"].contains(request.method.rawValue),
              request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true,
              let operation = addresses.operations(at: request.uri.path).first(where: { $0.method == request.method.rawValue }),
              operation.upload == nil, let schema = operation.body, context.identity != nil || operation.open
        else { return try await next(request, context) }
        var request = request
        let body = try await request.collectBody(upTo: JSONBody.maximumBytes)
        // Not JSON at all: the handler says so, naming the body.
        if let value = try? JSONDecoder().decode(JSONValue.self, from: Data(buffer: body)) {
            let unknown = schema.unknownFields(in: value, schemas: APISchemas.all)
            if !unknown.isEmpty {
                let failure = ValidationFailure(unknown.map { .invalid(field: $0, reason: "is not a field of this request") })
                if let language = context.identity?.user.language { throw ErrorInLanguage(error: failure, language: language) }
                throw failure
            }
        }
        return try await next(request, context)
    }
}
