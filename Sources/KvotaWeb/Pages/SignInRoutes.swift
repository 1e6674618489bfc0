import Foundation
import Hummingbird
import KvotaCore
import KvotaStore
import Logging
import NIOPosix

/// Browser sign-in: the form, the session cookie, sign-out and password change.
struct SignInRoutes {
    let database: Database
    let config: AppConfig
    let check: SignInCheck

    static let signInCookie = "kvota_sign_in"

    struct SignInForm: Decodable {
        let email: String
        let password: String
        let _csrf: String
        let next: String?
    }

    struct PasswordForm: Decodable {
        let current: String
        let new: String
        let confirm: String
    }

    func register(public router: Router<AppRequestContext>, signedIn: RouterGroup<SignedInContext>) {
        router.get(RouterPath(SiteURL.signIn(next: nil).route)) { request, context in
            if case .session = context.identity?.credential { return Response.redirect(to: SiteURL.home.path, type: .normal) }
            return showSignIn(SignInPage(next: request.uri.queryParameters["next"].map(String.init), csrfToken: Secrets.generate()))
        }
        router.post(RouterPath(SiteURL.signIn(next: nil).route)) { request, context in
            try await signIn(request, context: context)
        }
        signedIn.get(RouterPath(SiteURL.home.route)) { _, context in
            let team = try await context.user.teamID.asyncFlatMap { try await database.team(id: $0) }
            return HomePage(userName: context.user.name, role: context.user.role.rawValue, team: team?.name,
                            csrfToken: try csrfToken(context)).html().response()
        }
        signedIn.post(RouterPath(SiteURL.signOut.route)) { _, context in
            guard case .session(let idHash, _) = context.signedIn.credential else {
                throw HTTPError(.badRequest, message: "sign out of the API with DELETE /api/v1/auth/token")
            }
            try await database.endSession(idHash: idHash, userID: context.user.id, at: config.now(), address: context.address)
            var response = Response.redirect(to: SiteURL.signIn(next: nil).path, type: .normal)
            response.setCookie(sessionCookie(value: "", maxAge: 0))
            return response
        }
        signedIn.get(RouterPath(SiteURL.password.route)) { _, context in
            PasswordPage(userName: context.user.name, csrfToken: try csrfToken(context)).html().response()
        }
        signedIn.post(RouterPath(SiteURL.password.route)) { request, context in
            try await changePassword(request, context: context)
        }
    }

    private func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        guard let form = try? URLEncodedFormDecoder().decode(SignInForm.self, from: String(buffer: body)) else {
            return showSignIn(SignInPage(error: "enter your email and password", csrfToken: Secrets.generate()), status: .badRequest)
        }
        var page = SignInPage(email: form.email, next: form.next, csrfToken: Secrets.generate())
        guard let expected = request.cookies[Self.signInCookie]?.value, Secrets.equal(expected, form._csrf) else {
            page.error = "the sign-in form expired; please try again"
            return showSignIn(page, status: .forbidden)
        }
        let now = config.now()
        let user: User
        do {
            user = try await check.verify(email: form.email, password: form.password, address: context.clientAddress, now: now)
        } catch let refusal as SignInRefusal {
            page.error = refusal.description
            if case .throttled(let seconds) = refusal {
                return showSignIn(page, status: .tooManyRequests, headers: [.retryAfter: String(seconds)])
            }
            return showSignIn(page, status: .unauthorized)
        }
        // Always a new session id: one the browser brought along (perhaps planted) is ended, never promoted.
        let sessionID = Secrets.generate(prefix: "kvs_")
        let expires = now.addingTimeInterval(min(config.signIn.sessionIdle, config.signIn.sessionMaximum))
        try await database.startSession(userID: user.id, idHash: Secrets.hash(sessionID), csrfToken: Secrets.generate(),
                                        expiresAt: expires, replacing: request.cookies[AuthenticationMiddleware.sessionCookie].map { Secrets.hash($0.value) },
                                        at: now, address: context.clientAddress)
        let target = form.next.flatMap { SiteURL.isLocal($0) ? $0 : nil } ?? SiteURL.home.path
        var response = Response.redirect(to: target, type: .normal)
        response.setCookie(sessionCookie(value: sessionID, maxAge: Int(config.signIn.sessionMaximum)))
        response.setCookie(Cookie(name: Self.signInCookie, value: "", maxAge: 0, path: SiteURL.signIn(next: nil).route,
                                  secure: config.secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    private func changePassword(_ request: Request, context: SignedInContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        var page = PasswordPage(userName: context.user.name, csrfToken: try csrfToken(context))
        guard let form = try? URLEncodedFormDecoder().decode(PasswordForm.self, from: String(buffer: body)) else {
            page.errors["current"] = "fill in every field"
            return page.html().response(status: .unprocessableContent)
        }
        let stored = try await database.passwordHash(of: context.user.id)
        if try await !SignInCheck.bcryptVerify(form.current, hash: stored ?? SignInCheck.decoyHash) || stored == nil {
            page.errors["current"] = "this is not your current password"
        }
        var problems = ValidationFailure.Collector()
        Passwords.check(form.new, field: "new", into: &problems)
        if !problems.errors.isEmpty { page.errors["new"] = problems.errors.map(\.reason).joined(separator: "; ") }
        if form.new != form.confirm { page.errors["confirm"] = "does not match the new password" }
        guard page.errors.isEmpty else { return page.html().response(status: .unprocessableContent) }

        let hash = try await NIOThreadPool.singleton.runIfActive { try Passwords.hash(form.new) }
        guard case .session(let idHash, _) = context.signedIn.credential else { throw HTTPError(.badRequest) }
        try await database.changeOwnPassword(userID: context.user.id, hash: hash, keepingSession: idHash, at: config.now(),
                                             address: context.address)
        page.notice = "Your password is changed. Other browsers signed in as you have been signed out."
        return page.html().response()
    }

    private func showSignIn(_ page: SignInPage, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var response = page.html().response(status: status, headers: headers)
        response.setCookie(Cookie(name: Self.signInCookie, value: page.csrfToken, maxAge: 3600,
                                  path: SiteURL.signIn(next: nil).route, secure: config.secureCookies, httpOnly: true,
                                  sameSite: .lax))
        return response
    }

    private func sessionCookie(value: String, maxAge: Int) -> Cookie {
        Cookie(name: AuthenticationMiddleware.sessionCookie, value: value, maxAge: maxAge, path: "/",
               secure: config.secureCookies, httpOnly: true, sameSite: .lax)
    }

    private func csrfToken(_ context: SignedInContext) throws -> String {
        guard case .session(_, let token) = context.signedIn.credential else {
            throw HTTPError(.badRequest, message: "pages are for browsers; API clients use /api/v1")
        }
        return token
    }
}
