import Foundation
import Hummingbird
import KvotaCore
import KvotaStore
import Plot

/// What every page knows about the request it answers: who is looking (nobody on the sign-in page), in which
/// language, the form token, the section of the menu it belongs to, and a message left by the previous request.
struct PageContext: Sendable {
    let user: User?
    let actor: Actor?
    let csrfToken: String?
    let t: Localizer
    var section: NavSection?
    var flash: Flash?
    let secureCookies: Bool
    /// One's new alerts, for the bell.
    var unreadAlerts = 0
    /// Whether phone numbers get a "Call" button: a PBX is connected and the reader has an extension.
    var canCall = false

    /// A signed-in browser's page context. API tokens do not reach pages: pages post forms, which need the session's
    /// CSRF token.
    init(_ request: Request, _ context: SignedInContext, section: NavSection?, config: AppConfig,
         timeZone: TimeZone) throws {
        guard case .session(_, let token) = context.signedIn.credential else {
            throw HTTPError(.badRequest, message: "pages are for browsers; API clients use /api/v1")
        }
        self.user = context.user
        self.actor = context.actor
        self.csrfToken = token
        self.t = Localizer(context.user.language, timeZone: timeZone)
        self.section = section
        self.flash = Flash(request)
        self.secureCookies = config.secureCookies
        self.canCall = config.ami != nil && context.user.phoneExtension != nil
    }

    /// A page for someone not signed in (or an error page, which does not know who asked), in the language they
    /// chose or their browser asks for.
    init(signedOut language: KvotaCore.Language, flash: Flash? = nil, secureCookies: Bool) {
        self.user = nil
        self.actor = nil
        self.csrfToken = nil
        self.t = Localizer(language)
        self.section = nil
        self.flash = flash
        self.secureCookies = secureCookies
    }

    /// The page as a response; a flash shown on it is spent.
    func response(_ html: HTML, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var response = html.response(status: status, headers: headers)
        if flash != nil { response.setCookie(Flash.clearing(secure: secureCookies)) }
        return response
    }
}

/// Makes the context of a signed-in page: the one place pages learn the company's time zone.
struct PageContexts: Sendable {
    let database: Database
    let config: AppConfig

    func pageContext(_ request: Request, _ context: SignedInContext, section: NavSection?) async throws -> PageContext {
        var page = try PageContext(request, context, section: section, config: config, timeZone: try await database.companyTimeZone())
        page.unreadAlerts = try await database.unreadAlertCount(for: context.actor)
        return page
    }
}
