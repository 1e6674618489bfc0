import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The schemes list and the editor of a new version, with the preview of last month under it. Reading and setting
/// schemes follow the access policy through the store (heads and analysts read; directors and admins set).
struct SchemeRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.schemes.route)) { request, context in
            let schemes = try await database.schemes(for: context.actor)
            let page = try await pages.pageContext(request, context, section: .plans)
            return page.response(SchemesPage(page: page, schemes: schemes, figures: try await figures(page),
                                             canCreate: AccessPolicy.scope(context.actor, .create, .compensationScheme) != .nothing).html())
        }
        signedIn.get(RouterPath(SiteURL.schemeNew(from: nil).route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .create, .compensationScheme)
            let page = try await pages.pageContext(request, context, section: .plans)
            let figures = try await figures(page)
            let today = LocalDate(config.now(), in: try await database.companyTimeZone())
            let next = Period(.month, containing: today).next.start.iso
            var form = SchemeForm(fields: ["effectiveFrom": next, "planTiers": "80\n100 1\n120 1.2", "planThreshold": "80"])
            if let from = request.uri.queryParameters["from"].flatMap({ Int64($0) }) {
                let scheme = try await database.scheme(.init(from), for: context.actor)
                form = SchemeForm(name: scheme.name, appliesTo: scheme.appliesTo.description, effectiveFrom: next, rules: scheme.rules,
                                  currency: figures.currency)
            }
            return page.response(try await editor(page, form: form, errors: [:], preview: nil).html())
        }
        signedIn.post(RouterPath(SiteURL.schemeNew(from: nil).route)) { request, context in
            try await post(request, context)
        }
    }

    private func post(_ request: Request, _ context: SignedInContext) async throws -> Response {
        _ = try AccessPolicy.require(context.actor, .create, .compensationScheme)
        let page = try await pages.pageContext(request, context, section: .plans)
        let t = page.t
        let form = SchemeForm(fields: try await PlanRoutes.form(request))
        let figures = try await figures(page)
        var errors: [String: String] = [:]
        let rules = form.rules(currency: figures.currency, t, errors: &errors)
        let appliesTo = try? CompensationScheme.AppliesTo(form["appliesTo"])
        if appliesTo == nil { errors["appliesTo"] = t(.schemeAppliesToInvalid) }
        let from = try? LocalDate(iso: form["effectiveFrom"])
        if from == nil { errors["effectiveFrom"] = t(.moveDateInvalid) }
        var preview: SchemePreview?
        if let rules, let appliesTo, errors.isEmpty {
            var check = ValidationFailure.Collector()
            rules.check(into: &check)
            if !check.errors.isEmpty {
                errors = Self.formErrors(ValidationFailure(check.errors), t.language)
            } else if form["action"] == "preview" {
                let today = LocalDate(config.now(), in: try await database.companyTimeZone())
                preview = try await database.previewScheme(name: form["name"], appliesTo: appliesTo, rules: rules,
                                                           period: Period(.month, containing: today).previous, for: context.actor)
            } else {
                do {
                    _ = try await database.addScheme(name: form["name"], appliesTo: appliesTo, effectiveFrom: from, rules: rules, by: context.actor,
                                                     at: config.now(), address: context.address)
                    return .redirect(to: SiteURL.schemes.path, flash: .notice(.schemeSavedNotice), secure: config.secureCookies)
                } catch let failure as ValidationFailure {
                    errors = Self.formErrors(failure, t.language)
                }
            }
        }
        return page.response(try await editor(page, form: form, errors: errors, preview: preview).html(),
                             status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    private func editor(_ page: PageContext, form: SchemeForm, errors: [String: String], preview: SchemePreview?) async throws -> SchemeEditorPage {
        var targets: [(String, String)] = Role.allCases.filter { $0 != .orderDesk }.map { ("role:\($0.rawValue)", page.t($0.label)) }
        targets += try await database.teams().map { ("team:\($0.id)", $0.name) }
        targets += try await database.users().filter(\.active).map { ("user:\($0.id)", $0.name) }
        return SchemeEditorPage(page: page, form: form, errors: errors, figures: try await figures(page), targets: targets, preview: preview)
    }

    private func figures(_ page: PageContext) async throws -> PlanFigures {
        try await PlansRoutes.figures(page, currency: try await database.companySettings().baseCurrency, database: database)
    }

    /// The store's `rules.…` fields as the editor's.
    static func formErrors(_ failure: ValidationFailure, _ language: KvotaCore.Language) -> [String: String] {
        let fields: [(String, String)] = [
            ("rules.fixedMonthly", "fixedMonthly"), ("rules.planBonus.base", "planBase"), ("rules.planBonus.cap", "planCap"),
            ("rules.planBonus.curve.threshold", "planThreshold"), ("rules.planBonus.curve", "planTiers"), ("rules.planBonus", "planBase"),
            ("rules.kpiBonus.amount", "kpiAmount"), ("rules.kpiBonus.minScore", "kpiMin"), ("rules.kpiBonus.maxScore", "kpiMax"),
            ("rules.kpiBonus", "kpiItems"), ("rules.weeklyBonus", "weeklyAmount"), ("name", "name"), ("appliesTo", "appliesTo"),
            ("effectiveFrom", "effectiveFrom"),
        ]
        let renaming = Dictionary(failure.errors.map { error in
            (error.field, fields.first { error.field.hasPrefix($0.0) }?.1 ?? "form")
        }, uniquingKeysWith: { a, _ in a })
        return failure.formErrors(in: language, renaming: renaming)
    }
}
