import Foundation
import Hummingbird
import KvotaCore
import KvotaStore
import Logging
import ServiceLifecycle

/// The one composition root: opens (or takes) the database, migrates it, optionally loads the demo company, and
/// wires routes and middleware. Tests call it with their own database.
public func buildApplication(_ config: AppConfig, database given: Database? = nil,
                             logger: Logger? = nil) async throws -> some ApplicationProtocol {
    var logger = logger ?? Logger(label: "kvota")
    logger.logLevel = config.logLevel
    var config = config
    if config.secrets == nil { config.secrets = try config.secretKeyFile.map(SecretBox.keyFile) ?? .ephemeral() }
    let secrets = config.secrets!
    let database: Database
    if let given {
        database = given
    } else {
        database = try await Database.open(config.database, logger: logger, preparePostgresReads: config.preparePostgresReads)
    }
    do {
        if config.migrateOnStart {
            try await Migrator.migrate(database, logger: logger)
        }
        if let country = config.defaultCountry, try await database.setDefaultCountryIfUnset(country) {
            logger.info("the company's default country is set", metadata: ["country": "\(country)"])
        }
        try await database.refreshStatistics()
        if let scale = config.demo {
            try await loadDemoIfEmpty(scale: scale, seed: config.demoSeed, database: database, logger: logger)
        }
    } catch {
        if given == nil { await database.close() }
        throw error
    }

    ServerMetrics.bootstrap()
    // The decoy an unknown email's password is checked against is made once, at start and off the serving threads,
    // rather than by the first unknown email, which would take a hash longer than any other sign-in.
    Task.detached(priority: .background) { _ = SignInCheck.decoyHash }
    let pbx = config.ami.map { _ in AMIActions() }
    let imports = RunningImports()
    let router = buildRouter(database: database, config: config, logger: logger, pbx: pbx, imports: imports)
    // Past `maxConnections` the server stops accepting until one closes (the rest wait in the kernel's queue); a
    // connection that sends and reads nothing for `idleSeconds` is closed, so idle or stalled clients do not hold them,
    // and so is one whose request has not arrived whole `requestSeconds` after its head (a slow sender).
    let requestLimit = Int64(config.requestSeconds)
    var app = Application(
        router: router,
        server: .http1(configuration: .init(additionalChannelHandlers: [RequestReadDeadline(limit: .seconds(requestLimit))],
                                            idleTimeout: .seconds(Int64(config.idleSeconds)))),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "kvota",
                             availableConnectionsDelegate: .maximum(config.maxConnections, logger: logger)),
        logger: logger)
    // The database closes last: graceful shutdown stops the server (the last service) first.
    if given == nil { app.addServices(DatabaseService(database: database)) }
    // The jobs that run on one server at a time; imports and webhook deliveries are claimed item by item instead.
    let leased = [(AlertSchedule.job, config.alertsEverySeconds), (ForecastSnapshotSchedule.job, config.snapshotsEverySeconds),
                  (ScoreSchedule.job, config.scoreEverySeconds), (SalesPackingSchedule.job, config.packEverySeconds)].filter { $0.1 > 0 }.map(\.0)
        + (config.ami == nil ? [] : [AMIService.lease])
    let holder = JobLeaseKeeper.holderName(port: config.port)
    let leases = leased.isEmpty ? nil : JobLeaseKeeper(database: database, jobs: leased, holder: holder, term: .seconds(config.leaseSeconds),
                                                       logger: logger)
    // Added after the database's service, so it stops before the database closes; the jobs after the keeper, so they
    // stop before it gives their leases up.
    if let leases { app.addServices(leases) }
    if config.alertsEverySeconds > 0 {
        app.addServices(AlertSchedule(database: database, every: .seconds(config.alertsEverySeconds), now: config.now, logger: logger, leases: leases))
    }
    if config.snapshotsEverySeconds > 0 {
        app.addServices(ForecastSnapshotSchedule(database: database, every: .seconds(config.snapshotsEverySeconds), now: config.now, logger: logger,
                                                 leases: leases))
    }
    if config.scoreEverySeconds > 0 {
        app.addServices(ScoreSchedule(database: database, every: .seconds(config.scoreEverySeconds), trainEvery: config.trainEverySeconds,
                                      now: config.now, logger: logger, leases: leases))
    }
    if config.packEverySeconds > 0 {
        app.addServices(SalesPackingSchedule(database: database, every: .seconds(config.packEverySeconds), now: config.now, logger: logger,
                                             leases: leases))
    }
    if config.importsEverySeconds > 0 {
        app.addServices(BackgroundImportSchedule(imports: BackgroundImports(database: database, running: imports, now: config.now, logger: logger),
                                                 every: .seconds(config.importsEverySeconds)))
    }
    if config.webhooksEverySeconds > 0 {
        app.addServices(WebhookSchedule(database: database, secrets: secrets, every: .seconds(config.webhooksEverySeconds), now: config.now,
                                        logger: logger))
    }
    if let ami = config.ami, let pbx {
        app.addServices(AMIService(endpoint: ami, database: database, now: config.now, logger: logger, actions: pbx, leases: leases))
    }
    return app
}

