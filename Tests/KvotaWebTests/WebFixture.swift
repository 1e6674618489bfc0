import Foundation
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import KvotaWeb
import NIOFoundationCompat
import Synchronization
import Testing

/// A company of one of each role, two sales teams and a running app, on a fresh database of either engine.
struct WebFixture {
    static let password = "correct-horse-9"
    /// bcrypt at cost 4 keeps sign-ins fast in tests; the hash is still checked by the real verifier.
    static let passwordHash = Bcrypt.hash(password, cost: 4)

    let database: Database
    let clock: TestClock
    var teamA: Team
    var teamB: Team
    var admin: User, director: User, analyst: User, desk: User
    /// Head of team A, with reps `rep` and `teammate`; `stranger` is a rep in team B.
    var head: User, rep: User, teammate: User, stranger: User

    var everyone: [User] { [admin, director, analyst, desk, head, rep, teammate, stranger] }

    static func make(_ database: Database, clock: TestClock) async throws -> WebFixture {
        let now = clock.now
        var teamA = try await database.addTeam(TeamDraft(name: "New Business", kind: .acquisition), by: nil, at: now)
        let teamB = try await database.addTeam(TeamDraft(name: "Key Accounts", kind: .retention), by: nil, at: now)
        func add(_ name: String, _ role: Role, _ team: Team?) async throws -> User {
            try await database.addUser(UserDraft(name: name, email: "\(name.lowercased())@example.com", role: role,
                                                 teamID: team?.id), passwordHash: passwordHash, by: nil, at: now)
        }
        let head = try await add("Hanna", .head, teamA)
        teamA = try await database.updateTeam(teamA.id, TeamDraft(name: teamA.name, kind: teamA.kind, headID: head.id),
                                              expectedVersion: nil, by: nil, at: now)
        return WebFixture(
            database: database, clock: clock, teamA: teamA, teamB: teamB,
            admin: try await add("Ada", .admin, nil), director: try await add("Dmitri", .director, nil),
            analyst: try await add("Alva", .analyst, nil), desk: try await add("Olle", .orderDesk, nil), head: head,
            rep: try await add("Rita", .rep, teamA), teammate: try await add("Tove", .rep, teamA),
            stranger: try await add("Sven", .rep, teamB))
    }

    /// Runs `body` against the app on a fresh database with the fixture company, on one engine.
    /// `prepare` runs on the database before the server starts (its background jobs start with it).
    static func run(_ engine: DatabaseEngine, configure: (inout AppConfig) -> Void = { _ in },
                    prepare: (Database) async throws -> Void = { _ in },
                    _ body: @escaping @Sendable (any TestClientProtocol, WebFixture) async throws -> Void) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let fixture = try await make(database, clock: clock)
            try await prepare(database)
            // Alert rounds run when a test asks (POST /api/v1/alerts/evaluate), not behind its back.
            var config = AppConfig(logLevel: .critical, alertsEverySeconds: 0, now: { clock.now })
            configure(&config)
            let app = try await buildApplication(config, database: database)
            try await app.test(.router) { client in try await body(client, fixture) }
        }
    }
}

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_795_000_000))
    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

// MARK: - Requests

extension TestClientProtocol {
    /// Signs in through the API and returns the bearer token.
    func token(for user: User, password: String = WebFixture.password) async throws -> String {
        let response = try await post("/api/v1/auth/token", json: ["email": user.email, "password": password])
        #expect(response.status == .ok, "signing in as \(user.email)")
        return try response.json(TokenAnswer.self).token
    }

    func get(_ uri: String, token: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await checked(uri: uri, method: .get, headers: headers.with(token))
    }

    /// Runs a request and checks an API answer against the OpenAPI document, so every API test also tests the document.
    func checked(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer? = nil) async throws -> TestResponse {
        let response = try await execute(uri: uri, method: method, headers: headers, body: body)
        let path = String(uri.prefix { $0 != "?" })
        if path.hasPrefix("/api/v1/") {
            let problems = OpenAPIDocument.problems(method: method.rawValue, path: path, status: Int(response.status.code),
                                                    contentType: response.headers[.contentType], body: Data(buffer: response.body))
            for problem in problems { Issue.record("OpenAPI: \(problem)") }
        }
        return response
    }

    func post(_ uri: String, json: some Encodable, token: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await send(.post, uri, json: json, token: token, headers: headers)
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, json: some Encodable, token: String? = nil,
              headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers.with(token)
        headers[.contentType] = "application/json"
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return try await checked(uri: uri, method: method, headers: headers, body: ByteBuffer(data: try encoder.encode(json)))
    }

    func delete(_ uri: String, token: String?, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await checked(uri: uri, method: .delete, headers: headers.with(token))
    }

    func postForm(_ uri: String, _ fields: [(String, String)], headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: FormEncoding.encode(fields)))
    }
}

/// Fields as a browser sends a form, in a body or a query (application/x-www-form-urlencoded): every byte but the
/// unreserved ASCII ones escaped, names too.
enum FormEncoding {
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}

struct TokenAnswer: Decodable {
    let token: String
    let expiresAt: Date
}

struct ProblemBody: Decodable {
    struct FieldError: Decodable, Equatable {
        let field: String
        let reason: String
    }

    let title: String
    let status: Int
    let detail: String
    let errors: [FieldError]?
}

extension HTTPFields {
    func with(_ token: String?) -> HTTPFields {
        var fields = self
        if let token { fields[.authorization] = "Bearer \(token)" }
        return fields
    }
}

extension TestResponse {
    func json<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(buffer: body))
    }

    var text: String { String(buffer: body) }

    /// The answer as a JSON object, for tests that look at answers of many shapes; nil when it is not one.
    var object: [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
    }

    /// The problem document of an error answer, checked to be `application/problem+json`.
    func problem() throws -> ProblemBody {
        #expect(headers[.contentType] == "application/problem+json")
        return try json(ProblemBody.self)
    }

    /// The value a Set-Cookie header gives this cookie, and the header's whole text.
    func cookie(_ name: String) -> (value: String, header: String)? {
        for header in headers[values: .setCookie] where header.hasPrefix("\(name)=") {
            let value = header.dropFirst(name.count + 1).prefix { $0 != ";" }
            return (String(value), header)
        }
        return nil
    }

    /// The value of the page's hidden `_csrf` field.
    var csrfField: String? {
        guard let range = text.range(of: #"name="_csrf" value=""#) else { return nil }
        return String(text[range.upperBound...].prefix { $0 != "\"" })
    }
}
