import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The KPI targets page, its form and deleting a target; who may read and set them is the store's (`.kpiTarget`).
struct KPITargetRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.kpiTargets.route)) { request, context in
            let page = try await pages.pageContext(request, context, section: .plans)
            let today = LocalDate(config.now(), in: try await database.companyTimeZone())
            let start = Period(.month, containing: today).next.start.iso
            return page.response(try await view(page, context, entered: ["effectiveFrom": start], errors: [:]).html())
        }
        signedIn.post(RouterPath(SiteURL.kpiTargets.route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .create, .kpiTarget)
            let page = try await pages.pageContext(request, context, section: .plans)
            let t = page.t
            let form = try await PlanRoutes.form(request)
            let currency = try await database.companySettings().baseCurrency
            var problems = ValidationFailure.Collector()
            let kpi = decodeKey(form["kpi"], as: KPI.self, field: "kpi", into: &problems)
            let appliesTo = try? KPITarget.AppliesTo(form["appliesTo"] ?? "")
            problems.check(appliesTo != nil, "appliesTo", "expected role:ROLE or user:ID, got '\(form["appliesTo"] ?? "")'")
            let target = kpi.flatMap { Self.target(form["target"] ?? "", kpi: $0, currency: currency) }
            var errors: [String: String] = [:]
            if kpi != nil, target == nil { errors["target"] = t(.kpiTargetsNumberInvalid) }
            let from = try? LocalDate(iso: form["effectiveFrom"] ?? "")
            if from == nil { errors["effectiveFrom"] = t(.moveDateInvalid) }
            if errors.isEmpty {
                do {
                    _ = try await database.addKPITarget(kpi: kpi, appliesTo: appliesTo, target: target, effectiveFrom: from, problems: problems,
                                                        by: context.actor, at: config.now(), address: context.address)
                    return Response.redirect(to: SiteURL.kpiTargets.path, flash: .notice(.kpiTargetsSavedNotice), secure: config.secureCookies)
                } catch let failure as ValidationFailure {
                    errors = failure.formErrors(in: t.language)
                }
            }
            return page.response(try await view(page, context, entered: form, errors: errors).html(), status: .unprocessableContent)
        }
        signedIn.post(RouterPath(SiteURL.kpiTargetDelete(id: 0).route)) { _, context in
            let id = KPITarget.ID(try context.parameters.require("id", as: Int64.self))
            try await database.deleteKPITarget(id, by: context.actor, at: config.now(), address: context.address)
            return Response.redirect(to: SiteURL.kpiTargets.path, flash: .notice(.kpiTargetsDeletedNotice), secure: config.secureCookies)
        }
    }

    static func target(_ text: String, kpi: KPI, currency: Currency) -> Double? {
        KPITargetsPage.stored(text, kpi: kpi, currency: currency).flatMap { $0 >= 0 ? $0 : nil }
    }

    private func view(_ page: PageContext, _ context: SignedInContext, entered: [String: String], errors: [String: String]) async throws -> KPITargetsPage {
        let targets = try await database.kpiTargets(for: context.actor)
        let figures = try await PlansRoutes.figures(page, currency: try await database.companySettings().baseCurrency, database: database)
        var subjects: [(String, String)] = Role.allCases.map { ("role:\($0.rawValue)", page.t($0.label)) }
        subjects += try await database.users().filter(\.active).map { ("user:\($0.id)", $0.name) }
        return KPITargetsPage(page: page, targets: targets, figures: figures, today: LocalDate(config.now(), in: try await database.companyTimeZone()),
                              canSet: AccessPolicy.scope(context.actor, .create, .kpiTarget) != .nothing, subjects: subjects, entered: entered,
                              errors: errors)
    }
}
