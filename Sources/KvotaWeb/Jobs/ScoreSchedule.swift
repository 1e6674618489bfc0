import Foundation
import KvotaCore
import KvotaStore
import Logging
import ServiceLifecycle

/// Keeps the lead and deal scores current inside the server (docs/scoring.md): every `every`, trains both scores
/// again when their training is older than `trainEvery` seconds (or was never done), then rescores every open record.
/// A second server of a cluster does the same work again, which is harmless: training and scoring write whole values.
struct ScoreSchedule: Service {
    /// The job's name in its metrics and its lease.
    static let job = "scores"

    let database: Database
    let every: Duration
    let trainEvery: Int
    let now: @Sendable () -> Date
    let logger: Logger
    /// Set when the round runs on one server at a time (`JobLeaseKeeper`).
    var leases: JobLeaseKeeper?

    func run() async throws {
        await RepeatingRounds.run(Self.job, every: every, leases: leases, logger: logger, failure: "scoring failed") { [database, now, logger, trainEvery] in
            let at = now()
            if try await Self.trainingDue(database, at: at, trainEvery: trainEvery) {
                for summary in try await database.trainScores(at: at) {
                    logger.info("score trained", metadata: [
                        "subject": "\(summary.subject.rawValue)", "method": "\(summary.scorer.method.rawValue)",
                        "closed": "\(summary.scorer.closedRecords)", "seconds": "\(summary.seconds)",
                    ])
                }
            }
            try await database.rescore(at: at)
        }
    }

    static func trainingDue(_ database: Database, at now: Date, trainEvery: Int) async throws -> Bool {
        guard trainEvery > 0 else { return false }
        for (_, stored) in try await database.storedScorers() {
            guard let stored, now.timeIntervalSince(stored.trainedAt) < Double(trainEvery) else { return true }
        }
        return false
    }
}
