import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import KvotaCore
import KvotaStore

/// Finds out who is asking, once per request: a bearer token (API clients, integrations) or a session cookie
/// (browsers). It also enforces what comes with each credential: a token's scope, and a session's CSRF token on
/// every state-changing request. Routes that need a user sit in a `SignedInContext` group, which refuses the request
/// when this middleware found nobody.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: Database
    let config: AppConfig

    static let sessionCookie = "kvota_session"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    /// A session's expiry moves on at most this often, so reading pages does not mean a write per request.
    static let touchInterval: TimeInterval = 300

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        var context = context
        if config.trustProxy, let forwarded = request.headers[Self.forwardedFor],
           let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty {
            context.clientAddress = last
        }
        let now = config.now()
        if let bearer = request.headers.bearer {
            context.identity = try await signIn(bearer: bearer.token, request: request, now: now)
        } else if let cookie = request.cookies[Self.sessionCookie], !Self.isSignInPost(request), !Self.isPublicLink(request) {
            context.identity = try await signIn(sessionID: cookie.value, request: &request, now: now)
        }
        return try await next(request, context)
    }

    private func signIn(bearer: String, request: Request, now: Date) async throws -> SignedIn {
        guard let (token, user, actor) = try await database.signedIn(tokenHash: Secrets.hash(bearer), at: now) else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: #"Bearer error="invalid_token""#],
                            message: "the token is unknown, expired or revoked")
        }
        try Self.check(token.scope, request)
        return SignedIn(user: user, actor: actor, credential: .token(token))
    }

    /// An unknown or expired session cookie is not an error: the browser is simply not signed in.
    private func signIn(sessionID: String, request: inout Request, now: Date) async throws -> SignedIn? {
        let idHash = Secrets.hash(sessionID)
        guard let (session, user, actor) = try await database.signedIn(sessionHash: idHash, at: now) else { return nil }
        if !request.method.isSafe { try await Self.checkCSRF(&request, expected: session.csrfToken) }
        if now.timeIntervalSince(session.lastSeenAt) > Self.touchInterval {
            let expires = min(now.addingTimeInterval(config.signIn.sessionIdle),
                              session.createdAt.addingTimeInterval(config.signIn.sessionMaximum))
            try await database.touchSession(idHash: idHash, expiresAt: expires, at: now)
        }
        return SignedIn(user: user, actor: actor, credential: .session(idHash: idHash, csrfToken: session.csrfToken))
    }

    /// Posting the sign-in form carries its own CSRF token, and whatever session cookie the browser brings is about to
    /// be replaced (and ended) by the sign-in itself, so the session is not looked at.
    static func isSignInPost(_ request: Request) -> Bool {
        request.method == .post && request.uri.path == SiteURL.signIn(next: nil).route
    }

    /// A survey link's page is the respondent's, and a web form's is the site visitor's, whoever else the browser is
    /// signed in as: a colleague trying one posts like a customer, without a session (or its CSRF check) in the way.
    static func isPublicLink(_ request: Request) -> Bool {
        request.uri.path.hasPrefix("/q/") || request.uri.path.hasPrefix("/f/")
    }

    /// A read token may only read; an integration token may only reach the integration endpoints and see itself.
    static func check(_ scope: TokenScope, _ request: Request) throws {
        let allowed = switch scope {
        case .readWrite: true
        case .read: request.method.isSafe
        case .integration:
            request.uri.path.hasPrefix("/api/v1/integrations/") || request.uri.path.hasPrefix("/api/v1/inbound/")
                || request.uri.path == "/api/v1/telephony/events"
                || (request.uri.path == "/api/v1/me" && request.method.isSafe)
        }
        if !allowed {
            throw HTTPError(.forbidden, headers: [.wwwAuthenticate: #"Bearer error="insufficient_scope""#],
                            message: "the token's scope '\(scope.rawValue)' does not allow \(request.method) \(request.uri.path)")
        }
    }

    /// The token comes in the X-CSRF-Token header (scripts, fetch) or in a form's `_csrf` field. Reading the form
    /// here collects the body, which stays on the request for the handler.
    static func checkCSRF(_ request: inout Request, expected: String) async throws {
        var given = request.headers[csrfHeader]
        if given == nil, request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
            let body = try await request.collectBody(upTo: 1 << 20)
            given = FormPairs.parse(String(buffer: body)).first { $0.0 == "_csrf" }?.1
        } else if given == nil, let form = try await MultipartForm.read(&request) {
            // A page's file upload: the parts are read again by the handler from the body collected here.
            given = form.text("_csrf")
        }
        guard let given, Secrets.equal(given, expected) else {
            throw HTTPError(.forbidden, message: "the form is out of date or did not come from Kvota; reload the page and try again")
        }
    }
}

extension HTTPRequest.Method {
    /// GET, HEAD and OPTIONS change nothing, so they need no CSRF token and a read token may use them.
    var isSafe: Bool { self == .get || self == .head || self == .options }
}
