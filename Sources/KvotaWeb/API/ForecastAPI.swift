import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `GET /api/v1/forecast`: the forecast table of a scope over the records the caller may see (as analytics are: a rep's
/// company forecast is their own book). Parameters that make no sense answer 400, each at its parameter.
struct ForecastAPI {
    let database: Database
    let config: AppConfig

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/forecast") { request, context -> Response in
            let settings = try await database.companySettings()
            var errors = ValidationFailure.Collector()
            let parameters = request.uri.queryParameters
            let query = Self.query(parameters, into: &errors)
            let format = parameters["format"].map(String.init) ?? "json"
            errors.check(format == "csv" || format == "json", "format", "expected csv or json, got '\(format)'")
            try AnalyticsAPI.finish(errors)
            let report = try await AnalyticsAPI.answering {
                try await ForecastReport.build(query, for: context.actor, in: database, currency: settings.baseCurrency,
                                               today: LocalDate(config.now(), in: settings.timeZone))
            }
            return try AnalyticsAPI.answer(report, csv: format == "csv" ? report.csv : nil, name: "forecast")
        }
    }

    static func query(_ parameters: Parameters, into errors: inout ValidationFailure.Collector) -> ForecastReport.Query {
        var scope = PlanSubject.company
        if let text = parameters["scope"] {
            do { scope = try PlanSubject(String(text), field: "scope") } catch { errors.check(false, error.field, error.reason) }
        }
        return ForecastReport.Query(scope: scope, horizon: AnalyticsParameters.number(parameters, "horizon", 6, in: 1...24, into: &errors),
                                    past: AnalyticsParameters.number(parameters, "past", 12, in: 0...36, into: &errors),
                                    by: AnalyticsParameters.choice(parameters, "by", ForecastReport.Split?.none, into: &errors),
                                    top: AnalyticsParameters.number(parameters, "top", 8, in: 1...50, into: &errors))
    }
}

extension ForecastReport {
    /// The table a user would put in a spreadsheet: one line per month (per group under `by`), money in minor units.
    var csv: (header: [String], rows: [[String?]]) {
        let header = ["group", "month", "actual", "weighted", "commit", "best_case", "history", "low", "high", "plan"]
        func lines(_ group: String, _ months: [Month]) -> [[String?]] {
            months.map { m in
                let r = m.row
                return [group, r.month.label, r.actual.map(String.init), r.weighted.map(String.init), r.commit.map(String.init),
                        r.bestCase.map(String.init), r.history.map(String.init), r.low.map(String.init), r.high.map(String.init),
                        r.plan.map(String.init)]
            }
        }
        var rows = lines("total", months)
        for group in groups ?? [] { rows += lines(group.name ?? group.key ?? "", group.months) }
        return (header, rows)
    }
}
