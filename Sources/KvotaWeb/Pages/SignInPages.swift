import KvotaCore
import Plot

/// The sign-in form, with links to switch its language. `csrfToken` pairs with a short-lived cookie, so a sign-in
/// cannot be forged from another site (login CSRF) before any session exists.
struct SignInPage {
    let page: PageContext
    var email = ""
    var next: String?
    var error: String?
    let csrfToken: String

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.signinTitle)).document(.group(
            .h1(.text(t(.signinTitle))),
            .unwrap(error) { .p(.class("flash error"), .attribute(named: "role", value: "alert"), .text($0)) },
            .form(
                .class("stack"), .action(SiteURL.signIn(next: nil).route), .method(.post),
                .input(.type(.hidden), .name("_csrf"), .value(csrfToken)),
                .input(.type(.hidden), .name("next"), .value(next ?? "")),
                field(t(.signinEmail), name: "email", type: .email, value: email, autocomplete: "username"),
                field(t(.signinPassword), name: "password", type: .password, autocomplete: "current-password"),
                .div(.class("actions"), .button(.type(.submit), .text(t(.signinSubmit))))
            ),
            languages()
        ))
    }

    private func languages() -> Node<HTML.BodyContext> {
        .nav(.class("languages"), .attribute(named: "aria-label", value: page.t(.signinLanguage)),
             .forEach(KvotaCore.Language.allCases) { language in
                 .a(.href(SiteURL.signInLanguage(language, next: next).path),
                    .attribute(named: "lang", value: language.rawValue),
                    .if(language == page.t.language, .attribute(named: "aria-current", value: "true")),
                    .text(page.t(language.label)))
             })
    }
}