func buildRouter(database: Database, config: AppConfig, logger: Logger, pbx: AMIActions? = nil,
                 imports: RunningImports = RunningImports()) -> Router<AppRequestContext> {
    // buildApplication gives every server its key; a router built alone (the OpenAPI test) seals with a passing one.
    let secrets = config.secrets ?? .ephemeral()
    // Analyses, on pages and in the API, queue behind one gate, so that many at once do not hold many sets of arrays.
    let gate = AnalysisGate(atOnce: config.analysesAtOnce)
    let router = Router(context: AppRequestContext.self)
    // Outermost, so that error pages carry the headers too.
    router.add(middleware: SecurityHeadersMiddleware())
    // Counts every request by its route's pattern (a record's id is not a label), its method and its status.
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ErrorMiddleware())
    HealthRoutes(database: database).register(on: router)
    MetricsRoutes(database: database, token: config.metricsToken, now: config.now, analyses: gate.permits.meter).register(on: router)
    OpenAPIDocument.register(on: router)
    StaticAssets.register(on: router)
    router.add(middleware: AuthenticationMiddleware(database: database, config: config))
    router.add(middleware: MethodNotAllowedMiddleware())
    router.add(middleware: RequestInputMiddleware())

    // Routes in these groups see a SignedInContext, which exists only for a signed-in caller.
    // One bucket a person for pages and API alike.
    let rate = PersonRateLimitMiddleware(
        limiter: config.requestsPerMinute > 0 ? PersonRateLimiter(perMinute: config.requestsPerMinute, burst: max(10, config.requestsPerMinute / 6))
            : nil,
        now: config.now)
    let signedIn = router.group(context: SignedInContext.self)
        .add(middleware: ProblemLanguageMiddleware())
        .add(middleware: rate)
    let api = router.group("/api/v1", context: SignedInContext.self)
        .add(middleware: ProblemLanguageMiddleware())
        .add(middleware: rate)
        .add(middleware: IdempotencyMiddleware(database: database, now: config.now))
    let check = SignInCheck(database: database, settings: config.signIn, logger: logger)
    SignInRoutes(database: database, config: config, check: check).register(public: router, signedIn: signedIn)
    let pages = PageContexts(database: database, config: config)
    ProfileRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    MyDayRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    BoardRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    DealRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    OrderDeskRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    AccountRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    LeadRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    TeamRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    PlansRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    PlanRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    PlanSplitRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    PayRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    PlanBoardRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    SchemeRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    KPITargetRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    SwotRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    SurveyRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    LibraryRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    TrainingRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    SurveyAnswerRoutes(database: database, config: config).register(public: router)
    CalendarFeedRoutes(database: database, config: config).register(public: router)
    WebFormRoutes(database: database, config: config, limiter: FormPostLimiter(rates: config.formPostRates)).register(public: router)
    ReviewRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    let analysisPages = signedIn.group().add(middleware: gate)
    let analysisAPI = api.group().add(middleware: gate)
    AnalyticsRoutes(database: database, config: config, pages: pages).register(on: analysisPages)
    ForecastRoutes(database: database, config: config, pages: pages).register(on: analysisPages)
    ContactRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    OrderRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    AdminRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    ScoringRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    IntakeRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    WebhookRoutes(database: database, config: config, secrets: secrets, pages: pages).register(on: signedIn)
    ImportRoutes(database: database, config: config, pages: pages, running: imports).register(on: signedIn)
    AlertRoutes(database: database, config: config, pages: pages).register(on: signedIn)
    let lists = ListRoutes(database: database, config: config, pages: pages)
    lists.register(CustomerLists.accounts(AccountsAPI(database: database, config: config).routes), on: signedIn)
    lists.register(CustomerLists.contacts(ContactsAPI(database: database, config: config).routes), on: signedIn)
    lists.register(SalesLists.leads(LeadsAPI(database: database, config: config).routes), on: signedIn)
    lists.register(SalesLists.deals(DealsAPI(database: database, config: config).routes), on: signedIn)
    lists.register(SalesLists.activities(ActivitiesAPI(database: database, config: config).routes), on: signedIn)
    lists.register(CatalogueLists.orders(OrdersAPI(database: database, config: config).routes), on: signedIn)
    lists.register(CatalogueLists.products(ProductsAPI(database: database, config: config).routes), on: signedIn)
    AuthAPI(database: database, config: config, check: check).register(public: router, signedIn: signedIn)
    UsersAPI(database: database, config: config).register(on: api)
    TeamsAPI(database: database, config: config).register(on: api)
    TokensAPI(database: database, config: config).register(on: api)
    WebhooksAPI(database: database, config: config, secrets: secrets).register(on: api)
    CalendarFeedAPI(database: database, config: config).register(on: api)
    AuditAPI(database: database).register(on: api)
    RegionsAPI(database: database, config: config).register(on: api)
    SettingsAPI(database: database, config: config).register(on: api)
    LeadSourcesAPI(database: database, config: config).register(on: api)
    AccountsAPI(database: database, config: config).routes.register(on: api)
    ContactsAPI(database: database, config: config).routes.register(on: api)
    let leads = LeadsAPI(database: database, config: config)
    leads.routes.register(on: api)
    leads.registerConversion(on: api)
    let deals = DealsAPI(database: database, config: config)
    deals.routes.register(on: api)
    deals.registerHistory(on: api)
    deals.registerLines(on: api)
    ActivitiesAPI(database: database, config: config).routes.register(on: api)
    let orders = OrdersAPI(database: database, config: config)
    orders.routes.register(on: api)
    orders.registerLines(on: api)
    let products = ProductsAPI(database: database, config: config)
    products.routes.register(on: api)
    products.registerExtras(on: api)
    PipelinesAPI(database: database, config: config).register(on: api)
    LossReasonsAPI(database: database, config: config).register(on: api)
    PlansAPI(database: database, config: config).register(on: api)
    PayAPI(database: database, config: config).register(on: api)
    ImportsAPI(database: database, config: config, running: imports).register(on: api)
    SearchAPI(database: database).register(on: api)
    DuplicatesAPI(database: database, config: config).register(on: api)
    CustomFieldsAPI(database: database, config: config).register(on: api)
    AnalyticsAPI(database: database, config: config).register(on: analysisAPI)
    ForecastAPI(database: database, config: config).register(on: analysisAPI)
    ScoringAPI(database: database, config: config).register(on: api)
    KPIsAPI(database: database, config: config).register(on: analysisAPI)
    DailyMeetingAPI(database: database, config: config).register(on: api)
    WeeklySummaryAPI(database: database, config: config).register(on: api)
    AlertsAPI(database: database, config: config).register(on: api)
    KPITargetsAPI(database: database, config: config).register(on: api)
    SwotAPI(database: database, config: config).register(on: api)
    SurveysAPI(database: database, config: config).register(on: api)
    LibraryAPI(database: database, config: config).register(on: api)
    TrainingAPI(database: database, config: config).register(on: api)
    TelephonyAPI(database: database, config: config).register(on: api)
    InboundAPI(database: database, config: config).register(on: api)
    IntakeSetupAPI(database: database, config: config).register(on: api)
    let calls = ClickToCall(database: database, config: config, pbx: pbx)
    CallsAPI(calls: calls).register(on: api)
    ClickToCallRoutes(calls: calls, config: config).register(on: signedIn)
    ReviewsAPI(database: database, config: config).register(on: api)
    return router
}

