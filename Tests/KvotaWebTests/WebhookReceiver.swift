import AsyncHTTPClient
import Crypto
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import KvotaStore
import KvotaWeb
import Logging
import NIOCore
import Synchronization
import Testing

/// A webhook receiver on 127.0.0.1 for the tests: keeps every post it gets and answers with the status it is told.
final class WebhookReceiver: Sendable {
    struct Post: Sendable {
        let headers: HTTPFields
        let body: String

        func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }
        var event: String? { header("Kvota-Event") }
    }

    private let posts = Mutex<[Post]>([])
    private let status = Mutex<HTTPResponse.Status>(.ok)

    var received: [Post] { posts.withLock { $0 } }
    func answer(_ code: HTTPResponse.Status) { status.withLock { $0 = code } }

    /// Runs `body` with the receiver listening; `url` is where it takes posts.
    func run(_ body: @Sendable (_ url: String) async throws -> Void) async throws {
        let router = Router()
        router.post("/hook") { [self] request, _ -> Response in
            let text = String(buffer: try await request.body.collect(upTo: 1 << 20))
            posts.withLock { $0.append(Post(headers: request.headers, body: text)) }
            let code = status.withLock { $0 }
            // A 204 carries no body: bytes after it would be read as the start of the next answer on the connection.
            return Response(status: code, body: code == .noContent ? .init() : .init(byteBuffer: ByteBuffer(string: "noted")))
        }
        var logger = Logger(label: "kvota.test.receiver")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await body("http://127.0.0.1:\(port)/hook")
        }
    }

    /// Whether a post carries the signature its secret makes over its timestamp and body, checked here with HMAC
    /// itself rather than Kvota's own signing code.
    static func verifies(_ post: Post, secret: String) -> Bool {
        guard let timestamp = post.header("Kvota-Timestamp"), let signature = post.header("Kvota-Signature") else { return false }
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(post.body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return signature == "v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }
}

/// A dispatcher on the fixture's database and clock, with a client it shuts down after `body`.
func withDispatcher(_ org: WebFixture, secrets: SecretBox, _ body: (WebhookDispatcher) async throws -> Void) async throws {
    let client = WebhookDispatcher.makeClient()
    var logger = Logger(label: "kvota.test.webhooks")
    logger.logLevel = .critical
    let dispatcher = WebhookDispatcher(database: org.database, secrets: secrets, client: client, now: { org.clock.now }, logger: logger,
                                       timeout: .seconds(5))
    do {
        try await body(dispatcher)
    } catch {
        try await client.shutdown()
        throw error
    }
    try await client.shutdown()
}
