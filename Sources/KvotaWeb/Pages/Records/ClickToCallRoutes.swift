import Foundation
import Hummingbird
import KvotaCore
import KvotaStore
import Plot

/// The "Call" button beside a phone number on a record's page (issue 9): posts to `/calls/originate`, which asks the
/// PBX to ring the person's own phone and then the number, and comes back to the page with what happened.
struct ClickToCallRoutes {
    let calls: ClickToCall
    let config: AppConfig

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.post(RouterPath(SiteURL.callOriginate.route)) { request, context in
            let form = try await PlanRoutes.form(request)
            let back = SiteURL.local(form["return"]) ?? SiteURL.home.path
            let flash: Flash
            do {
                _ = try await calls.dial(form["number"], by: context.user, actor: context.actor)
                flash = .notice(.callRinging)
            } catch let error as HTTPError where error.status == .serviceUnavailable {
                flash = Flash(kind: .error, key: .callNoPBX)
            } catch let error as HTTPError where error.status == .badGateway || error.status == .gatewayTimeout {
                flash = Flash(kind: .error, key: .callRefused)
            } catch is ValidationFailure {
                flash = Flash(kind: .error, key: .callNotPossible)
            }
            return Response.redirect(to: back, flash: flash, secure: config.secureCookies)
        }
    }

    /// The button, for pages whose reader can call (a PBX is connected and they have an extension).
    static func button(_ number: String, page: PageContext, returnPath: String) -> Node<HTML.BodyContext> {
        guard page.canCall else { return .empty }
        return .form(.class("inline call"), .method(.post), .action(SiteURL.callOriginate.path), csrfField(page.csrfToken),
                     .input(.type(.hidden), .name("number"), .value(number)), .input(.type(.hidden), .name("return"), .value(returnPath)),
                     .button(.type(.submit), .class("quiet"), .attribute(named: "title", value: page.t(.callButtonTitle, ["number": number])),
                             .text(page.t(.callButton))))
    }
}
