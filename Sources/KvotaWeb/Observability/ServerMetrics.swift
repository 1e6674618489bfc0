import Metrics
import Prometheus
import Synchronization

/// The process's metrics, shown by `GET /metrics` (docs/deployment.md, "Metrics"). Everything measured while the
/// server runs goes through swift-metrics (Hummingbird's `MetricsMiddleware` for requests, the jobs, the PBX link)
/// into this one Prometheus registry; what is read at a scrape instead (the pools, the queues, the analyses waiting)
/// is set on its gauges then.
enum ServerMetrics {
    static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Mutex(false)

    /// Request durations: finer than swift-prometheus's default below 10 ms, where the read budgets are (p99 under
    /// 10 ms at 8 connections), up to the 10 s no request should take.
    static let requestBuckets: [Duration] = [.milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10),
                                              .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                              .milliseconds(500), .seconds(1), .microseconds(2_500_000), .seconds(5), .seconds(10)]

    /// Points swift-metrics at the registry. swift-metrics takes one bootstrap per process, and a test process builds
    /// many apps, so only the first call does it.
    static func bootstrap() {
        bootstrapped.withLock { done in
            guard !done else { return }
            var factory = PrometheusMetricsFactory(registry: registry)
            factory.durationHistogramBuckets["http.server.request.duration"] = requestBuckets
            MetricsSystem.bootstrap(factory)
            done = true
        }
    }
}
