import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The analytics pages. Each reads its query with the API's own parser and builds the API's own report, so a page, its
/// CSV link and an API call with the same parameters mean one thing; a query that makes no sense shows its problems
/// above the defaults' answer.
struct AnalyticsRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.analytics.route)) { request, context in
            let page = try await pages.pageContext(request, context, section: .analytics)
            let settings = try await database.companySettings()
            let model = try await overview(for: context.actor, settings: settings)
            return page.response(OverviewPage(page: page, model: model, currency: settings.baseCurrency).html())
        }
        signedIn.get(RouterPath(SiteURL.analysis(.dynamics, query: "").route)) { request, context in
            var (form, today, settings) = try await prepare(.dynamics, request, context)
            let query = try read(&form) { try AnalyticsAPI.dynamicsQuery($0, today: today) }
            let report = try await DynamicsReport.build(query, for: context.actor, in: database, currency: settings.baseCurrency)
            return form.page.response(DynamicsPage(form: form, query: query, report: report, currency: settings.baseCurrency).html())
        }
        signedIn.get(RouterPath(SiteURL.analysis(.abc, query: "").route)) { request, context in
            var (form, today, settings) = try await prepare(.abc, request, context)
            var query = try read(&form) { try AnalyticsAPI.abcQuery($0, today: today) }
            // A page lists what a reader reads; the CSV has them all.
            query.limit = min(query.limit, 200)
            let report = try await ABCReport.build(query, for: context.actor, in: database, currency: settings.baseCurrency)
            return form.page.response(ABCPage(form: form, query: query, report: report, currency: settings.baseCurrency).html())
        }
        signedIn.get(RouterPath(SiteURL.analysis(.xyz, query: "").route)) { request, context in
            var (form, today, settings) = try await prepare(.xyz, request, context)
            var query = try read(&form) { try AnalyticsAPI.xyzQuery($0, today: today) }
            query.limit = min(query.limit, 200)
            let report = try await answer(&form) { try await XYZReport.build(query, for: context.actor, in: database) }
            return form.page.response(XYZPage(form: form, query: query, report: report, currency: settings.baseCurrency).html())
        }
        signedIn.get(RouterPath(SiteURL.analysis(.abcXyz, query: "").route)) { request, context in
            var (form, today, settings) = try await prepare(.abcXyz, request, context)
            let query = try read(&form) { try AnalyticsAPI.xyzQuery($0, today: today) }
            let classes = try await answer(&form) { try await ABCXYZReport.classify(query, for: context.actor, in: database) }
            let report = classes.map { ABCXYZReport(query, $0) }
            var cell: ABCXYZPage.Cell?
            if let classes, let abc = form.value("abc").flatMap(ABCClass.init(rawValue:)),
               let xyz = form.value("xyz").flatMap(XYZClass.init(rawValue:)) {
                cell = .init(abc: abc, xyz: xyz, members: try await ABCXYZReport.members(of: classes, subject: query.subject, abc: abc, xyz: xyz,
                                                                                          limit: 200, in: database))
            }
            return form.page.response(ABCXYZPage(form: form, query: query, report: report, cell: cell, currency: settings.baseCurrency).html())
        }
        signedIn.get(RouterPath(SiteURL.analysis(.migration, query: "").route)) { request, context in
            var (form, today, settings) = try await prepare(.migration, request, context)
            let query = try read(&form) { try AnalyticsAPI.migrationQuery($0, today: today) }
            let moves = try await MigrationReport.moves(query, for: context.actor, in: database)
            let report = try await MigrationReport.build(query, moves, in: database, currency: settings.baseCurrency)
            var cell: MigrationPage.Cell?
            let from = form.value("from").flatMap(CustomerCategory.init(rawValue:)), to = form.value("to").flatMap(CustomerCategory.init(rawValue:))
            if from != nil || to != nil {
                cell = .init(from: from, to: to, customers: try await MigrationReport.customers(among: moves, from: from, to: to, limit: 500,
                                                                                                 in: database))
            }
            return form.page.response(MigrationPage(form: form, query: query, report: report, cell: cell, currency: settings.baseCurrency).html())
        }
        for kind in [SegmentReport.Kind.territory, .channels] {
            let analysis: AnalysisPage = kind == .territory ? .territory : .channels
            signedIn.get(RouterPath(SiteURL.analysis(analysis, query: "").route)) { request, context in
                var (form, today, settings) = try await prepare(analysis, request, context)
                let shared = try read(&form) { try AnalyticsAPI.sharedQuery($0, today: today) }
                let report = try await SegmentReport.build(kind, shared, for: context.actor, in: database, currency: settings.baseCurrency)
                return form.page.response(SegmentPage(form: form, kind: kind, window: shared.window, report: report,
                                                      currency: settings.baseCurrency).html())
            }
        }
        signedIn.get(RouterPath(SiteURL.analysis(.concentration, query: "").route)) { request, context in
            var (form, today, settings) = try await prepare(.concentration, request, context)
            let (shared, top) = try read(&form) { try AnalyticsAPI.concentrationQuery($0, today: today) }
            let report = try await ConcentrationReport.build(shared, top: form.value("top") == nil ? 20 : top, for: context.actor, in: database,
                                                             currency: settings.baseCurrency)
            return form.page.response(ConcentrationPage(form: form, window: shared.window, report: report, currency: settings.baseCurrency).html())
        }
        signedIn.get(RouterPath(SiteURL.analysis(.products, query: "").route)) { request, context in
            var (form, today, settings) = try await prepare(.products, request, context)
            let (shared, limit) = try read(&form) { try AnalyticsAPI.listedQuery($0, today: today) }
            let cell = form.value("abcRevenue").flatMap(ABCClass.init(rawValue:)).flatMap { revenue in
                form.value("abcMargin").flatMap(ABCClass.init(rawValue:)).map { (revenue: revenue, margin: $0) }
            }
            // A cell's products may rank anywhere, so its list reads them all; the page shows 200.
            let report = try await ProductsReport.build(shared, limit: cell == nil ? min(limit, 200) : .max, for: context.actor, in: database,
                                                        currency: settings.baseCurrency)
            return form.page.response(ProductsPage(form: form, window: shared.window, report: report, cell: cell,
                                                   currency: settings.baseCurrency).html())
        }
        signedIn.get(RouterPath(SiteURL.analysis(.retention, query: "").route)) { request, context in
            var (form, today, settings) = try await prepare(.retention, request, context)
            let (shared, limit) = try read(&form) { try AnalyticsAPI.listedQuery($0, today: today) }
            let report = try await RetentionReport.build(shared, limit: min(limit, 200), for: context.actor, in: database,
                                                         currency: settings.baseCurrency)
            return form.page.response(RetentionPage(form: form, window: shared.window, report: report, currency: settings.baseCurrency).html())
        }
        signedIn.get(RouterPath(SiteURL.analysis(.funnel, query: "").route)) { request, context in
            var (form, today, settings) = try await prepare(.funnel, request, context)
            let (shared, pipeline) = try read(&form) { try AnalyticsAPI.funnelQuery($0, today: today) }
            let pipelines = try await database.pipelines(for: context.actor).map { (id: $0.0.id.rawValue, name: $0.0.name) }
            let report = try await answer(&form) {
                try await FunnelReport.build(pipeline: pipeline, shared, for: context.actor, in: database, settings: settings, today: today)
            }
            return form.page.response(FunnelPage(form: form, window: shared.window, pipelines: pipelines, report: report,
                                                 currency: settings.baseCurrency).html())
        }
    }

    /// An analysis that can find the question wrong itself (too short a window for XYZ, an unknown pipeline, a rate
    /// missing): its problems go on the form and the page shows none.
    private func answer<Report>(_ form: inout AnalyticsForm, _ build: () async throws -> Report) async throws -> Report? {
        do {
            return try await build()
        } catch let failure as ValidationFailure {
            form.errors.merge(failure.formErrors(in: form.page.t.language)) { first, _ in first }
            return nil
        }
    }

    private func prepare(_ analysis: AnalysisPage, _ request: Request, _ context: SignedInContext) async throws
        -> (AnalyticsForm, LocalDate, CompanySettings) {
        guard NavSection.analytics.isVisible(to: context.actor) else { throw AccessDenied.forbidden(.list, .order) }
        let page = try await pages.pageContext(request, context, section: .analytics)
        let settings = try await database.companySettings()
        var form = AnalyticsForm(page: page, analysis: analysis, request: request)
        form.regions = try await database.regions()
        form.channels = try await database.channels()
        form.categories = try await database.productCategories()
        let users = try await database.users().sorted { $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending }
        switch AccessPolicy.scope(context.actor, .list, .order) {
        case .all:
            form.managers = users.map { (String($0.id.rawValue), $0.name) }
            form.teams = try await database.teams()
        case .ownedBy(let owners) where owners.count > 1:
            form.managers = users.filter { owners.contains($0.id) }.map { (String($0.id.rawValue), $0.name) }
        default:
            break
        }
        return (form, LocalDate(config.now(), in: settings.timeZone), settings)
    }

    /// The query as the API reads it; when it makes no sense, its problems go on the form and the defaults answer.
    private func read<Query>(_ form: inout AnalyticsForm, _ parse: (Parameters) throws -> Query) throws -> Query {
        do {
            return try parse(form.parameters)
        } catch let invalid as InvalidAnalyticsQuery {
            form.errors = invalid.failure.formErrors(in: form.page.t.language)
            return try parse(Parameters())
        }
    }

    private func overview(for actor: Actor, settings: CompanySettings) async throws -> OverviewPage.Model {
        guard NavSection.analytics.isVisible(to: actor) else { throw AccessDenied.forbidden(.list, .order) }
        let today = LocalDate(config.now(), in: settings.timeZone)
        let month = Period(.month, containing: today)
        let window = try DateWindow(from: month.start, through: today)
        let shared = AnalyticsParameters(window: window, filter: AnalyticsFilter(), format: .json)
        var model = OverviewPage.Model()
        for measure in [SalesMeasure.revenue, .margin] {
            let report = try await DynamicsReport.build(DynamicsReport.Query(measure: measure, grain: .month, by: nil, top: 1, shared: shared),
                                                        for: actor, in: database, currency: settings.baseCurrency)
            if measure == .revenue { model.revenue = report.series.first?.points.last } else { model.margin = report.series.first?.points.last }
        }
        // Movers: each customer this month to date against the same days of last month.
        let slot = SalesDynamics.slots(.month, window: window)[0]
        let now = try await database.salesTotals(for: actor, filter: AnalyticsFilter(), window: window, key: .account)
        let before = try await database.salesTotals(for: actor, filter: AnalyticsFilter(), window: slot.previous, key: .account)
        let changes = Set(now.keys).union(before.keys).map { (id: $0, change: (now[$0]?.revenue ?? 0) - (before[$0]?.revenue ?? 0)) }
        let up = Array(changes.filter { $0.change > 0 }.sorted { ($0.change, -$0.id) > ($1.change, -$1.id) }.prefix(5))
        let down = Array(changes.filter { $0.change < 0 }.sorted { ($0.change, $0.id) < ($1.change, $1.id) }.prefix(5))
        let names = try await database.analyticsNames(.account, ids: Set((up + down).map(\.id)))
        model.up = up.map { .init(id: $0.id, name: names[$0.id] ?? String($0.id), change: $0.change) }
        model.down = down.map { .init(id: $0.id, name: names[$0.id] ?? String($0.id), change: $0.change) }
        // Downgrades over the last two whole quarters, the biggest P1 customers first.
        var errors = ValidationFailure.Collector()
        let migration = AnalyticsAPI.migrationQuery(Parameters(), today: today, into: &errors)
        let moves = try await MigrationReport.moves(migration, for: actor, in: database)
        model.migration = try await MigrationReport.build(migration, moves, in: database, currency: settings.baseCurrency)
        let downgrades = zip(moves.customers, moves.owners).filter { $0.0.isDowngrade }
        model.downgraded = try await MigrationReport.rows(Array(downgrades.sorted { ($0.0.p1Value, -$0.0.id) > ($1.0.p1Value, -$1.0.id) }.prefix(5)),
                                                          in: database)
        let year = try DateWindow(from: today.adding(months: -12).adding(days: 1), through: today)
        model.concentration = try await ConcentrationReport.build(AnalyticsParameters(window: year, filter: AnalyticsFilter(), format: .json), top: 1,
                                                                  for: actor, in: database, currency: settings.baseCurrency)
        // A deal in a currency without a rate leaves the win rate out here; the funnel page says which rate is missing.
        model.funnel = try? await FunnelReport.build(pipeline: nil, shared, for: actor, in: database, settings: settings, today: today)
        return model
    }
}
