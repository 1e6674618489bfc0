import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// One plan's page and its forms: new plan, targets (a revision of an approved plan with its reason), approve and
/// delete. Every change goes through the store, which applies the access policy; a plan the reader may not see is a 404.
struct PlanRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.planNew(period: nil).route)) { request, context in
            let page = try await pages.pageContext(request, context, section: .plans)
            let asked = request.uri.queryParameters["period"].map(String.init)
            return page.response(try await newPage(page, context, entered: ["period": asked ?? ""]).html())
        }
        signedIn.post(RouterPath(SiteURL.planNew(period: nil).route)) { request, context in
            try await create(request, context)
        }
        signedIn.get(RouterPath(SiteURL.plan(id: 0).route)) { request, context in
            let page = try await pages.pageContext(request, context, section: .plans)
            let id = Plan.ID(try context.parameters.require("id", as: Int64.self))
            return page.response(try await planPage(id, page: page, context: context).html())
        }
        signedIn.post(RouterPath(SiteURL.planTargets(id: 0).route)) { request, context in
            try await saveTargets(request, context)
        }
        signedIn.post(RouterPath(SiteURL.planApprove(id: 0).route)) { request, context in
            let id = Plan.ID(try context.parameters.require("id", as: Int64.self))
            let form = try await Self.form(request)
            return try await changed(id) {
                _ = try await database.approvePlan(id, expectedVersion: form["version"].flatMap { Int64($0) }, by: context.actor,
                                                   at: config.now(), address: context.address)
            } done: { .redirect(to: SiteURL.plan(id: id.rawValue).path, flash: .notice(.planApprovedNotice), secure: config.secureCookies) }
        }
        signedIn.post(RouterPath(SiteURL.planDelete(id: 0).route)) { request, context in
            let id = Plan.ID(try context.parameters.require("id", as: Int64.self))
            let form = try await Self.form(request)
            return try await changed(id) {
                try await database.deletePlan(id, expectedVersion: form["version"].flatMap { Int64($0) }, by: context.actor, at: config.now(),
                                              address: context.address)
            } done: { .redirect(to: SiteURL.plans(period: nil).path, flash: .notice(.planDeletedNotice), secure: config.secureCookies) }
        }
    }

    /// A plan's page as the reader may see it, read through the access policy.
    func planPage(_ id: Plan.ID, page: PageContext, context: SignedInContext) async throws -> PlanPage {
        let actor = context.actor
        let plan = try await database.plan(id, for: actor)
        let settings = try await database.companySettings()
        let today = LocalDate(config.now(), in: settings.timeZone)
        let standing = try await database.standing(of: plan, for: actor, asOf: today)
        let setter = AccessPolicy.scope(actor, .create, .plan)
        let splittable = plan.subject.childKind != nil || plan.period.grain != .week
        let figures = try await PlansRoutes.figures(page, currency: settings.baseCurrency, database: database)
        let rowNames = try await PlansAPI.rowNames(plan.rows, in: database)
        return PlanPage(page: page, standing: standing, cumulative: try await database.cumulative(of: plan, for: actor, asOf: today),
                        figures: figures, rowNames: rowNames,
                        // The plan was read through the policy above; its own audit lines come with it.
                        history: try await database.auditEntries(AuditQuery(entity: "plan", entityID: id.rawValue)),
                        rowsText: PlanRowsText(database: database, actor: actor, figures: figures).text(plan.rows, names: rowNames),
                        canChange: AccessPolicy.scope(actor, .update, .plan).allows(plan.subject),
                        canSplit: splittable && setter != .nothing)
    }

    private func saveTargets(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = Plan.ID(try context.parameters.require("id", as: Int64.self))
        let page = try await pages.pageContext(request, context, section: .plans)
        let form = try await Self.form(request)
        let figures = try await PlansRoutes.figures(page, currency: try await database.companySettings().baseCurrency, database: database)
        var errors: [String: String] = [:]
        let targets = Self.targets(form, figures, page.t, errors: &errors)
        let rows = try await rows(form, figures, context, errors: &errors)
        if errors.isEmpty {
            do {
                let note = form["note"].map { $0.trimmingCharacters(in: .whitespaces) }
                _ = try await database.updatePlan(id, targets: targets, rows: rows, note: .some(note?.isEmpty == false ? note : nil),
                                                  reason: form["reason"], expectedVersion: form["version"].flatMap { Int64($0) },
                                                  by: context.actor, at: config.now(), address: context.address)
                return .redirect(to: SiteURL.plan(id: id.rawValue).path, flash: .notice(.planSavedNotice), secure: config.secureCookies)
            } catch is VersionConflict {
                return .redirect(to: SiteURL.plan(id: id.rawValue).path, flash: Flash(kind: .error, key: .planChangedElsewhere),
                                 secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                errors = Self.formErrors(failure, page.t, renaming: ["targets": "form"])
            }
        }
        var view = try await planPage(id, page: page, context: context)
        view.entered = Dictionary(form.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        view.errors = errors
        return page.response(view.html(), status: .unprocessableContent)
    }

    private func create(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let page = try await pages.pageContext(request, context, section: .plans)
        let form = try await Self.form(request)
        let figures = try await PlansRoutes.figures(page, currency: try await database.companySettings().baseCurrency, database: database)
        var errors: [String: String] = [:]
        var problems = ValidationFailure.Collector()
        let period = PlansAPI.period(form["period"], into: &problems)
        let subject = PlansAPI.subject(form["subject"], into: &problems)
        let targets = Self.targets(form, figures, page.t, errors: &errors)
        let rows = try await rows(form, figures, context, errors: &errors) ?? []
        if errors.isEmpty {
            do {
                let note = form["note"]?.trimmingCharacters(in: .whitespaces)
                let plan = try await database.addPlan(PlanDraft(period: period ?? Period(.month, containing: LocalDate(dayNumber: 0)),
                                                                subject: subject ?? .company, targets: targets, rows: rows,
                                                                note: note?.isEmpty == false ? note : nil),
                                                      problems: problems, by: context.actor, at: config.now(), address: context.address)
                return .redirect(to: SiteURL.plan(id: plan.id.rawValue).path, flash: .notice(.planSavedNotice), secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                errors = Self.formErrors(failure, page.t, renaming: ["scope": "subject", "targets": "form"])
            }
        }
        let view = try await newPage(page, context, entered: Dictionary(form.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }),
                                     errors: errors)
        return page.response(view.html(), status: .unprocessableContent)
    }

    private func newPage(_ page: PageContext, _ context: SignedInContext, entered: [String: String],
                         errors: [String: String] = [:]) async throws -> PlanNewPage {
        let setter = try AccessPolicy.require(context.actor, .create, .plan)
        let figures = try await PlansRoutes.figures(page, currency: try await database.companySettings().baseCurrency, database: database)
        var subjects: [(String, String)] = []
        if setter.allows(PlanSubject.company) { subjects.append((PlanSubject.company.description, page.t(.plansCompany))) }
        for team in try await database.teams() where setter.allows(PlanSubject.team(team.id)) {
            subjects.append((PlanSubject.team(team.id).description, team.name))
        }
        for user in try await database.users() where user.active && setter.allows(PlanSubject.user(user.id)) {
            subjects.append((PlanSubject.user(user.id).description, user.name))
        }
        return PlanNewPage(page: page, figures: figures, subjects: subjects, entered: entered, errors: errors)
    }

    /// Runs a change of the plan and answers `done`; a stale version or a refusal comes back to the plan's page with
    /// the reason.
    private func changed(_ id: Plan.ID, _ change: () async throws -> Void, done: () -> Response) async throws -> Response {
        do {
            try await change()
            return done()
        } catch is VersionConflict {
            return .redirect(to: SiteURL.plan(id: id.rawValue).path, flash: Flash(kind: .error, key: .planChangedElsewhere), secure: config.secureCookies)
        } catch is ValidationFailure {
            return .redirect(to: SiteURL.plan(id: id.rawValue).path, flash: Flash(kind: .error, key: .planNotChanged), secure: config.secureCookies)
        }
    }

    /// The breakdown rows of the form's `rows` text; nil when the form has no such field (the rows stay as they are).
    private func rows(_ form: [String: String], _ figures: PlanFigures, _ context: SignedInContext,
                      errors: inout [String: String]) async throws -> [PlanRow]? {
        guard let text = form["rows"] else { return nil }
        var problem: String?
        let rows = try await PlanRowsText(database: database, actor: context.actor, figures: figures).rows(text, error: &problem)
        if let problem { errors["rows"] = problem }
        return rows
    }

    /// The targets a form names, one field per measure; a blank field plans nothing for that measure.
    static func targets(_ form: [String: String], _ figures: PlanFigures, _ t: Localizer, errors: inout [String: String]) -> [PlanTarget] {
        PlanMeasure.allCases.compactMap { measure in
            guard let text = form[measure.rawValue]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let value = figures.parse(text, measure), value >= 0 else {
                errors[measure.rawValue] = t(.planNumberInvalid)
                return nil
            }
            return PlanTarget(measure, value)
        }
    }

    /// The store's problems by the form's fields; every `rows[N]…` problem goes to the rows' text area.
    static func formErrors(_ failure: ValidationFailure, _ t: Localizer, renaming: [String: String]) -> [String: String] {
        failure.formErrors(in: t.language, renaming: renaming).reduce(into: [:]) { fields, item in
            let key = item.key.hasPrefix("rows") ? "rows" : item.key
            fields[key] = fields[key].map { "\($0); \(item.value)" } ?? item.value
        }
    }

    /// A posted form by field name (the last value of a repeated name wins).
    static func form(_ request: Request) async throws -> [String: String] {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        return Dictionary(FormPairs.parse(String(buffer: body)), uniquingKeysWith: { _, b in b })
    }
}
