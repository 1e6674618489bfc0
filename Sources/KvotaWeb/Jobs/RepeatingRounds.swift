import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// The loop of a job the server runs on its own (alert rounds, forecast snapshots): a round every `every` until the
/// server shuts down, the wait cut short by the shutdown. A round that fails is logged and the next one tries again;
/// such jobs are never worth stopping the server for.
///
/// Each round is measured under the job's name (docs/deployment.md, "Metrics"): its duration, its outcome, and when
/// the last good one ended, which tells a job that stopped succeeding.
///
/// A job given `leases` runs its round only on the server that holds the job's lease; on the others each round is
/// counted as on standby, and one of them takes over when the holder stops.
enum RepeatingRounds {
    static func run(_ job: String, every: Duration, leases: JobLeaseKeeper? = nil, logger: Logger, failure: String,
                    _ round: @Sendable () async throws -> Void) async {
        let dimensions = [("job", job)]
        let duration = Metrics.Timer(label: "kvota.job.round.duration", dimensions: dimensions, preferredDisplayUnit: .seconds)
        let succeeded = Counter(label: "kvota.job.rounds.total", dimensions: dimensions + [("outcome", "ok")])
        let failed = Counter(label: "kvota.job.rounds.total", dimensions: dimensions + [("outcome", "failed")])
        let lastSuccess = Gauge(label: "kvota.job.last_success.timestamp.seconds", dimensions: dimensions)
        let standby = Counter(label: "kvota.job.rounds.total", dimensions: dimensions + [("outcome", "standby")])
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let started = ContinuousClock.now
            if let leases, await !leases.take(job) {
                standby.increment()
            } else {
                do {
                    try await round()
                    duration.record(duration: started.duration(to: .now))
                    succeeded.increment()
                    lastSuccess.record(Date().timeIntervalSince1970)
                } catch {
                    // A round cut short by the shutdown did not fail: every job logged a CancellationError at each stop.
                    if Task.isCancelled || Task.isShuttingDownGracefully { return }
                    duration.record(duration: started.duration(to: .now))
                    failed.increment()
                    logger.error("\(failure)", metadata: ["error": "\(error)"])
                }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: every) }
        }
    }
}
