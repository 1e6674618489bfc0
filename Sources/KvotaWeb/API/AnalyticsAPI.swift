import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/analytics/…`: every analysis of issue 6 over the orders (and deals) the caller may see. Parameters that
/// make no sense answer 400 with each problem at its parameter; `?format=csv` answers the analysis' table as CSV.
struct AnalyticsAPI {
    let database: Database
    let config: AppConfig

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/analytics/dynamics") { request, context -> Response in
            let settings = try await database.companySettings()
            let parameters = request.uri.queryParameters
            let query = try Self.dynamicsQuery(parameters, today: LocalDate(config.now(), in: settings.timeZone))
            let report = try await Self.answering { try await DynamicsReport.build(query, for: context.actor, in: database, currency: settings.baseCurrency) }
            if query.shared.csv {
                let table = report.csv
                return CSVExport.table(filename: "dynamics-\(report.measure).csv", header: table.header, rows: table.rows)
            }
            return try JSONBody.response(report)
        }
    }

    static func dynamicsQuery(_ parameters: Parameters, today: LocalDate) throws -> DynamicsReport.Query {
        var errors = ValidationFailure.Collector()
        let shared = AnalyticsParameters.read(parameters, today: today, into: &errors)
        let measure = AnalyticsParameters.choice(parameters, "measure", SalesMeasure.revenue, into: &errors)!
        let grain = AnalyticsParameters.choice(parameters, "grain", GrainParameter.month, into: &errors)!.grain
        let by = AnalyticsParameters.choice(parameters, "by", SalesDimension?.none, into: &errors)
        let top = AnalyticsParameters.number(parameters, "top", 10, in: 1...50, into: &errors)
        // Day by day over years is a table nobody reads, and a heavy one to build.
        let limit = grain == .day ? 366 : grain == .week ? 530 : Int.max
        if Period.covering(from: shared.window.from, through: shared.window.through, grain: grain).count > limit {
            errors.check(false, "grain", "too many periods for this window; choose a coarser grain or a shorter window")
        }
        try finish(errors)
        return DynamicsReport.Query(measure: measure, grain: grain, by: by, top: top, shared: shared)
    }

    /// Problems with the question are 400s, whether the parameters or the analysis found them.
    static func finish(_ errors: ValidationFailure.Collector) throws {
        do { try errors.finish() } catch { throw InvalidAnalyticsQuery(failure: error) }
    }

    static func answering<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let failure as ValidationFailure { throw InvalidAnalyticsQuery(failure: failure) }
    }
}
