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
            let settings = try await database.companySettings()
            var errors = ValidationFailure.Collector()
            var query = ForecastAPI.query(request.uri.queryParameters, into: &errors)
            var problems: [String: String] = [:]
            do { try errors.finish() } catch let failure as ValidationFailure {
                problems = failure.formErrors(in: page.t.language)
                query = ForecastAPI.query(Parameters(), into: &errors)
            }
            let report = try await ForecastReport.build(query, for: context.actor, in: database, currency: settings.baseCurrency,
                                                        today: LocalDate(config.now(), in: settings.timeZone))
            return page.response(ForecastPage(page: page, query: query, report: report, scopes: try await scopes(for: context.actor, page.t),
                                              errors: problems, currency: settings.baseCurrency).html())
        }
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
