import Foundation
import KvotaCore
import KvotaStore
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Holds the leases of the jobs that run on one server at a time when several share a database (the alert, scoring,
/// snapshot and packing rounds, the PBX's events): every third of the lease's term it takes each job's lease or
/// renews it, and on a graceful stop gives them up so another server takes over at once. A server that dies stops
/// renewing, and another takes its jobs once the term has run out (docs/deployment.md, "Several servers").
///
/// A job asks `holds` before its round, which is true only while this server's last renewal is surely still good:
/// the term is counted from before the renewal was sent, on this process's monotonic clock, less a fifth for another
/// server's clock being ahead of this one's (each compares the row's end with its own time). A server cut off from
/// the database therefore starts no round once another may have taken the lease.
final class JobLeaseKeeper: Service, Sendable {
    let database: Database
    let jobs: [String]
    /// This process, as the lease rows name it: host, port, pid and a random part, so that a restarted server is a
    /// new holder and does not inherit the lease its predecessor's rounds may still be inside.
    let holder: String
    let term: Duration
    let logger: Logger
    private let goodUntil = Mutex<[String: ContinuousClock.Instant]>([:])

    init(database: Database, jobs: [String], holder: String, term: Duration, logger: Logger) {
        self.database = database; self.jobs = jobs; self.holder = holder; self.term = term; self.logger = logger
    }

    static func holderName(port: Int) -> String {
        "\(ProcessInfo.processInfo.hostName):\(port) pid \(ProcessInfo.processInfo.processIdentifier) "
            + String(UUID().uuidString.prefix(8)).lowercased()
    }

    func holds(_ job: String) -> Bool {
        goodUntil.withLock { $0[job].map { ContinuousClock.now < $0 } ?? false }
    }

    /// Takes or renews one job's lease now and answers whether this server holds it: a round asks this first, so a
    /// server that has just started runs its first round without waiting for the keeper's turn.
    @discardableResult
    func take(_ job: String) async -> Bool {
        let asked = ContinuousClock.now
        let sent = Date()
        let held: Bool
        do {
            held = try await database.holdLease(job, holder: holder, until: sent.addingTimeInterval(term.seconds), at: sent)
        } catch {
            // Not known to be held: the last renewal's term still counts, and the next try may get through. A server
            // that is stopping says nothing of it.
            if !(error is CancellationError || Task.isCancelled) {
                logger.warning("the job's lease could not be renewed", metadata: ["job": "\(job)", "error": "\(error)"])
            }
            return holds(job)
        }
        let until = asked + term - term / 5
        let had = goodUntil.withLock { good in
            defer { good[job] = held ? until : nil }
            return good[job].map { ContinuousClock.now < $0 } ?? false
        }
        if held != had {
            logger.info(held ? "took the job's lease" : "another server holds the job's lease", metadata: ["job": "\(job)", "holder": "\(holder)"])
        }
        Gauge(label: "kvota.job.lease.held", dimensions: [("job", job)]).record(held ? 1 : 0)
        return held
    }

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            for job in jobs { await take(job) }
            try? await cancelWhenGracefulShutdown { [term] in try await Task.sleep(for: term / 3) }
        }
        // The jobs' services stop before this one (they were added after it), so no round is still running here.
        let held = goodUntil.withLock { good in defer { good = [:] }; return Array(good.keys) }
        for job in held {
            do {
                try await database.releaseLease(job, holder: holder)
                Gauge(label: "kvota.job.lease.held", dimensions: [("job", job)]).record(0)
            } catch {
                // A server cancelled outright (it could not open its port) cannot reach the database any more.
                guard !(error is CancellationError || Task.isCancelled) else { continue }
                logger.warning("the job's lease was not given up; it runs out by itself", metadata: ["job": "\(job)", "error": "\(error)"])
            }
        }
    }
}
