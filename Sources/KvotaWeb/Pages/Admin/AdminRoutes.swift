import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The settings area: its index, the company settings, users and teams. Each route asks the access policy first,
/// as the API does for the same records.
struct AdminRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    struct SettingsForm: Decodable {
        let name: String?
        let baseCurrency: String?
        let timeZone: String?
        let defaultCountry: String?
        let effectiveTalkSeconds, callbackSeconds, leadResponseSeconds, stalledDays, silentDays, topShare, hhi, planFulfilment,
            lookbackDays: String?

        /// The thresholds' fields by name, as typed.
        var thresholdTexts: [String: String] {
            let texts = ["effectiveTalkSeconds": effectiveTalkSeconds, "callbackSeconds": callbackSeconds, "leadResponseSeconds": leadResponseSeconds,
                         "stalledDays": stalledDays, "silentDays": silentDays, "topShare": topShare, "hhi": hhi, "planFulfilment": planFulfilment,
                         "lookbackDays": lookbackDays]
            return texts.compactMapValues { $0?.trimmingCharacters(in: .whitespaces) }.filter { !$0.value.isEmpty }
        }
    }

    struct UserForm: Decodable {
        let name: String?
        let email: String?
        let role: String?
        let team: String?
        let language: String?
        let `extension`: String?
        let active: String?
        let version: Int64?
    }

    struct TeamForm: Decodable {
        let name: String?
        let kind: String?
        let head: String?
        let version: Int64?
    }

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.admin.route)) { request, context in
            let sections = AdminSection.visible(to: context.actor)
            guard !sections.isEmpty else { throw AccessDenied.forbidden(.update, .settings) }
            let page = try await pages.pageContext(request, context, section: .admin)
            return page.response(AdminIndexPage(page: page, sections: sections).html())
        }
        signedIn.get(RouterPath(SiteURL.adminSettings.route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .update, .settings)
            let page = try await pages.pageContext(request, context, section: .admin)
            let settings = try await database.companySettings()
            return page.response(CompanySettingsPage(page: page, values: Self.values(settings)).html())
        }
        signedIn.post(RouterPath(SiteURL.adminSettings.route)) { request, context in
            let (form, page) = try await read(SettingsForm.self, request, context)
            let texts = form.thresholdTexts
            let numbers = texts.compactMapValues { SchemeForm.decimal($0) }
            let patch = CompanySettingsPatch(name: form.name, baseCurrency: form.baseCurrency, timeZone: form.timeZone,
                                             defaultCountry: form.defaultCountry, thresholds: numbers)
            var errors: [String: String] = [:]
            for name in texts.keys where numbers[name] == nil { errors[name] = page.t(.settingsThresholdInvalid) }
            if errors.isEmpty {
                do {
                    _ = try await database.updateCompanySettings(patch, by: context.actor, at: config.now(), address: context.address)
                    return Response.redirect(to: SiteURL.adminSettings.path, flash: .notice(.adminSaved), secure: config.secureCookies)
                } catch let failure as ValidationFailure {
                    errors = failure.formErrors(in: page.t.language, renaming: Dictionary(failure.errors.map {
                        ($0.field, $0.field.hasPrefix("thresholds.") ? String($0.field.dropFirst("thresholds.".count)) : $0.field)
                    }, uniquingKeysWith: { a, _ in a }))
                }
            }
            var view = CompanySettingsPage(page: page, values: ["name": form.name ?? "", "baseCurrency": form.baseCurrency ?? "",
                                                                "timeZone": form.timeZone ?? "", "defaultCountry": form.defaultCountry ?? ""]
                                                                .merging(texts) { a, _ in a })
            view.errors = errors
            return page.response(view.html(), status: .unprocessableContent)
        }
        registerUsers(on: signedIn)
        registerTeams(on: signedIn)
        registerCatalogue(on: signedIn)
    }

    private func registerUsers(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.adminUsers.route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .update, .user)
            let page = try await pages.pageContext(request, context, section: .admin)
            let teams = Dictionary(uniqueKeysWithValues: try await database.teams().map { ($0.id, $0.name) })
            let users = try await database.users().sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending }
            return page.response(UsersPage(page: page, users: users, teams: teams,
                                           canCreate: AccessPolicy.scope(context.actor, .create, .user) != .nothing).html())
        }
        signedIn.get(RouterPath(SiteURL.adminUserNew.route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .create, .user)
            let page = try await pages.pageContext(request, context, section: .admin)
            return page.response(UserFormPage(page: page, user: nil, teams: try await database.teams(),
                                              values: ["role": Role.rep.rawValue, "language": page.t.language.rawValue]).html())
        }
        signedIn.post(RouterPath(SiteURL.adminUsers.route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .create, .user)
            let (form, page) = try await read(UserForm.self, request, context)
            var errors = ValidationFailure.Collector()
            let role = decodeKey(form.role, as: Role.self, field: "role", into: &errors)
            let language = decodeKey(form.language, as: Language.self, field: "language", into: &errors)
            let draft = UserDraft(name: form.name ?? "", email: form.email ?? "", role: role ?? .rep, teamID: Self.id(form.team),
                                  language: language ?? .en, phoneExtension: Self.text(form.extension))
            do {
                let (user, password) = try await UsersAPI.add(draft, password: nil, problems: errors, database: database, context: context,
                                                              at: config.now())
                var view = UserFormPage(page: page, user: user, teams: try await database.teams(), values: Self.values(user))
                view.password = password
                return page.response(view.html(), status: .created)
            } catch let failure as ValidationFailure {
                var view = UserFormPage(page: page, user: nil, teams: try await database.teams(), values: Self.values(form))
                view.errors = failure.formErrors(in: page.t.language)
                return page.response(view.html(), status: .unprocessableContent)
            }
        }
        signedIn.get(RouterPath(SiteURL.adminUser(id: 0).route)) { request, context in
            let user = try await editableUser(context)
            let page = try await pages.pageContext(request, context, section: .admin)
            return page.response(UserFormPage(page: page, user: user, teams: try await database.teams(), values: Self.values(user)).html())
        }
        signedIn.post(RouterPath(SiteURL.adminUser(id: 0).route)) { request, context in
            let user = try await editableUser(context)
            let (form, page) = try await read(UserForm.self, request, context)
            var errors = ValidationFailure.Collector()
            var patch = UserPatch(name: form.name, teamID: .some(Self.id(form.team)), phoneExtension: .some(Self.text(form.extension)),
                                  active: form.active == "true")
            patch.role = decodeKey(form.role, as: Role.self, field: "role", into: &errors)
            patch.language = decodeKey(form.language, as: Language.self, field: "language", into: &errors)
            do {
                try errors.finish()
                _ = try await database.updateUser(user.id, patch, expectedVersion: form.version, by: context.user.id, at: config.now(),
                                                  address: context.address)
                return Response.redirect(to: SiteURL.adminUsers.path, flash: .notice(.adminSaved), secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                var view = UserFormPage(page: page, user: user, teams: try await database.teams(), values: Self.values(form))
                view.errors = failure.formErrors(in: page.t.language)
                return page.response(view.html(), status: .unprocessableContent)
            }
        }
    }

    private func registerTeams(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.adminTeams.route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .update, .team)
            let page = try await pages.pageContext(request, context, section: .admin)
            return page.response(TeamsPage(page: page, teams: try await database.teams(), users: try await database.users(),
                                           values: ["kind": TeamKind.acquisition.rawValue]).html())
        }
        signedIn.post(RouterPath(SiteURL.adminTeams.route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .create, .team)
            let (form, page) = try await read(TeamForm.self, request, context)
            do {
                let draft = try Self.teamDraft(form)
                _ = try await database.addTeam(draft, by: context.user.id, at: config.now(), address: context.address)
                return Response.redirect(to: SiteURL.adminTeams.path, flash: .notice(.adminSaved), secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                var view = TeamsPage(page: page, teams: try await database.teams(), users: try await database.users(), values: Self.values(form))
                view.errors = failure.formErrors(in: page.t.language)
                return page.response(view.html(), status: .unprocessableContent)
            }
        }
        signedIn.get(RouterPath(SiteURL.adminTeam(id: 0).route)) { request, context in
            let team = try await editableTeam(context)
            let page = try await pages.pageContext(request, context, section: .admin)
            return page.response(TeamsPage(page: page, teams: [], users: try await database.users(), team: team,
                                           values: ["name": team.name, "kind": team.kind.rawValue,
                                                    "head": team.headID.map { String($0.rawValue) } ?? ""]).html())
        }
        signedIn.post(RouterPath(SiteURL.adminTeam(id: 0).route)) { request, context in
            let team = try await editableTeam(context)
            let (form, page) = try await read(TeamForm.self, request, context)
            do {
                _ = try await database.updateTeam(team.id, try Self.teamDraft(form), expectedVersion: form.version, by: context.user.id,
                                                  at: config.now(), address: context.address)
                return Response.redirect(to: SiteURL.adminTeams.path, flash: .notice(.adminSaved), secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                var view = TeamsPage(page: page, teams: [], users: try await database.users(), team: team, values: Self.values(form))
                view.errors = failure.formErrors(in: page.t.language)
                return page.response(view.html(), status: .unprocessableContent)
            }
        }
    }

    /// A posted form and the page context to answer with.
    func read<Form: Decodable>(_ type: Form.Type, _ request: Request, _ context: SignedInContext) async throws -> (Form, PageContext) {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        let page = try await pages.pageContext(request, context, section: .admin)
        do {
            return (try URLEncodedFormDecoder().decode(Form.self, from: String(buffer: body)), page)
        } catch {
            throw HTTPError(.badRequest, message: "the form could not be read; reload the page and try again")
        }
    }

    private func editableUser(_ context: SignedInContext) async throws -> User {
        let id = try context.parameters.require("id", as: Int64.self)
        guard let user = try await database.user(id: User.ID(id)) else { throw AccessDenied.notFound(.user, id: id) }
        try AccessPolicy.require(context.actor, .update, .user, id: id, owner: nil)
        return user
    }

    private func editableTeam(_ context: SignedInContext) async throws -> Team {
        let id = try context.parameters.require("id", as: Int64.self)
        guard let team = try await database.team(id: Team.ID(id)) else { throw AccessDenied.notFound(.team, id: id) }
        try AccessPolicy.require(context.actor, .update, .team, id: id, owner: nil)
        return team
    }

    private static func teamDraft(_ form: TeamForm) throws -> TeamDraft {
        var errors = ValidationFailure.Collector()
        let kind = decodeKey(form.kind, as: TeamKind.self, field: "kind", into: &errors)
        try errors.finish()
        return TeamDraft(name: form.name ?? "", kind: kind ?? .acquisition, headID: id(form.head))
    }

    private static func id<T>(_ text: String?) -> Identifier<T>? {
        text.flatMap { Int64($0) }.map { Identifier<T>($0) }
    }

    private static func text(_ value: String?) -> String? {
        value.flatMap { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    static func values(_ settings: CompanySettings) -> [String: String] {
        var values = ["name": settings.name, "baseCurrency": settings.baseCurrency.code, "timeZone": settings.timeZone.identifier,
                      "defaultCountry": settings.defaultCountry]
        for (name, _) in SalesThresholds.names { values[name] = settings.stored["company.threshold." + name] }
        return values
    }

    static func values(_ user: User) -> [String: String] {
        ["name": user.name, "email": user.email, "role": user.role.rawValue, "team": user.teamID.map { String($0.rawValue) } ?? "",
         "language": user.language.rawValue, "extension": user.phoneExtension ?? "", "active": user.active ? "true" : ""]
    }

    static func values(_ form: UserForm) -> [String: String] {
        ["name": form.name ?? "", "email": form.email ?? "", "role": form.role ?? "", "team": form.team ?? "", "language": form.language ?? "",
         "extension": form.extension ?? "", "active": form.active ?? ""]
    }

    static func values(_ form: TeamForm) -> [String: String] {
        ["name": form.name ?? "", "kind": form.kind ?? "", "head": form.head ?? ""]
    }
}
