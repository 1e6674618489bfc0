import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/forecast`: the API's forecast as a page, for whoever sees analytics. The query is read by the API's own parser; a
/// question that makes no sense shows its problems above the default answer.
struct ForecastRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.forecast(query: "").route)) { request, context in
            guard NavSection.analytics.isVisible(to: context.actor) else { throw AccessDenied.forbidden(.list, .order) }
            let page = try await pages.pageContext(request, context, section: .analytics)
            // A form's empty choice ("total only") is no choice, as on the analysis pages.
            var parameters = Parameters()
            for (name, value) in FormPairs.parse(request.uri.query ?? "") where !value.isEmpty {
                parameters[Substring(name)] = Substring(value)
            }
            return try await view(page, context, parameters: parameters, problems: [:])
        }
        // A head's number for a person's commit this month, from the table under the chart; back to the same forecast.
        signedIn.post(RouterPath(SiteURL.forecastAdjust.route)) { request, context in
            let page = try await pages.pageContext(request, context, section: .analytics)
            let form = try await PlanRoutes.form(request)
            let back = Self.returnQuery(form["return"] ?? "")
            let currency = try await database.companySettings().baseCurrency
            var errors: [String: String] = [:]
            let user = form["user"].flatMap(Int64.init).map { User.ID($0) }
            let month = form["month"].flatMap { try? Period(label: $0) }
            let amountText = (form["amount"] ?? "").trimmingCharacters(in: .whitespaces)
            let amount = amountText.isEmpty ? nil : ImportText.minorUnits(amountText, digits: currency.minorUnitDigits)
            if !amountText.isEmpty, amount == nil { errors["amountMinor"] = page.t(.moveAmountInvalid) }
            if let user, let month, errors.isEmpty {
                do {
                    try await database.setForecastAdjustment(user: user, month: month, amountMinor: amount, note: form["note"],
                                                             expectedVersion: form["version"].flatMap(Int64.init), by: context.actor,
                                                             at: config.now(), address: context.address)
                    return Response.redirect(to: SiteURL.forecast(query: back).path, flash: .notice(.forecastAdjustmentSaved),
                                             secure: config.secureCookies)
                } catch let failure as ValidationFailure {
                    errors = failure.formErrors(in: page.t.language)
                } catch is VersionConflict {
                    errors["version"] = page.t(.dealChangedElsewhere)
                }
            } else if user == nil || month == nil {
                errors["user"] = page.t(.forecastAdjustmentRefused)
            }
            var parameters = Parameters()
            for (name, value) in FormPairs.parse(back) where !value.isEmpty { parameters[Substring(name)] = Substring(value) }
            return try await view(page, context, parameters: parameters, problems: errors, status: .unprocessableContent)
        }
    }

    /// The forecast page for a query; a query that makes no sense shows its problems above the default answer.
    private func view(_ page: PageContext, _ context: SignedInContext, parameters: Parameters, problems: [String: String],
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        let settings = try await database.companySettings()
        var errors = ValidationFailure.Collector()
        var query = ForecastAPI.query(parameters, into: &errors)
        var problems = problems
        if !errors.errors.isEmpty {
            problems.merge(ValidationFailure(errors.errors).formErrors(in: page.t.language)) { first, _ in first }
            var ignored = ValidationFailure.Collector()
            query = ForecastAPI.query(Parameters(), into: &ignored)
        }
        let today = LocalDate(config.now(), in: settings.timeZone)
        let report = try await ForecastReport.build(query, for: context.actor, in: database, currency: settings.baseCurrency, today: today)
        let expected = query.by != nil ? nil
            : try await RunRateReport.build(RunRateReport.Query(scope: query.scope, status: nil, horizon: query.horizon, limit: 15),
                                            for: context.actor, in: database, currency: settings.baseCurrency, today: today)
        var view = ForecastPage(page: page, query: query, report: report, scopes: try await scopes(for: context.actor, page.t),
                                errors: problems, currency: settings.baseCurrency)
        view.expected = expected
        return page.response(view.html(), status: status)
    }

    /// The forecast's own query to go back to: only its parameters, so the form cannot send the reader elsewhere.
    static func returnQuery(_ text: String) -> String {
        ListQuery.encode(FormPairs.parse(text).filter { ["scope", "horizon", "by", "past", "top"].contains($0.0) })
    }

    /// The company (all the reader sees), the teams whose members' records they see, and those members one by one.
    private func scopes(for actor: Actor, _ t: Localizer) async throws -> [(value: String, label: String)] {
        var scopes: [(value: String, label: String)] = [("company", t(.forecastScopeCompany))]
        let byName: (String, String) -> Bool = { $0.localizedCaseInsensitiveCompare($1) == .orderedAscending }
        let users = try await database.users().filter(\.active).sorted { byName($0.name, $1.name) }
        switch AccessPolicy.scope(actor, .list, .order) {
        case .all:
            scopes += try await database.teams().sorted { byName($0.name, $1.name) }.map { ("team:\($0.id)", $0.name) }
            scopes += users.filter { $0.role == .rep || $0.role == .head }.map { ("user:\($0.id)", $0.name) }
        case .ownedBy(let owners), .concerning(_, let owners):
            scopes += try await database.teams().filter { actor.ledTeams.contains($0.id) }.map { ("team:\($0.id)", $0.name) }
            if owners.count > 1 { scopes += users.filter { owners.contains($0.id) }.map { ("user:\($0.id)", $0.name) } }
        case .nothing:
            break
        }
        return scopes
    }
}
