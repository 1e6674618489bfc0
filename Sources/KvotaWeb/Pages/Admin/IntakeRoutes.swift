import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/admin/intake` (issue 9): web forms, assignment rules and unmapped extensions, kept by admins in the browser as
/// through the API; every check is the store's.
struct IntakeRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.adminIntake.route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .update, .webForm)
            let page = try await pages.pageContext(request, context, section: .admin)
            return page.response(try await view(page, request: request, actor: context.actor).html())
        }
        signedIn.post(RouterPath(SiteURL.adminIntakeForms.route)) { request, context in
            let form = try await PlanRoutes.form(request)
            var patch = WebFormPatch()
            patch.name = form["name"] ?? ""
            patch.source = form["source"].map(LeadSource.init(rawValue:))
            patch.regionID = .some(form["regionId"].flatMap { Int64($0) }.map { Region.ID($0) })
            patch.redirectURL = .some(form["redirectUrl"])
            return try await saved(request, context, values: form) {
                _ = try await database.addWebForm(patch, key: IntakeSetupAPI.newFormKey(), by: context.actor, at: config.now(), address: context.address)
            }
        }
        signedIn.post(RouterPath(SiteURL.adminIntakeForm(id: 0).route)) { request, context in
            let id = WebForm.ID(try context.parameters.require("id", as: Int64.self))
            let form = try await PlanRoutes.form(request)
            var patch = WebFormPatch()
            patch.active = form["active"].map { $0 == "true" }
            return try await saved(request, context, values: [:]) {
                _ = try await database.updateWebForm(id, patch, expectedVersion: form["version"].flatMap { Int64($0) }, by: context.actor,
                                                     at: config.now(), address: context.address)
            }
        }
        signedIn.post(RouterPath(SiteURL.adminIntakeRules.route)) { request, context in
            let form = try await PlanRoutes.form(request)
            var patch = AssignmentRulePatch()
            patch.kind = form["kind"].flatMap(AssignmentRule.Kind.init(rawValue:))
            patch.regionID = .some(form["regionId"].flatMap { Int64($0) }.map { Region.ID($0) })
            patch.source = .some(form["source"].flatMap { $0.isEmpty ? nil : LeadSource(rawValue: $0) })
            patch.channel = .some(form["channel"])
            let target = (form["target"] ?? "").split(separator: ":")
            let id = target.count == 2 ? Int64(target[1]) : nil
            patch.userID = .some(target.first == "user" ? id.map { User.ID($0) } : nil)
            patch.teamID = .some(target.first == "team" ? id.map { Team.ID($0) } : nil)
            var values = form
            values["ruleRegion"] = form["regionId"]; values["ruleSource"] = form["source"]; values["regionId"] = nil; values["source"] = nil
            return try await saved(request, context, values: values, renaming: ["regionId": "ruleRegionId", "source": "ruleSource"]) {
                _ = try await database.addAssignmentRule(patch, by: context.actor, at: config.now(), address: context.address)
            }
        }
        signedIn.post(RouterPath(SiteURL.adminIntakeRuleDelete(id: 0).route)) { request, context in
            let id = AssignmentRule.ID(try context.parameters.require("id", as: Int64.self))
            let form = try await PlanRoutes.form(request)
            return try await saved(request, context, values: [:]) {
                try await database.deleteAssignmentRule(id, expectedVersion: form["version"].flatMap { Int64($0) }, by: context.actor,
                                                        at: config.now(), address: context.address)
            }
        }
        signedIn.post(RouterPath(SiteURL.adminIntakeExtension(extension: "").route)) { request, context in
            let ext = try context.parameters.require("extension")
            let form = try await PlanRoutes.form(request)
            return try await saved(request, context, values: [:]) {
                guard let user = form["userId"].flatMap({ Int64($0) }) else {
                    throw ValidationFailure([.invalid(field: "userId", reason: "is required")])
                }
                _ = try await database.mapExtension(ext, to: User.ID(user), by: context.actor, at: config.now(), address: context.address)
            }
        }
    }

    /// Runs a change and goes back to the page; a refusal shows the page again with each field's problem.
    private func saved(_ request: Request, _ context: SignedInContext, values: [String: String], renaming: [String: String] = [:],
                       _ change: () async throws -> Void) async throws -> Response {
        do {
            try await change()
            return Response.redirect(to: SiteURL.adminIntake.path, flash: .notice(.adminSaved), secure: config.secureCookies)
        } catch let failure as ValidationFailure {
            let page = try await pages.pageContext(request, context, section: .admin)
            var view = try await view(page, request: request, actor: context.actor)
            view.values = values
            view.errors = failure.formErrors(in: page.t.language, renaming: renaming)
            return page.response(view.html(), status: .unprocessableContent)
        }
    }

    private func view(_ page: PageContext, request: Request, actor: Actor) async throws -> IntakePage {
        IntakePage(page: page, forms: try await database.webForms(for: actor), rules: try await database.assignmentRules(for: actor),
                   unmapped: try await database.unmappedExtensions(for: actor), regions: try await database.regions(), users: try await database.users(),
                   teams: try await database.teams(), ownSources: try await database.leadSources(for: actor), base: config.publicBase(for: request))
    }
}
