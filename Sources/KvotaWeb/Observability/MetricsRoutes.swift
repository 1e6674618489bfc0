import Foundation
import Hummingbird
import KvotaStore
import Prometheus
import Synchronization

/// `GET /metrics` in Prometheus's text format, for a scraper that brings the metrics token as a bearer token
/// (`KVOTA_METRICS_TOKEN`). With no token configured the endpoint is off (404): route names, pool sizes and queue
/// depths are nobody's business on a server that faces the internet.
///
/// Registered before the authentication middleware, which would take the metrics token for an unknown API token, and
/// answered here, not thrown: the error middleware turns a 401 outside `/api/` into a redirect to the sign-in page.
struct MetricsRoutes {
    let database: Database
    let token: String?
    let now: @Sendable () -> Date
    /// The analysis gate's permits.
    let analyses: PoolMeter
    let registry: PrometheusCollectorRegistry
    let totals: CounterTotals

    init(database: Database, token: String?, now: @escaping @Sendable () -> Date, analyses: PoolMeter,
         registry: PrometheusCollectorRegistry = ServerMetrics.registry) {
        self.database = database; self.token = token; self.now = now; self.analyses = analyses; self.registry = registry
        totals = CounterTotals(registry: registry)
    }

    func register(on router: Router<AppRequestContext>) {
        router.get("/metrics") { request, context -> Response in
            guard let token else {
                return Problem(status: .notFound, detail: "metrics are off; set KVOTA_METRICS_TOKEN to turn them on",
                               requestID: context.id).jsonResponse()
            }
            guard let bearer = request.headers.bearer?.token, Secrets.equal(Secrets.hash(bearer), Secrets.hash(token)) else {
                var problem = Problem(status: .unauthorized, detail: "GET /metrics takes the metrics token as a bearer token",
                                      requestID: context.id)
                problem.headers[.wwwAuthenticate] = #"Bearer realm="metrics""#
                return problem.jsonResponse()
            }
            await readNow(context: context)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }

    /// Sets what is read at a scrape rather than counted as it happens.
    private func readNow(context: AppRequestContext) async {
        let engine = database.engine.rawValue
        for (name, meter) in database.pools {
            let use = meter.reading
            let labels = [("engine", engine), ("pool", name)]
            gauge("db_pool", "size", "connections the pool may lend", labels).set(Double(use.size))
            gauge("db_pool", "lent", "connections in use", labels).set(Double(use.lent))
            gauge("db_pool", "waiting", "callers waiting for a connection", labels).set(Double(use.waiting))
            totals.follow(Self.descriptor("db_pool", "leases", "total", "connections lent since start"), labels: labels,
                          total: Double(use.leases))
            totals.follow(Self.descriptor("db_pool", "wait_seconds", "total", "time callers waited for a connection"), labels: labels,
                          total: use.waitedSeconds)
        }
        gauge("analyses", "waiting", "analyses waiting for their turn", []).set(Double(analyses.reading.waiting))
        do {
            let backlog = try await database.jobBacklog(at: now())
            for (queue, state) in [("webhooks", backlog.webhooks), ("imports", backlog.imports)] {
                gauge("job_queue", "due", "items due and not yet done", [("queue", queue)]).set(Double(state.due))
                gauge("job_queue", "lag", "how long the oldest due item has waited", [("queue", queue)], unit: "seconds")
                    .set(state.oldestSeconds)
            }
        } catch {
            // A scrape still shows the rest; the queues' gauges keep their last value, and the log says why.
            context.logger.error("reading the job queues for /metrics failed", metadata: ["error": "\(error)"])
        }
    }

    private func gauge(_ subsystem: String, _ name: String, _ help: String, _ labels: [(String, String)], unit: String = "") -> Gauge {
        registry.makeGauge(descriptor: Self.descriptor(subsystem, name, unit, help), labels: labels)
    }

    static func descriptor(_ subsystem: String, _ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "kvota", subsystem: subsystem, metricName: name, unitName: unit, helpText: help)
    }
}

/// Prometheus counters whose totals are kept elsewhere (a pool's meter), brought up to those totals at each scrape.
final class CounterTotals: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let shown = Mutex<[String: Double]>([:])

    init(registry: PrometheusCollectorRegistry) { self.registry = registry }

    func follow(_ descriptor: MetricNameDescriptor, labels: [(String, String)], total: Double) {
        let counter = registry.makeCounter(descriptor: descriptor, labels: labels)
        let key = descriptor.name + labels.map { "|\($0.0)=\($0.1)" }.joined()
        let step = shown.withLock { shown -> Double in
            let step = total - (shown[key] ?? 0)
            if step > 0 { shown[key] = total }
            return step
        }
        if step > 0 { counter.increment(by: step) }
    }
}
