import Foundation
import Hummingbird
import KvotaCore
import KvotaStore
import NIOPosix

/// One's own profile: the language of the interface and the password.
struct ProfileRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    struct LanguageForm: Decodable {
        let language: String
    }

    struct TokenForm: Decodable {
        let name: String?
        let scope: String?
        let days: String?
    }

    struct PasswordForm: Decodable {
        let current: String
        let new: String
        let confirm: String
    }

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.profile.route)) { request, context in
            let page = try await pages.pageContext(request, context, section: nil)
            return page.response(try await profile(page, context).html())
        }
        signedIn.post(RouterPath(SiteURL.profileLanguage.route)) { request, context in
            var request = request
            let body = try await request.collectBody(upTo: 16 * 1024)
            guard let form = try? URLEncodedFormDecoder().decode(LanguageForm.self, from: String(buffer: body)),
                  let language = Language(rawValue: form.language) else {
                throw HTTPError(.unprocessableContent, message: "language: expected one of en, ru, uk, sv")
            }
            _ = try await database.updateUser(context.user.id, UserPatch(language: language), expectedVersion: nil,
                                              by: context.user.id, at: config.now(), address: context.address)
            var response = Response.redirect(to: SiteURL.profile.path, flash: .notice(.profileLanguageSaved),
                                             secure: config.secureCookies)
            // The sign-in page follows the profile from now on.
            response.setCookie(Cookie(name: SignInRoutes.languageCookie, value: language.rawValue, maxAge: 365 * 86_400, path: "/",
                                      secure: config.secureCookies, httpOnly: true, sameSite: .lax))
            return response
        }
        signedIn.post(RouterPath(SiteURL.profilePassword.route)) { request, context in
            try await changePassword(request, context: context)
        }
        signedIn.post(RouterPath(SiteURL.profileTokens.route)) { request, context in
            try await createToken(request, context: context)
        }
        signedIn.post(RouterPath(SiteURL.profileCalendar.route)) { request, context in
            let page = try await pages.pageContext(request, context, section: nil)
            let url = try await CalendarFeedRoutes.rotate(for: context, request: request, database: database, config: config)
            var view = try await profile(page, context)
            view.newCalendarURL = url
            return page.response(view.html())
        }
        signedIn.post(RouterPath(SiteURL.profileCalendarOff.route)) { _, context in
            try await database.removeCalendarFeed(of: context.user.id, at: config.now(), address: context.address)
            return Response.redirect(to: SiteURL.profile.path + "#calendar", flash: .notice(.calendarTurnedOff), secure: config.secureCookies)
        }
        signedIn.post(RouterPath(SiteURL.profileTokenRevoke(id: 0).route)) { _, context in
            let id = APIToken.ID(try context.parameters.require("id", as: Int64.self))
            try await database.revokeToken(id, owner: context.user.id, by: context.user.id, at: config.now(), address: context.address)
            return Response.redirect(to: SiteURL.profile.path + "#tokens", flash: .notice(.tokensRevoked), secure: config.secureCookies)
        }
    }

    private func profile(_ page: PageContext, _ context: SignedInContext) async throws -> ProfilePage {
        let team = try await context.user.teamID.asyncFlatMap { try await database.team(id: $0) }
        var view = ProfilePage(page: page, teamName: team?.name)
        view.tokens = try await database.personalTokens(of: context.user.id, at: config.now())
        view.calendarSince = try await database.calendarFeed(of: context.user.id)
        return view
    }

    /// A personal token: shown once on the page that answers, stored only as a hash.
    private func createToken(_ request: Request, context: SignedInContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 16 * 1024)
        let page = try await pages.pageContext(request, context, section: nil)
        let t = page.t
        let form = (try? URLEncodedFormDecoder().decode(TokenForm.self, from: String(buffer: body))) ?? TokenForm(name: nil, scope: nil, days: nil)
        let now = config.now()
        var view = try await profile(page, context)
        var expires: Date?
        if let text = form.days?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            if let days = Int(text), (1...3650).contains(days) {
                expires = now.addingTimeInterval(Double(days) * 86_400)
            } else {
                view.tokenErrors["days"] = t(.tokensDaysInvalid)
            }
        }
        let scope: TokenScope = form.scope == "read_write" ? .readWrite : .read
        if view.tokenErrors.isEmpty {
            let secret = Secrets.generate(prefix: "kvt_")
            do {
                _ = try await database.createToken(userID: context.user.id, name: form.name ?? "", kind: .access, scope: scope,
                                                   hash: Secrets.hash(secret), expiresAt: expires, by: context.user.id, at: now,
                                                   address: context.address)
                view.tokens = try await database.personalTokens(of: context.user.id, at: now)
                view.newToken = secret
                return page.response(view.html())
            } catch let failure as ValidationFailure {
                view.tokenErrors = failure.formErrors(in: t.language, renaming: ["expiresAt": "days"])
            }
        }
        return page.response(view.html(), status: .unprocessableContent)
    }

    private func changePassword(_ request: Request, context: SignedInContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        let page = try await pages.pageContext(request, context, section: nil)
        let t = page.t
        var form = try await profile(page, context)
        guard let posted = try? URLEncodedFormDecoder().decode(PasswordForm.self, from: String(buffer: body)) else {
            form.passwordErrors["current"] = t(.passwordMissing)
            return page.response(form.html(), status: .unprocessableContent)
        }
        let stored = try await database.passwordHash(of: context.user.id)
        if try await !SignInCheck.bcryptVerify(posted.current, hash: stored ?? SignInCheck.decoyHash) || stored == nil {
            form.passwordErrors["current"] = t(.passwordWrong)
        }
        var problems = ValidationFailure.Collector()
        Passwords.check(posted.new, field: "new", into: &problems)
        if !problems.errors.isEmpty {
            form.passwordErrors["new"] = problems.errors.map { ProblemTexts.translate($0.reason, to: t.language) }.joined(separator: "; ")
        }
        if posted.new != posted.confirm { form.passwordErrors["confirm"] = t(.passwordMismatch) }
        guard form.passwordErrors.isEmpty else { return page.response(form.html(), status: .unprocessableContent) }

        let hash = try await NIOThreadPool.singleton.runIfActive { try Passwords.hash(posted.new) }
        guard case .session(let idHash, _) = context.signedIn.credential else { throw HTTPError(.badRequest) }
        try await database.changeOwnPassword(userID: context.user.id, hash: hash, keepingSession: idHash, at: config.now(),
                                             address: context.address)
        form.passwordNotice = true
        return page.response(form.html())
    }
}
