import Foundation
import Hummingbird
import KvotaCore
import KvotaStore
import Logging

/// Browser sign-in and sign-out. The sign-in page speaks the language chosen on it (remembered in a cookie), else
/// the browser's; a language chosen there becomes the user's profile language on signing in.
struct SignInRoutes {
    let database: Database
    let config: AppConfig
    let check: SignInCheck

    static let signInCookie = "kvota_sign_in"
    static let languageCookie = "kvota_lang"

    struct SignInForm: Decodable {
        let email: String
        let password: String
        let _csrf: String
        let next: String?
    }

    func register(public router: Router<AppRequestContext>, signedIn: RouterGroup<SignedInContext>) {
        router.get(RouterPath(SiteURL.signIn(next: nil).route)) { request, context in
            if case .session = context.identity?.credential { return Response.redirect(to: SiteURL.home.path, type: .normal) }
            let chosen = request.uri.queryParameters["lang"].flatMap { Language(rawValue: String($0)) }
            let page = signedOutPage(request, chosen: chosen)
            var response = showSignIn(SignInPage(page: page, next: request.uri.queryParameters["next"].map(String.init),
                                                 csrfToken: Secrets.generate()))
            if let chosen {
                response.setCookie(Cookie(name: Self.languageCookie, value: chosen.rawValue, maxAge: 365 * 86_400, path: "/",
                                          secure: config.secureCookies, httpOnly: true, sameSite: .lax))
            }
            return response
        }
        router.post(RouterPath(SiteURL.signIn(next: nil).route)) { request, context in
            try await signIn(request, context: context)
        }
        signedIn.post(RouterPath(SiteURL.signOut.route)) { request, context in
            guard case .session(let idHash, _) = context.signedIn.credential else {
                throw HTTPError(.badRequest, message: "sign out of the API with DELETE /api/v1/auth/token")
            }
            try await database.endSession(idHash: idHash, userID: context.user.id, at: config.now(), address: context.address)
            var response = Response.redirect(to: SiteURL.signInLanguage(context.user.language, next: nil).path,
                                             flash: .notice(.flashSignedOut), secure: config.secureCookies)
            response.setCookie(sessionCookie(value: "", maxAge: 0))
            return response
        }
    }

    /// The language of a page for someone not signed in: the one just chosen, the one chosen before, or the browser's.
    private func signedOutPage(_ request: Request, chosen: Language? = nil) -> PageContext {
        Self.signedOutPage(request, chosen: chosen, flash: Flash(request), secureCookies: config.secureCookies)
    }

    /// Also the survey respondent's page, which is nobody's either.
    static func signedOutPage(_ request: Request, chosen: Language? = nil, flash: Flash? = nil, secureCookies: Bool) -> PageContext {
        let language = chosen ?? chosenLanguage(request) ?? ProblemTexts.language(acceptLanguage: request.headers[.acceptLanguage])
        return PageContext(signedOut: language, flash: flash, secureCookies: secureCookies)
    }

    static func chosenLanguage(_ request: Request) -> Language? {
        request.cookies[languageCookie].flatMap { Language(rawValue: $0.value) }
    }

    private func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        let page = signedOutPage(request)
        guard let form = try? URLEncodedFormDecoder().decode(SignInForm.self, from: String(buffer: body)) else {
            return showSignIn(SignInPage(page: page, error: page.t(.signinMissing), csrfToken: Secrets.generate()), status: .badRequest)
        }
        var signInForm = SignInPage(page: page, email: form.email, next: form.next, csrfToken: Secrets.generate())
        guard let expected = request.cookies[Self.signInCookie]?.value, Secrets.equal(expected, form._csrf) else {
            signInForm.error = page.t(.signinExpired)
            return showSignIn(signInForm, status: .forbidden)
        }
        let now = config.now()
        var user: User
        do {
            user = try await check.verify(email: form.email, password: form.password, address: context.clientAddress, now: now)
        } catch let refusal as SignInRefusal {
            signInForm.error = ProblemTexts.translate(refusal.description, to: page.t.language)
            if case .throttled(let seconds) = refusal {
                return showSignIn(signInForm, status: .tooManyRequests, headers: [.retryAfter: String(seconds)])
            }
            return showSignIn(signInForm, status: .unauthorized)
        }
        if let chosen = Self.chosenLanguage(request), chosen != user.language {
            user = try await database.updateUser(user.id, UserPatch(language: chosen), expectedVersion: nil, by: user.id, at: now,
                                                 address: context.clientAddress)
        }
        // Always a new session id: one the browser brought along (perhaps planted) is ended, never promoted.
        let sessionID = Secrets.generate(prefix: "kvs_")
        let expires = now.addingTimeInterval(min(config.signIn.sessionIdle, config.signIn.sessionMaximum))
        try await database.startSession(userID: user.id, idHash: Secrets.hash(sessionID), csrfToken: Secrets.generate(),
                                        expiresAt: expires, replacing: request.cookies[AuthenticationMiddleware.sessionCookie].map { Secrets.hash($0.value) },
                                        at: now, address: context.clientAddress)
        let target = SiteURL.local(form.next) ?? SiteURL.home.path
        var response = Response.redirect(to: target, type: .normal)
        response.setCookie(sessionCookie(value: sessionID, maxAge: Int(config.signIn.sessionMaximum)))
        response.setCookie(Cookie(name: Self.signInCookie, value: "", maxAge: 0, path: SiteURL.signIn(next: nil).route,
                                  secure: config.secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    private func showSignIn(_ form: SignInPage, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var response = form.page.response(form.html(), status: status, headers: headers)
        response.setCookie(Cookie(name: Self.signInCookie, value: form.csrfToken, maxAge: 3600,
                                  path: SiteURL.signIn(next: nil).route, secure: config.secureCookies, httpOnly: true,
                                  sameSite: .lax))
        return response
    }

    private func sessionCookie(value: String, maxAge: Int) -> Cookie {
        Cookie(name: AuthenticationMiddleware.sessionCookie, value: value, maxAge: maxAge, path: "/",
               secure: config.secureCookies, httpOnly: true, sameSite: .lax)
    }
}
