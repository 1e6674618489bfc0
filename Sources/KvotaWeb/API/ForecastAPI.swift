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
            let format = TableFormat.read(parameters, into: &errors)
            try AnalyticsAPI.finish(errors)
            let report = try await AnalyticsAPI.answering {
                try await ForecastReport.build(query, for: context.actor, in: database, currency: settings.baseCurrency,
                                               today: LocalDate(config.now(), in: settings.timeZone))
            }
            return try AnalyticsAPI.answer(report, format: format, table: report.csv, name: "forecast")
        }
        api.get("/forecast/accounts") { request, context -> Response in
            let settings = try await database.companySettings()
            var errors = ValidationFailure.Collector()
            let parameters = request.uri.queryParameters
            let query = Self.runRateQuery(parameters, into: &errors)
            let format = TableFormat.read(parameters, into: &errors)
            try AnalyticsAPI.finish(errors)
            let report = try await RunRateReport.build(query, for: context.actor, in: database, currency: settings.baseCurrency,
                                                       today: LocalDate(config.now(), in: settings.timeZone))
            return try AnalyticsAPI.answer(report, format: format, table: report.csv, name: "expected-orders")
        }
        api.get("/forecast/adjustments") { request, context -> Response in
            let settings = try await database.companySettings()
            let current = Period(.month, containing: LocalDate(config.now(), in: settings.timeZone))
            var errors = ValidationFailure.Collector()
            let from = Self.month(request.uri.queryParameters["from"], "from", into: &errors) ?? current
            let to = Self.month(request.uri.queryParameters["to"], "to", into: &errors) ?? Period(.month, containing: current.start.adding(months: 11))
            errors.check(from <= to, "to", "must not be before from")
            try AnalyticsAPI.finish(errors)
            let adjustments = try await database.forecastAdjustments(for: context.actor, months: from...max(from, to))
            return try JSONBody.response(["items": adjustments.map(AdjustmentDTO.init)])
        }
        api.put("/forecast/adjustments/:user/:month") { request, context -> Response in
            let (user, month) = try Self.target(context)
            let body = try await JSONBody.decode(AdjustmentBody.self, from: request)
            guard let amount = body.amountMinor else {
                throw ValidationFailure([.invalid(field: "amountMinor", reason: "is required (DELETE clears an adjustment)")])
            }
            let saved = try await database.setForecastAdjustment(user: user, month: month, amountMinor: amount, note: body.note,
                                                                 expectedVersion: try Versioning.expectedVersion(request), by: context.actor,
                                                                 at: config.now(), address: context.address)
            guard let saved else { return Response(status: .noContent) }
            return try Versioning.response(AdjustmentDTO(saved), version: saved.version)
        }
        api.delete("/forecast/adjustments/:user/:month") { request, context -> Response in
            let (user, month) = try Self.target(context)
            try await database.setForecastAdjustment(user: user, month: month, amountMinor: nil, note: nil,
                                                     expectedVersion: try Versioning.expectedVersion(request), by: context.actor,
                                                     at: config.now(), address: context.address)
            return Response(status: .noContent)
        }
    }

    struct AdjustmentBody: Decodable {
        let amountMinor: Int64?
        let note: String?
    }

    struct AdjustmentDTO: Encodable {
        let userId: Int64
        let month: String
        let amountMinor: Int64
        let note: String?
        let adjustedBy: Int64
        let adjustedAt: Date
        let version: Int64

        init(_ a: ForecastAdjustment) {
            userId = a.userID.rawValue; month = a.month.label; amountMinor = a.amountMinor; note = a.note
            adjustedBy = a.adjustedBy.rawValue; adjustedAt = a.adjustedAt; version = a.version
        }
    }

    /// The rep and month of `/forecast/adjustments/{user}/{month}`; a month that is not one answers 400 at `month`.
    static func target(_ context: SignedInContext) throws -> (User.ID, Period) {
        let user = User.ID(try context.parameters.require("user", as: Int64.self))
        var errors = ValidationFailure.Collector()
        let month = Self.month(context.parameters.get("month").map { Substring($0) }, "month", into: &errors)
        try AnalyticsAPI.finish(errors)
        return (user, month!)
    }

    /// A month parameter (YYYY-MM), nil when absent or wrong (the problem noted).
    static func month(_ text: Substring?, _ name: String, into errors: inout ValidationFailure.Collector) -> Period? {
        guard let text else {
            if name == "month" { errors.check(false, name, "is required (YYYY-MM)") }
            return nil
        }
        guard let period = try? Period(label: String(text), field: name), period.grain == .month else {
            errors.check(false, name, "expected a month like 2026-12, got '\(text)'")
            return nil
        }
        return period
    }

    static func runRateQuery(_ parameters: Parameters, into errors: inout ValidationFailure.Collector) -> RunRateReport.Query {
        RunRateReport.Query(scope: scope(parameters, into: &errors),
                            status: AnalyticsParameters.choice(parameters, "status", RunRate.Status?.none, into: &errors),
                            horizon: ListParameters.number(parameters, "horizon", 6, in: 1...24, into: &errors),
                            limit: ListParameters.number(parameters, "limit", 1_000, in: 1...100_000, into: &errors))
    }

    static func scope(_ parameters: Parameters, into errors: inout ValidationFailure.Collector) -> PlanSubject {
        guard let text = parameters["scope"] else { return .company }
        do { return try PlanSubject(String(text), field: "scope") } catch {
            errors.check(false, error.field, error.reason)
            return .company
        }
    }

    static func query(_ parameters: Parameters, into errors: inout ValidationFailure.Collector) -> ForecastReport.Query {
        let scope = scope(parameters, into: &errors)
        return ForecastReport.Query(scope: scope, horizon: ListParameters.number(parameters, "horizon", 6, in: 1...24, into: &errors),
                                    past: ListParameters.number(parameters, "past", 12, in: 0...36, into: &errors),
                                    by: AnalyticsParameters.choice(parameters, "by", ForecastReport.Split?.none, into: &errors),
                                    top: ListParameters.number(parameters, "top", 8, in: 1...50, into: &errors))
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
