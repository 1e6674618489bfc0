import Foundation
import KvotaStore
import Logging
import ServiceLifecycle

/// Evaluates the alert rules inside the server, with no external cron (issue 8): a round every `every`, each rule at
/// its own cadence, which the database keeps, so a restart or a second server does not evaluate a rule twice as often.
/// A failed round is logged and the next one tries again; alerts are never worth stopping the server for.
struct AlertSchedule: Service {
    /// The job's name in its metrics and its lease.
    static let job = "alerts"

    let database: Database
    let every: Duration
    let now: @Sendable () -> Date
    let logger: Logger
    /// Set when the round runs on one server at a time (`JobLeaseKeeper`).
    var leases: JobLeaseKeeper?

    func run() async throws {
        await RepeatingRounds.run(Self.job, every: every, leases: leases, logger: logger, failure: "alert evaluation failed") { [database, now, logger] in
            let round = try await database.evaluateAlerts(at: now(), onSchedule: true)
            if round.raisedTotal > 0 {
                logger.info("alerts raised", metadata: ["raised": "\(round.raisedTotal)",
                                                        "rules": "\(round.raised.filter { $0.value > 0 }.keys.map(\.rawValue).sorted())"])
            }
        }
    }
}
