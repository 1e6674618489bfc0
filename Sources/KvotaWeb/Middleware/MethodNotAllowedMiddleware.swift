import Hummingbird

/// Answers 405 with `Allow` for an API address that exists under other methods (RFC 9110 §15.5.6): `TRACE
/// /api/v1/deals` or `PUT /api/v1/deals/7` tells the client what the address does take, where the router alone says
/// 404 as if it did not exist (schemathesis's `unsupported_method` check found this).
///
/// Written by hand: Hummingbird's router answers 404 for both and keeps its routes to itself.
///
/// Only a 404 is looked at again, so an answered request costs nothing. The addresses and their methods are the
/// OpenAPI document's (`APIOperations`), which `OpenAPITests` holds equal to the router's.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// A path's segments, nil where the path has a parameter (`{id}`), and the methods documented for it.
    private let addresses: [(segments: [Substring?], methods: Set<String>)]

    init(_ operations: [APIOperation] = APIOperations.all) {
        var methods: [String: Set<String>] = [:]
        for operation in operations { methods[operation.path, default: []].insert(operation.method) }
        addresses = methods.map { path, methods in
            (path.split(separator: "/").map { $0.hasPrefix("{") ? nil : $0 }, methods)
        }
    }

    /// The methods documented for an address as the router resolves it: segment by segment, a literal before a
    /// parameter and without going back (`GET /alerts/evaluate` is the POST-only `/alerts/evaluate`, not
    /// `/alerts/{id}`); empty for an address that is not the API's.
    func methods(for path: String) -> Set<String> {
        let segments = path.split(separator: "/")
        var candidates = addresses.filter { $0.segments.count == segments.count }
        for (index, segment) in segments.enumerated() where !candidates.isEmpty {
            let literal = candidates.filter { $0.segments[index] == segment }
            candidates = literal.isEmpty ? candidates.filter { $0.segments[index] == nil } : literal
        }
        return candidates.reduce(into: []) { $0.formUnion($1.methods) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && request.uri.path.hasPrefix("/api/v1/") {
            let allowed = methods(for: request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            let list = allowed.sorted().joined(separator: ", ")
            throw HTTPError(.methodNotAllowed, headers: [.allow: list], message: "this address takes \(list) only")
        }
    }
}
