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
            return try Self.answer(report, format: query.shared.format, table: report.csv, name: "dynamics-\(report.measure)")
        }
        api.get("/analytics/abc") { request, context -> Response in
            let settings = try await database.companySettings()
            let query = try Self.abcQuery(request.uri.queryParameters, today: LocalDate(config.now(), in: settings.timeZone))
            let report = try await Self.answering { try await ABCReport.build(query, for: context.actor, in: database, currency: settings.baseCurrency) }
            return try Self.answer(report, format: query.shared.format, table: report.csv, name: "abc-\(report.subject)")
        }
        api.get("/analytics/xyz") { request, context -> Response in
            let settings = try await database.companySettings()
            let query = try Self.xyzQuery(request.uri.queryParameters, today: LocalDate(config.now(), in: settings.timeZone))
            let report = try await Self.answering { try await XYZReport.build(query, for: context.actor, in: database) }
            return try Self.answer(report, format: query.shared.format, table: report.csv, name: "xyz-\(report.subject)")
        }
        api.get("/analytics/abc-xyz") { request, context -> Response in
            let settings = try await database.companySettings()
            let query = try Self.xyzQuery(request.uri.queryParameters, today: LocalDate(config.now(), in: settings.timeZone))
            let report = try await Self.answering { try await ABCXYZReport.build(query, for: context.actor, in: database) }
            return try Self.answer(report, format: query.shared.format, table: report.csv, name: "abc-xyz-\(report.subject)")
        }
        for kind in [SegmentReport.Kind.territory, .channels] {
            api.get(RouterPath("/analytics/" + kind.rawValue)) { request, context -> Response in
                let settings = try await database.companySettings()
                let shared = try Self.sharedQuery(request.uri.queryParameters, today: LocalDate(config.now(), in: settings.timeZone))
                let report = try await Self.answering {
                    try await SegmentReport.build(kind, shared, for: context.actor, in: database, currency: settings.baseCurrency)
                }
                return try Self.answer(report, format: shared.format, table: report.csv, name: kind.rawValue)
            }
        }
        api.get("/analytics/concentration") { request, context -> Response in
            let settings = try await database.companySettings()
            let (shared, top) = try Self.concentrationQuery(request.uri.queryParameters, today: LocalDate(config.now(), in: settings.timeZone))
            let report = try await Self.answering {
                try await ConcentrationReport.build(shared, top: top, for: context.actor, in: database, currency: settings.baseCurrency)
            }
            return try Self.answer(report, format: shared.format, table: report.csv, name: "concentration")
        }
        api.get("/analytics/migration") { request, context -> Response in
            let settings = try await database.companySettings()
            var errors = ValidationFailure.Collector()
            let query = Self.migrationQuery(request.uri.queryParameters, today: LocalDate(config.now(), in: settings.timeZone), into: &errors)
            try Self.finish(errors)
            let report = try await MigrationReport.build(query, for: context.actor, in: database, currency: settings.baseCurrency)
            return try Self.answer(report, format: query.format, table: report.csv, name: "migration")
        }
        api.get("/analytics/migration/customers") { request, context -> Response in
            let settings = try await database.companySettings()
            let parameters = request.uri.queryParameters
            var errors = ValidationFailure.Collector()
            let query = Self.migrationQuery(parameters, today: LocalDate(config.now(), in: settings.timeZone), into: &errors)
            let from = AnalyticsParameters.choice(parameters, "from", CustomerCategory?.none, into: &errors)
            let to = AnalyticsParameters.choice(parameters, "to", CustomerCategory?.none, into: &errors)
            let limit = ListParameters.number(parameters, "limit", 1_000, in: 1...100_000, into: &errors)
            try Self.finish(errors)
            let rows = try await MigrationReport.customers(query, from: from, to: to, limit: limit, for: context.actor, in: database)
            let list = MigrationReport.CustomerList(currency: settings.baseCurrency.code, items: rows)
            return try Self.answer(list, format: query.format, table: MigrationReport.csv(rows), name: "migration-customers")
        }
        api.get("/analytics/products") { request, context -> Response in
            let settings = try await database.companySettings()
            let (shared, limit) = try Self.listedQuery(request.uri.queryParameters, today: LocalDate(config.now(), in: settings.timeZone))
            let report = try await Self.answering {
                try await ProductsReport.build(shared, limit: limit, for: context.actor, in: database, currency: settings.baseCurrency)
            }
            return try Self.answer(report, format: shared.format, table: report.csv, name: "products")
        }
        api.get("/analytics/retention") { request, context -> Response in
            let settings = try await database.companySettings()
            let (shared, limit) = try Self.listedQuery(request.uri.queryParameters, today: LocalDate(config.now(), in: settings.timeZone))
            let report = try await Self.answering {
                try await RetentionReport.build(shared, limit: limit, for: context.actor, in: database, currency: settings.baseCurrency)
            }
            return try Self.answer(report, format: shared.format, table: report.csv, name: "churn-risk")
        }
        api.get("/analytics/funnel") { request, context -> Response in
            let settings = try await database.companySettings()
            let parameters = request.uri.queryParameters
            let today = LocalDate(config.now(), in: settings.timeZone)
            let (shared, pipeline) = try Self.funnelQuery(parameters, today: today)
            let report = try await Self.answering {
                try await FunnelReport.build(pipeline: pipeline, shared, for: context.actor, in: database, settings: settings, today: today)
            }
            return try Self.answer(report, format: shared.format, table: report.csv, name: "funnel")
        }
    }

    /// The report as JSON, or its table as CSV or XLSX when asked.
    static func answer(_ report: some Encodable, format: TableFormat, table: @autoclosure () -> (header: [String], rows: [[String?]]),
                       name: String) throws -> Response {
        try format.table(name: name, table) ?? JSONBody.response(report)
    }

    /// P1 and P2 (default: the last whole quarter before today, and the quarter before it); `manager` here is the
    /// accounts' owner, the other filters narrow the orders as everywhere.
    static func migrationQuery(_ parameters: Parameters, today: LocalDate, into errors: inout ValidationFailure.Collector) -> MigrationReport.Query {
        let quarter = Period(.quarter, containing: today).previous
        let p2 = AnalyticsParameters.window(parameters, "p2From", "p2To", default: (quarter.start, quarter.end.adding(days: -1)), into: &errors)
        let before = quarter.previous
        let p1 = AnalyticsParameters.window(parameters, "p1From", "p1To", default: (before.start, before.end.adding(days: -1)), into: &errors)
        var filter = AnalyticsParameters.filter(parameters, into: &errors)
        let owner = filter.managerID
        filter.managerID = nil
        return MigrationReport.Query(p1: p1, p2: p2, accountOwner: owner, filter: filter, format: TableFormat.read(parameters, into: &errors))
    }

    static func abcQuery(_ parameters: Parameters, today: LocalDate) throws -> ABCReport.Query {
        var errors = ValidationFailure.Collector()
        let shared = AnalyticsParameters.read(parameters, today: today, into: &errors)
        let query = ABCReport.Query(
            subject: AnalyticsParameters.choice(parameters, "subject", AnalysisSubject.customer, into: &errors)!,
            measure: AnalyticsParameters.choice(parameters, "measure", SalesMeasure.revenue, allowed: [.revenue, .margin, .quantity],
                                                into: &errors)!,
            only: AnalyticsParameters.choice(parameters, "class", ABCClass?.none, into: &errors),
            limit: ListParameters.number(parameters, "limit", 1_000, in: 1...100_000, into: &errors), shared: shared)
        try finish(errors)
        return query
    }

    static func xyzQuery(_ parameters: Parameters, today: LocalDate) throws -> XYZReport.Query {
        var errors = ValidationFailure.Collector()
        let shared = AnalyticsParameters.read(parameters, today: today, into: &errors)
        let query = XYZReport.Query(
            subject: AnalyticsParameters.choice(parameters, "subject", AnalysisSubject.customer, into: &errors)!,
            measure: AnalyticsParameters.choice(parameters, "measure", SalesMeasure.revenue, allowed: [.revenue, .quantity], into: &errors)!,
            only: AnalyticsParameters.choice(parameters, "class", XYZClass?.none, into: &errors),
            limit: ListParameters.number(parameters, "limit", 1_000, in: 1...100_000, into: &errors), shared: shared)
        try finish(errors)
        return query
    }

    /// The window and filters every analysis takes, and nothing else.
    static func sharedQuery(_ parameters: Parameters, today: LocalDate) throws -> AnalyticsParameters {
        var errors = ValidationFailure.Collector()
        let shared = AnalyticsParameters.read(parameters, today: today, into: &errors)
        try finish(errors)
        return shared
    }

    /// An analysis with a list: how many rows it holds (`limit`, 1 000 unless asked).
    static func listedQuery(_ parameters: Parameters, today: LocalDate) throws -> (AnalyticsParameters, limit: Int) {
        try countedQuery(parameters, today: today, "limit", 1_000, in: 1...100_000)
    }

    /// Concentration: how many of the largest customers are listed (`top`, 10 unless asked).
    static func concentrationQuery(_ parameters: Parameters, today: LocalDate) throws -> (AnalyticsParameters, top: Int) {
        try countedQuery(parameters, today: today, "top", 10, in: 1...100)
    }

    private static func countedQuery(_ parameters: Parameters, today: LocalDate, _ name: String, _ default: Int,
                                      in range: ClosedRange<Int>) throws -> (AnalyticsParameters, Int) {
        var errors = ValidationFailure.Collector()
        let shared = AnalyticsParameters.read(parameters, today: today, into: &errors)
        let count = ListParameters.number(parameters, name, `default`, in: range, into: &errors)
        try finish(errors)
        return (shared, count)
    }

    /// The funnel: which pipeline (the first the caller sees unless asked).
    static func funnelQuery(_ parameters: Parameters, today: LocalDate) throws -> (AnalyticsParameters, pipeline: Int64?) {
        var errors = ValidationFailure.Collector()
        let shared = AnalyticsParameters.read(parameters, today: today, into: &errors)
        let pipeline = ListParameters.id(parameters, "pipeline", into: &errors)
        try finish(errors)
        return (shared, pipeline)
    }

    /// Migration as a throwing parser, like the others.
    static func migrationQuery(_ parameters: Parameters, today: LocalDate) throws -> MigrationReport.Query {
        var errors = ValidationFailure.Collector()
        let query = migrationQuery(parameters, today: today, into: &errors)
        try finish(errors)
        return query
    }

    static func dynamicsQuery(_ parameters: Parameters, today: LocalDate) throws -> DynamicsReport.Query {
        var errors = ValidationFailure.Collector()
        let shared = AnalyticsParameters.read(parameters, today: today, into: &errors)
        let measure = AnalyticsParameters.choice(parameters, "measure", SalesMeasure.revenue, into: &errors)!
        let grain = AnalyticsParameters.choice(parameters, "grain", GrainParameter.month, into: &errors)!.grain
        let by = AnalyticsParameters.choice(parameters, "by", SalesDimension?.none, into: &errors)
        let top = ListParameters.number(parameters, "top", 10, in: 1...50, into: &errors)
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
