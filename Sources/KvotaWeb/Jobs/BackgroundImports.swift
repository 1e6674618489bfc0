import Foundation
import KvotaCore
import KvotaImport
import KvotaStore
import Logging
import ServiceLifecycle
import Synchronization

/// The background imports this server is running, with their live progress. The job's row has the progress too, but a
/// SQLite import holds the one writer until it commits, so the row catches up only then; a question to this server
/// is answered from here meanwhile.
public final class RunningImports: Sendable {
    private let meters = Mutex<[ImportJob.ID: ImportProgressMeter]>([:])

    public init() {}

    func progress(of id: ImportJob.ID) -> ImportProgress? { meters.withLock { $0[id]?.progress } }
    fileprivate func add(_ id: ImportJob.ID, _ meter: ImportProgressMeter) { meters.withLock { $0[id] = meter } }
    fileprivate func remove(_ id: ImportJob.ID) { _ = meters.withLock { $0.removeValue(forKey: id) } }
}

/// Runs the background imports that wait (docs/import.md, "In the background"), one at a time: claims the oldest,
/// keeps its claim fresh while it runs, and records its report. A server that stops mid-import leaves the claim to run
/// out; the import's transaction rolls back with the server, and the next round runs the job again from the start.
public struct BackgroundImports: Sendable {
    let database: Database
    let running: RunningImports
    let now: @Sendable () -> Date
    let logger: Logger
    /// How long a claim holds without being renewed; renewed every `hold / 6`.
    let hold: TimeInterval

    public init(database: Database, running: RunningImports, now: @escaping @Sendable () -> Date, logger: Logger, hold: TimeInterval = 60) {
        self.database = database; self.running = running; self.now = now; self.logger = logger; self.hold = hold
    }

    /// Runs the oldest waiting import, if there is one; true when it ran one.
    @discardableResult
    public func round() async throws -> Bool {
        guard let claimed = try await database.claimImport(at: now(), hold: hold) else { return false }
        let id = claimed.job.id
        let meter = ImportProgressMeter()
        meter.update { $0.stage = .reading }
        running.add(id, meter)
        defer { running.remove(id) }
        let heartbeat = Task { [database, now, hold] in
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(hold / 6))
                try await database.touchImport(id, progress: meter.progress, until: now().addingTimeInterval(hold))
            }
        }
        logger.info("background import started", metadata: ["job": "\(id)", "kind": "\(claimed.job.kind)", "attempt": "\(claimed.job.attempts)"])
        let job = claimed.job
        var report: ImportReport?, error: String?
        do {
            report = try await ImportProgressMeter.$current.withValue(meter) {
                try await Importer.run(kind: job.kind, file: claimed.file, mapping: job.mapping, format: ImportFormat(rawValue: job.format) ?? .kvota,
                                       dryRun: job.dryRun, into: database, by: claimed.actor, at: now())
            }
        } catch let failure as ImportFailure {
            error = failure.description
        } catch let denied as AccessDenied {
            // The uploader may not write these records (an analyst's file): said as the API would say it.
            error = denied.description
        } catch where Task.isCancelled {
            // The server is stopping: the import's transaction rolled back, and the job waits for the next round.
            heartbeat.cancel()
            try await database.releaseImport(id)
            return true
        } catch let other {
            // Not the file's fault (the database went away, a bug): its transaction rolled back; the uploader is told
            // to try again, the operator finds the cause in the log.
            logger.error("background import failed", metadata: ["job": "\(id)", "error": "\(other)"])
            error = "the import stopped on an error on our side and wrote nothing; try again, or give the administrator job \(id)"
        }
        heartbeat.cancel()
        try await database.finishImport(id, report: report, error: error, at: now())
        logger.info("background import finished", metadata: ["job": "\(id)", "written": "\(report?.written ?? false)",
                                                             "problems": "\(report?.problems.count ?? 0)"])
        return true
    }
}

/// The import round inside the server: looks for waiting imports every `every`.
struct BackgroundImportSchedule: Service {
    let imports: BackgroundImports
    let every: Duration

    func run() async throws {
        await RepeatingRounds.run("imports", every: every, logger: imports.logger, failure: "background import failed") { [imports] in
            while try await imports.round() {}
        }
    }
}
