import Hummingbird

/// Answers 405 with `Allow` for an API address that exists under other methods (RFC 9110 §15.5.6): `TRACE
/// /api/v1/deals` or `PUT /api/v1/deals/7` tells the client what the address does take, where the router alone says
/// 404 as if it did not exist (schemathesis's `unsupported_method` check found this).
///
/// Written by hand: Hummingbird's router answers 404 for both and keeps its routes to itself.
///
/// Only a 404 is looked at again, so an answered request costs nothing. The addresses and their methods are the
/// OpenAPI document's (`APIAddresses`). It runs after sign-in is read, so a signed-in person hears it in their own
/// language, as every other answer of theirs.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    var addresses = APIAddresses.standard

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && request.uri.path.hasPrefix("/api/v1/") {
            let allowed = addresses.methods(at: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            let list = allowed.sorted().joined(separator: ", ")
            let refusal = HTTPError(.methodNotAllowed, headers: [.allow: list], message: "this address takes \(list) only")
            if let language = context.identity?.user.language { throw ErrorInLanguage(error: refusal, language: language) }
            throw refusal
        }
    }
}
