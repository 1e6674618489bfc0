import Foundation
import KvotaCore
import Plot

/// The settings area's start: the parts this user may change, each with what it holds.
struct AdminIndexPage {
    let page: PageContext
    let sections: [AdminSection]

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.adminTitle)).document(.group(
            .h1(.text(t(.adminTitle))),
            .ul(.class("admin-sections"), .forEach(sections) { section in
                .li(.a(.href(section.url.path), .text(t(section.label))), .p(.class("muted"), .text(t(section.explain))))
            })
        ))
    }
}

/// Company settings: name, base currency (fixed once orders exist), time zone, the country of local phone numbers.
struct CompanySettingsPage {
    let page: PageContext
    var values: [String: String]
    var errors: [String: String] = [:]

    static let currencies = ["EUR", "SEK", "NOK", "DKK", "USD", "GBP", "PLN", "RUB", "UAH", "KZT"]

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.adminSettings)).document(.group(
            .h1(.text(t(.adminSettings))),
            .if(!errors.isEmpty, .p(.class("flash error"), .attribute(named: "role", value: "alert"), .text(t(.formHasErrors)))),
            .form(.class("stack"), .method(.post), .action(SiteURL.adminSettings.path),
                  csrfField(page.csrfToken),
                  field(t(.settingsName), name: "name", type: .text, value: values["name"] ?? "", error: errors["name"]),
                  field(t(.settingsBaseCurrency), name: "baseCurrency", type: .text, value: values["baseCurrency"] ?? "",
                        error: errors["baseCurrency"]),
                  .element(named: "datalist", nodes: [.id("currencies")] + Self.currencies.map { .element(named: "option", nodes: [.attribute(named: "value", value: $0)]) }),
                  field(t(.settingsTimeZone), name: "timeZone", type: .text, value: values["timeZone"] ?? "", error: errors["timeZone"]),
                  .element(named: "datalist", nodes: [.id("zones")] + TimeZone.knownTimeZoneIdentifiers.filter { $0.contains("/") }.map {
                      .element(named: "option", nodes: [.attribute(named: "value", value: $0)])
                  }),
                  selectField(t(.settingsDefaultCountry), name: "defaultCountry",
                              options: PhoneNumber.callingCodes.keys.sorted().map { ($0, "\($0) (+\(PhoneNumber.callingCodes[$0]!))") },
                              selected: values["defaultCountry"], error: errors["defaultCountry"]),
                  .h2(.text(t(.settingsThresholds))),
                  .forEach(SalesThresholds.names) { threshold in
                      field(t(UIKey(rawValue: "threshold." + threshold.name) ?? .settingsThresholds), name: threshold.name, type: .text,
                            value: values[threshold.name] ?? "", error: errors[threshold.name])
                  },
                  .div(.class("actions"), .button(.type(.submit), .text(t(.commonSave)))))
        ))
    }
}

/// Everyone who signs in, by name, with their role, team and whether they may sign in.
struct UsersPage {
    let page: PageContext
    let users: [User]
    let teams: [Team.ID: String]
    let canCreate: Bool

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.adminUsers)).document(.group(
            .h1(.text(t(.adminUsers))),
            .if(canCreate, .div(.class("actions"), .a(.class("button"), .href(SiteURL.adminUserNew.path), .text(t(.userNew))))),
            .table(.class("list"),
                   .thead(.tr(.th(.text(t(.userName))), .th(.text(t(.userEmail))), .th(.text(t(.userRole))), .th(.text(t(.userTeam))),
                              .th(.text(t(.userLanguage))))),
                   .tbody(.forEach(users) { user in
                       .tr(.td(.attribute(named: "data-label", value: t(.userName)),
                               .a(.href(SiteURL.adminUser(id: user.id.rawValue).path), .text(user.name)),
                               .if(!user.active, .span(.class("muted"), .text(" · " + t(.userInactive))))),
                           .td(.attribute(named: "data-label", value: t(.userEmail)), .text(user.email)),
                           .td(.attribute(named: "data-label", value: t(.userRole)), .text(t(user.role.label))),
                           .td(.attribute(named: "data-label", value: t(.userTeam)), .text(user.teamID.flatMap { teams[$0] } ?? "")),
                           .td(.attribute(named: "data-label", value: t(.userLanguage)), .text(t(user.language.label))))
                   }))
        ))
    }
}

/// A new user, or one user's name, role, team, language, extension and whether they may sign in.
struct UserFormPage {
    let page: PageContext
    /// Nil for a new user.
    let user: User?
    let teams: [Team]
    var values: [String: String]
    var errors: [String: String] = [:]
    /// A new user's first password, shown once.
    var password: String?

