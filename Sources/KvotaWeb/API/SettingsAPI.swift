import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/settings`: the company settings (name, base currency, time zone, default country, the KPI and alert
/// thresholds), admins only.
struct SettingsAPI {
    let database: Database
    let config: AppConfig

    struct SettingsDTO: Codable, Equatable {
        let name: String
        let baseCurrency: String
        let timeZone: String
        let defaultCountry: String
        let thresholds: [String: Double]

        init(_ s: CompanySettings) {
            name = s.name; baseCurrency = s.baseCurrency.code; timeZone = s.timeZone.identifier; defaultCountry = s.defaultCountry
            thresholds = Dictionary(uniqueKeysWithValues: SalesThresholds.names.map { ($0.name, s.thresholds[named: $0.name]!) })
        }
    }

    struct Change: Decodable {
        let name: String?
        let baseCurrency: String?
        let timeZone: String?
        let defaultCountry: String?
        let thresholds: [String: Double]?
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/settings") { _, context -> Response in
            _ = try AccessPolicy.require(context.actor, .read, .settings)
            return try JSONBody.response(SettingsDTO(try await database.companySettings()))
        }
        api.patch("/settings") { request, context -> Response in
            let change = try await JSONBody.decode(Change.self, from: request)
            let patch = CompanySettingsPatch(name: change.name, baseCurrency: change.baseCurrency, timeZone: change.timeZone,
                                             defaultCountry: change.defaultCountry, thresholds: change.thresholds ?? [:])
            let settings = try await database.updateCompanySettings(patch, by: context.actor, at: config.now(), address: context.address)
            return try JSONBody.response(SettingsDTO(settings))
        }
    }
}
