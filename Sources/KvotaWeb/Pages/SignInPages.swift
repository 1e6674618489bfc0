import Plot

/// The sign-in form. `csrfToken` pairs with a short-lived cookie, so a sign-in cannot be forged from another site
/// (login CSRF) before any session exists.
struct SignInPage {
    var email = ""
    var next: String?
    var error: String?
    let csrfToken: String

    func html() -> HTML {
        Layout(title: "Sign in", signedInAs: nil, csrfToken: nil).document(.group(
            .h1("Sign in"),
            .unwrap(error) { .p(.class("error"), .text($0)) },
            .form(
                .action(SiteURL.signIn(next: nil).route), .method(.post),
                .input(.type(.hidden), .name("_csrf"), .value(csrfToken)),
                .input(.type(.hidden), .name("next"), .value(next ?? "")),
                field("Email", name: "email", type: .email, value: email, autocomplete: "username"),
                field("Password", name: "password", type: .password, autocomplete: "current-password"),
                .p(.button(.type(.submit), "Sign in"))
            )
        ))
    }
}

/// Changing one's own password: the current one, the new one twice; every problem shown at its field.
struct PasswordPage {
    let userName: String
    let csrfToken: String
    var errors: [String: String] = [:]
    var notice: String?

    func html() -> HTML {
        Layout(title: "Change password", signedInAs: userName, csrfToken: csrfToken).document(.group(
            .h1("Change password"),
            .unwrap(notice) { .p(.class("notice"), .text($0)) },
            .form(
                .action(SiteURL.password.path), .method(.post),
                .input(.type(.hidden), .name("_csrf"), .value(csrfToken)),
                field("Current password", name: "current", type: .password, error: errors["current"],
                      autocomplete: "current-password"),
                field("New password (at least \(Passwords.minimumLength) characters)", name: "new", type: .password,
                      error: errors["new"], autocomplete: "new-password"),
                field("New password again", name: "confirm", type: .password, error: errors["confirm"],
                      autocomplete: "new-password"),
                .p(.button(.type(.submit), "Change password"))
            )
        ))
    }
}

/// The first page after signing in. The web UI issue replaces it with "my day"; until then it says who you are.
struct HomePage {
    let userName: String
    let role: String
    let team: String?
    let csrfToken: String

    func html() -> HTML {
        Layout(title: "Home", signedInAs: userName, csrfToken: csrfToken).document(.group(
            .h1(.text("Signed in as \(userName)")),
            .p(.text("Role: \(role)"), .unwrap(team) { .text(" · Team: \($0)") }),
            .p("The pages for customers, deals and reports come with the web UI; the JSON API is under /api/v1.")
        ))
    }
}
