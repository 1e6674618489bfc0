import KvotaCore
import Plot

/// One's own settings: the language of the interface and the password. Every problem is shown at its field.
struct ProfilePage {
    let page: PageContext
    let teamName: String?
    var passwordErrors: [String: String] = [:]
    var passwordNotice = false

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.profileTitle)).document(.group(
            .h1(.text(t(.profileTitle))),
            .unwrap(page.user) { user in
                .p(.class("muted"), .text(teamName.map { t(.profileRoleTeam, ["role": t(user.role.label), "team": $0]) }
                                             ?? t(user.role.label)), .text(" · \(user.email)"))
            },
            languageForm(),
            passwordForm()
        ))
    }

    private func languageForm() -> Node<HTML.BodyContext> {
        let t = page.t
        return .form(
            .class("stack"), .action(SiteURL.profileLanguage.path), .method(.post),
            csrfField(page.csrfToken),
            selectField(t(.profileLanguage), name: "language",
                        options: KvotaCore.Language.allCases.map { ($0.rawValue, t($0.label)) }, selected: t.language.rawValue),
            .div(.class("actions"), .button(.type(.submit), .text(t(.commonSave))))
        )
    }

    private func passwordForm() -> Node<HTML.BodyContext> {
        let t = page.t
        return .group(
            .h2(.id("password"), .text(t(.passwordTitle))),
            .if(passwordNotice, .p(.class("flash notice"), .attribute(named: "role", value: "status"), .text(t(.passwordChanged)))),
            .form(
                .class("stack"), .action(SiteURL.profilePassword.path), .method(.post),
                csrfField(page.csrfToken),
                field(t(.passwordCurrent), name: "current", type: .password, error: passwordErrors["current"],
                      autocomplete: "current-password"),
                field(t(.passwordNew, ["n": String(Passwords.minimumLength)]), name: "new", type: .password,
                      error: passwordErrors["new"], autocomplete: "new-password"),
                field(t(.passwordConfirm), name: "confirm", type: .password, error: passwordErrors["confirm"],
                      autocomplete: "new-password"),
                .div(.class("actions"), .button(.type(.submit), .text(t(.passwordSubmit))))
            )
        )
    }
}
