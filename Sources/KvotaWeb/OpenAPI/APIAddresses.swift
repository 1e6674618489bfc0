/// The API's addresses as the OpenAPI document lists them, resolved from a request's path the way the router
/// resolves it: segment by segment, a literal before a parameter and without going back (`GET /alerts/evaluate` is
/// the POST-only `/alerts/evaluate`, not `/alerts/{id}`). `OpenAPITests` holds the document equal to the router.
struct APIAddresses: Sendable {
    /// A path's segments, nil where the path has a parameter (`{id}`), and its operations.
    private let addresses: [(segments: [Substring?], operations: [APIOperation])]

    static let standard = APIAddresses(APIOperations.all)

    init(_ operations: [APIOperation]) {
        let byPath = Dictionary(grouping: operations, by: \.path)
        addresses = byPath.map { path, operations in
            (path.split(separator: "/").map { $0.hasPrefix("{") ? nil : $0 }, operations)
        }
    }

    /// The operations at the address `path` resolves to, under any method; empty for an address not the API's.
    func operations(at path: String) -> [APIOperation] {
        let segments = path.split(separator: "/")
        var candidates = addresses.filter { $0.segments.count == segments.count }
        for (index, segment) in segments.enumerated() where !candidates.isEmpty {
            let literal = candidates.filter { $0.segments[index] == segment }
            candidates = literal.isEmpty ? candidates.filter { $0.segments[index] == nil } : literal
        }
        return candidates.flatMap(\.operations)
    }

    func methods(at path: String) -> Set<String> { Set(operations(at: path).map(\.method)) }
}
