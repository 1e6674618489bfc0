import Foundation
import KvotaCore
import Plot

/// One's own settings: the language of the interface and the password. Every problem is shown at its field.
struct ProfilePage {
    let page: PageContext
    let teamName: String?
    var passwordErrors: [String: String] = [:]
    var passwordNotice = false
    var tokens: [APIToken] = []
    var tokenErrors: [String: String] = [:]
    /// A token just made, shown this once.
    var newToken: String?
    /// When the calendar feed's address was made; nil: no feed.
    var calendarSince: Date?
    /// A feed address just made, shown this once.
    var newCalendarURL: String?

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.profileTitle)).document(.group(
            .h1(.text(t(.profileTitle))),
            .unwrap(page.user) { user in
                .p(.class("muted"), .text(teamName.map { t(.profileRoleTeam, ["role": t(user.role.label), "team": $0]) }
                                             ?? t(user.role.label)), .text(" · \(user.email)"))
            },
            languageForm(),
            passwordForm(),
            tokensSection(),
            calendarSection()
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

    private func tokensSection() -> Node<HTML.BodyContext> {
        let t = page.t
        return .section(
            .h2(.id("tokens"), .text(t(.tokensTitle))),
            .p(.class("muted"), .text(t(.tokensExplain))),
            .unwrap(newToken) { secret in
                .div(.class("flash notice"), .attribute(named: "role", value: "status"),
                     .p(.text(t(.tokensCreatedNotice))), .element(named: "code", nodes: [.class("secret"), .text(secret)]))
            },
            tokens.isEmpty ? .p(.text(t(.tokensNone))) : .table(
                .class("list"),
                .thead(.tr(.th(.text(t(.tokensName))), .th(.text(t(.tokensScope))), .th(.text(t(.tokensCreated))),
                           .th(.text(t(.tokensExpires))), .th(.text(t(.tokensLastUsed))), .th())),
                .tbody(.forEach(tokens) { tokenRow($0) })),
            .form(
                .class("stack"), .action(SiteURL.profileTokens.path), .method(.post),
                csrfField(page.csrfToken),
                field(t(.tokensName), name: "name", id: "token-name", type: .text, error: tokenErrors["name"]),
                selectField(t(.tokensScope), name: "scope", options: [("read", t(.scopeRead)), ("read_write", t(.scopeReadWrite))],
                            selected: "read"),
                field(t(.tokensExpiresInDays), name: "days", type: .number, value: "90", error: tokenErrors["days"], required: false),
                .div(.class("actions"), .button(.type(.submit), .text(t(.tokensCreate))))
            )
        )
    }

    private func calendarSection() -> Node<HTML.BodyContext> {
        let t = page.t
        return .section(
            .id("calendar"),
            .h2(.text(t(.calendarTitle))),
            .p(.class("muted"), .text(t(.calendarExplain))),
            .unwrap(newCalendarURL) { url in
                .div(.class("flash notice"), .attribute(named: "role", value: "status"),
                     .p(.text(t(.calendarCreatedNotice))), .element(named: "code", nodes: [.class("secret"), .text(url)]))
            },
            .p(.text(calendarSince.map { t(.calendarActive, ["date": t.dateTime($0)]) } ?? t(.calendarNone))),
            .form(.class("inline"), .action(SiteURL.profileCalendar.path), .method(.post), csrfField(page.csrfToken),
                  .button(.type(.submit), .text(t(calendarSince == nil ? .calendarCreate : .calendarRotate)))),
            .if(calendarSince != nil, .form(
                .class("inline"), .action(SiteURL.profileCalendarOff.path), .method(.post),
                .attribute(named: "data-confirm", value: t(.calendarOff) + "?"), csrfField(page.csrfToken),
                .button(.type(.submit), .class("danger"), .text(t(.calendarOff)))))
        )
    }

    private func tokenRow(_ token: APIToken) -> Node<HTML.TableContext> {
        let t = page.t
        return .tr(
            .td(.attribute(named: "data-label", value: t(.tokensName)), .text(token.name)),
            .td(.attribute(named: "data-label", value: t(.tokensScope)), .text(t(token.scope == .read ? .scopeRead : .scopeReadWrite))),
            .td(.attribute(named: "data-label", value: t(.tokensCreated)), .text(t.dateTime(token.createdAt))),
            .td(.attribute(named: "data-label", value: t(.tokensExpires)), .text(token.expiresAt.map(t.dateTime) ?? t(.commonNever))),
            .td(.attribute(named: "data-label", value: t(.tokensLastUsed)), .text(token.lastUsedAt.map(t.dateTime) ?? t(.commonNever))),
            .td(.form(.class("inline"), .method(.post), .action(SiteURL.profileTokenRevoke(id: token.id.rawValue).path),
                      .attribute(named: "data-confirm", value: t(.tokensRevoke) + "?"),
                      csrfField(page.csrfToken), .button(.type(.submit), .class("danger"), .text(t(.tokensRevoke)))))
        )
    }
}