/// `serve --demo`: generate the demo company only into an empty database, so a restart keeps what users changed.
func loadDemoIfEmpty(scale: DemoScale, seed: UInt64, database: Database, logger: Logger) async throws {
    let counts = try await database.tableCounts()
    guard counts.values.allSatisfy({ $0 == 0 }) else {
        logger.info("database holds data; demo company not generated")
        return
    }
    let timeZone = TimeZone(identifier: "Europe/Stockholm")!
    let options = DemoOptions(scale: scale, seed: seed, asOf: LocalDate(Date(), in: timeZone), timeZone: timeZone)
    logger.info("generating the demo company", metadata: ["scale": "\(scale)", "seed": "\(seed)"])
    let started = ContinuousClock.now
    let summary = try await DemoLoader.load(options, into: database, logger: logger)
    logger.info("demo company ready", metadata: [
        "records": "\(summary.totalRecords)", "seconds": "\(started.duration(to: .now).seconds)",
    ])
    // The one time these passwords exist in clear: the operator who asked for the demo reads them in the log.
    let signIns = try await DemoSignIns.prepare(database, at: Date())
    logger.notice("demo sign-in", metadata: ["password": .string(signIns.password),
                                             "accounts": .string(signIns.accounts.map { "\($0.role.rawValue)=\($0.email)" }
                                                 .joined(separator: " "))])
}

/// Keeps the database open while the server runs and closes it after the server has stopped.
struct DatabaseService: Service {
    let database: Database

    func run() async throws {
        try? await gracefulShutdown()
        await database.close()
    }
}