    func html() -> HTML {
        let t = page.t
        let title = user?.name ?? t(.userNew)
        let action = user.map { SiteURL.adminUser(id: $0.id.rawValue) } ?? .adminUsers
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title)),
            .unwrap(password) { .p(.class("flash notice"), .attribute(named: "role", value: "status"), .text(t(.userCreated, ["password": $0]))) },
            .if(!errors.isEmpty, .p(.class("flash error"), .attribute(named: "role", value: "alert"), .text(t(.formHasErrors)))),
            .form(.class("stack"), .method(.post), .action(action.path),
                  csrfField(page.csrfToken),
                  .unwrap(user) { .input(.type(.hidden), .name("version"), .value(String($0.version))) },
                  field(t(.userName), name: "name", type: .text, value: values["name"] ?? "", error: errors["name"]),
                  // An address is who someone is when they sign in; it is set once.
                  user == nil ? field(t(.userEmail), name: "email", type: .email, value: values["email"] ?? "", error: errors["email"])
                      : .group(.label(.text(t(.userEmail))), .p(.text(user?.email ?? ""))),
                  selectField(t(.userRole), name: "role", options: Role.allCases.map { ($0.rawValue, t($0.label)) },
                              selected: values["role"], error: errors["role"]),
                  selectField(t(.userTeam), name: "team", options: [("", t(.userNoTeam))] + teams.map { (String($0.id.rawValue), $0.name) },
                              selected: values["team"], error: errors["teamId"]),
                  selectField(t(.userLanguage), name: "language", options: Language.allCases.map { ($0.rawValue, t($0.label)) },
                              selected: values["language"], error: errors["language"]),
                  field(t(.userExtension), name: "extension", type: .text, value: values["extension"] ?? "", error: errors["extension"],
                        required: false),
                  .if(user != nil, .label(.class("check"),
                                          .input(.type(.checkbox), .name("active"), .value("true"), .checked(values["active"] == "true")),
                                          .text(" " + t(.userActive)))),
                  .div(.class("actions"), .button(.type(.submit), .text(t(.commonSave))),
                       .a(.class("button quiet"), .href(SiteURL.adminUsers.path), .text(t(.commonCancel)))))
        ))
    }
}

/// The teams with their kind and head, a form for a new one, and one team's form.
struct TeamsPage {
    let page: PageContext
    let teams: [Team]
    let users: [User]
    /// The team being changed (nil: the list with a new-team form).
    var team: Team?
    var values: [String: String] = [:]
    var errors: [String: String] = [:]

    func html() -> HTML {
        let t = page.t
        let names = Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0.name) })
        let title = team?.name ?? t(.adminTeams)
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title)),
            .if(team == nil, .table(.class("list"),
                   .thead(.tr(.th(.text(t(.teamName))), .th(.text(t(.teamKind))), .th(.text(t(.teamHead))), .th(.text(t(.teamMembers))))),
                   .tbody(.forEach(teams) { team in
                       .tr(.td(.attribute(named: "data-label", value: t(.teamName)),
                               .a(.href(SiteURL.adminTeam(id: team.id.rawValue).path), .text(team.name))),
                           .td(.attribute(named: "data-label", value: t(.teamKind)), .text(t(team.kind.label))),
                           .td(.attribute(named: "data-label", value: t(.teamHead)), .text(team.headID.flatMap { names[$0] } ?? "")),
                           .td(.attribute(named: "data-label", value: t(.teamMembers)),
                               .text(String(users.filter { $0.teamID == team.id && $0.active }.count))))
                   }))),
            .if(team == nil, .h2(.text(t(.teamNew)))),
            .if(!errors.isEmpty, .p(.class("flash error"), .attribute(named: "role", value: "alert"), .text(t(.formHasErrors)))),
            .form(.class("stack"), .method(.post), .action((team.map { SiteURL.adminTeam(id: $0.id.rawValue) } ?? .adminTeams).path),
                  csrfField(page.csrfToken),
                  .unwrap(team) { .input(.type(.hidden), .name("version"), .value(String($0.version))) },
                  field(t(.teamName), name: "name", type: .text, value: values["name"] ?? "", error: errors["name"]),
                  selectField(t(.teamKind), name: "kind", options: TeamKind.allCases.map { ($0.rawValue, t($0.label)) },
                              selected: values["kind"], error: errors["kind"]),
                  selectField(t(.teamHead), name: "head",
                              options: [("", t(.commonNone))] + users.filter { $0.active && $0.role == .head }.map { (String($0.id.rawValue), $0.name) },
                              selected: values["head"], error: errors["headId"]),
                  .div(.class("actions"), .button(.type(.submit), .text(t(.commonSave))),
                       .if(team != nil, .a(.class("button quiet"), .href(SiteURL.adminTeams.path), .text(t(.commonCancel))))))
        ))
    }
}

extension TeamKind {
    var label: UIKey {
        switch self {
        case .acquisition: .teamKindAcquisition
        case .retention: .teamKindRetention
        case .orderDesk: .teamKindOrderDesk
        case .other: .teamKindOther
        }
    }
}
