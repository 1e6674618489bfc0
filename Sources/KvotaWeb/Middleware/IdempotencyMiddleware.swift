import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import KvotaCore
import KvotaStore

/// `Idempotency-Key` on POST (the IETF httpapi draft): the first successful answer is kept for a day per caller and
/// key, and a retry with the same key and body gets it again instead of creating a second record. A retry while the
/// first is still running answers 409; the same key with a different body 422. A request that fails (4xx, 5xx)
/// keeps nothing, so the client can correct it and retry with the same key.
///
/// The answer is stored after the record's transaction commits; a crash in between lets one retry through. Doing it
/// in the same transaction would need every create to know about keys; see docs/api.md.
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = SignedInContext
    static let header = HTTPField.Name("Idempotency-Key")!
    /// The headers a replay repeats; the rest (date, request id) belong to the new answer.
    static let kept: [HTTPField.Name] = [.contentType, .eTag, .location]

    let database: Database
    let now: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, let key = request.headers[Self.header] else { return try await next(request, context) }
        guard (1...255).contains(key.count), key.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw ValidationFailure([.invalid(field: "Idempotency-Key", reason: "expected 1 to 255 visible ASCII characters")])
        }
        var request = request
        // The largest body any POST takes: an import's file.
        let body = try await request.collectBody(upTo: ImportsAPI.maximumBytes)
        var hash = SHA256()
        hash.update(data: Data("\(request.method) \(request.uri.path)?\(request.uri.query ?? "")\n".utf8))
        hash.update(data: Data(buffer: body))
        let fingerprint = hash.finalize().map { String(format: "%02x", $0) }.joined()
        let user = context.actor.userID.rawValue

        switch try await database.claimIdempotencyKey(key, user: user, fingerprint: fingerprint, at: now()) {
        case .replay(let stored):
            var headers = HTTPFields()
            for (name, value) in stored.headers { if let name = HTTPField.Name(name) { headers[name] = value } }
            headers[HTTPField.Name("Idempotent-Replayed")!] = "true"
            return Response(status: .init(code: stored.status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: stored.body)))
        case .inFlight:
            throw HTTPError(.conflict, message: "a request with this Idempotency-Key is still being processed; retry shortly")
        case .mismatch:
            throw ValidationFailure([.invalid(field: "Idempotency-Key", reason: "was used for a different request; use a new key")])
        case .claimed:
            break
        }
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            try? await database.releaseIdempotencyKey(key, user: user)
            throw error
        }
        guard (200..<300).contains(response.status.code) else {
            try? await database.releaseIdempotencyKey(key, user: user)
            return response
        }
        let collected = Collected()
        try await response.body.write(Collector(into: collected))
        let text = String(buffer: collected.buffer)
        var headers: [String: String] = [:]
        for name in Self.kept { if let value = response.headers[name] { headers[name.canonicalName] = value } }
        try await database.completeIdempotencyKey(key, user: user, response: StoredResponse(status: response.status.code, headers: headers,
                                                                                            body: text))
        var answer = response
        answer.body = .init(byteBuffer: collected.buffer)
        return answer
    }

    /// Gathers a response body to keep it; API answers are small JSON documents. The writer is consumed by the
    /// body, so what it gathers lives in a box this request alone holds.
    private final class Collected { var buffer = ByteBuffer() }

    private struct Collector: ResponseBodyWriter {
        let into: Collected

        mutating func write(_ part: ByteBuffer) async throws {
            var part = part
            into.buffer.writeBuffer(&part)
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
