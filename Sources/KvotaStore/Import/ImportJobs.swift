import Foundation
import KvotaCore
import SQLKit

/// A background import taken by a server's round: the job, the file, and the uploader it runs as.
public struct ClaimedImport: Sendable {
    public let job: ImportJob
    public let file: Data
    public let actor: Actor
}

/// The queue of background imports (docs/import.md, "In the background"). A round claims the oldest waiting job for a
/// while and keeps the claim fresh as it runs; a job whose server stopped (its claim ran out) is taken again and run
/// from the start, its first run's transaction having rolled back.
extension Database {
    /// Queues an import of `file` for `actor`. What the import may write is checked when it runs, row by row, as for
    /// an import in a request.
    public func queueImport(kind: String, format: String, mapping: [String: String], dryRun: Bool, file: Data, by actor: Actor,
                            at now: Date) async throws -> ImportJob {
        _ = try AccessPolicy.require(actor, .create, .importJob)
        let mappingJSON = try Self.jsonText(mapping)
        let progress = try Self.jsonText(ImportProgress())
        return try await write { sql in
            let row = try await sql.raw("""
                INSERT INTO import_jobs (kind, format, mapping, dry_run, file_base64, file_bytes, status, progress, created_by, created_at)
                VALUES (\(bind: kind), \(bind: format), \(bind: mappingJSON), \(bind: dryRun), \(bind: file.base64EncodedString()),
                        \(bind: file.count), 'queued', \(bind: progress), \(bind: actor.userID.rawValue), \(bind: now.epochMilliseconds))
                RETURNING id
                """).first()
            return try await Self.importJob(.init(try row!.decode(column: "id", as: Int64.self)), in: sql)
        }
    }

    /// The job, for the one who queued it or an admin; anyone else gets the 404 a missing job would.
    public func importJob(_ id: ImportJob.ID, for actor: Actor) async throws -> ImportJob {
        let job = try await read { sql in try await Self.importJob(id, in: sql) }
        try AccessPolicy.require(actor, .read, .importJob, id: id.rawValue, owner: job.createdBy)
        return job
    }

    /// One's own background imports, newest first.
    public func importJobs(for actor: Actor, limit: Int = 20) async throws -> [ImportJob] {
        _ = try AccessPolicy.require(actor, .list, .importJob)
        return try await read { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.importJobColumns) FROM import_jobs WHERE created_by = \(bind: actor.userID.rawValue)
                ORDER BY id DESC LIMIT \(bind: limit)
                """).all().map(Self.importJob(from:))
        }
    }

    /// Times a job is taken before Kvota gives up on it: a file that stops every server that runs it is not run forever.
    public static let importAttempts = 3

    /// Takes the oldest job that waits, or runs on a server whose claim ran out, for `hold`.
    public func claimImport(at now: Date, hold: TimeInterval) async throws -> ClaimedImport? {
        let at = now.epochMilliseconds
        guard let claimed: (ImportJob, Data) = try await write({ sql in
            guard let row = try await sql.raw("""
                SELECT id, attempts FROM import_jobs
                WHERE status = 'queued' OR (status = 'running' AND claimed_until <= \(bind: at))
                ORDER BY created_at, id LIMIT 1
                """).first() else { return nil }
            let id = try row.decode(column: "id", as: Int64.self)
            if try row.decode(column: "attempts", as: Int.self) >= Self.importAttempts {
                try await sql.raw("""
                    UPDATE import_jobs SET status = 'failed', finished_at = \(bind: at), file_base64 = NULL, claimed_until = NULL,
                        error = \(bind: "the import stopped \(Self.importAttempts) times before it finished (the server stopped or ran out of memory); nothing was written")
                    WHERE id = \(bind: id)
                    """).run()
                return nil
            }
            // The claim repeats the condition, so of two servers that read the same job one takes it.
            guard try await sql.raw("""
                UPDATE import_jobs SET status = 'running', attempts = attempts + 1, started_at = \(bind: at),
                    claimed_until = \(bind: now.addingTimeInterval(hold).epochMilliseconds)
                WHERE id = \(bind: id) AND (status = 'queued' OR (status = 'running' AND claimed_until <= \(bind: at)))
                RETURNING id
                """).first() != nil else { return nil }
            let file = try await sql.raw("SELECT file_base64 FROM import_jobs WHERE id = \(bind: id)").first()?
                .decode(column: "file_base64", as: String?.self)
            return (try await Self.importJob(.init(id), in: sql), file.flatMap { Data(base64Encoded: $0) } ?? Data())
        }) else { return nil }
        let (job, file) = claimed
        guard let (_, actor) = try await signedInUser(job.createdBy) else {
            try await finishImport(job.id, report: nil, error: "user \(job.createdBy) who queued it is no longer active", at: now)
            return nil
        }
        return ClaimedImport(job: job, file: file, actor: actor)
    }

    /// Keeps a running job's claim fresh and records how far it has come.
    public func touchImport(_ id: ImportJob.ID, progress: ImportProgress, until: Date) async throws {
        let text = try Self.jsonText(progress)
        try await write { sql in
            try await sql.raw("""
                UPDATE import_jobs SET progress = \(bind: text), claimed_until = \(bind: until.epochMilliseconds)
                WHERE id = \(bind: id.rawValue) AND status = 'running'
                """).run()
        }
    }

    /// Gives a running job back to the queue (its server is stopping), for the next round to run from the start.
    public func releaseImport(_ id: ImportJob.ID) async throws {
        try await write { sql in
            try await sql.raw("""
                UPDATE import_jobs SET status = 'queued', claimed_until = NULL WHERE id = \(bind: id.rawValue) AND status = 'running'
                """).run()
        }
    }

    /// Records the outcome (a report, or the reason it could not run) and forgets the file.
    public func finishImport(_ id: ImportJob.ID, report: ImportReport?, error: String?, at now: Date) async throws {
        var progress = ImportProgress()
        progress.stage = .finished
        let progressText = try Self.jsonText(progress)
        let reportText = try report.map(Self.jsonText)
        try await write { sql in
            try await sql.raw("""
                UPDATE import_jobs SET status = \(bind: report == nil ? "failed" : "done"), report = \(bind: reportText),
                    error = \(bind: error), progress = \(bind: progressText), finished_at = \(bind: now.epochMilliseconds),
                    file_base64 = NULL, claimed_until = NULL
                WHERE id = \(bind: id.rawValue)
                """).run()
        }
    }

    /// The job's JSON columns (mapping, progress, report) as text, the same on both engines.
    private static func jsonText(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    static let importJobColumns = """
        id, kind, format, mapping, dry_run, file_bytes, status, progress, report, error, attempts, created_by, created_at, started_at, finished_at
        """

    static func importJob(_ id: ImportJob.ID, in sql: any SQLDatabase) async throws -> ImportJob {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: importJobColumns) FROM import_jobs WHERE id = \(bind: id.rawValue)").first() else {
            throw AccessDenied.notFound(.importJob, id: id.rawValue)
        }
        return try importJob(from: row)
    }

    static func importJob(from row: any SQLRow) throws -> ImportJob {
        let decoder = JSONDecoder()
        func json<T: Decodable>(_ column: String, as type: T.Type) throws -> T? {
            try row.decode(column: column, as: String?.self).map { try decoder.decode(T.self, from: Data($0.utf8)) }
        }
        func date(_ column: String) throws -> Date? { try row.decode(column: column, as: Int64?.self).map(Date.init(epochMilliseconds:)) }
        let statusKey = try row.decode(column: "status", as: String.self)
        guard let status = ImportJob.Status(rawValue: statusKey) else { throw StoreError.query("import_jobs: unknown status '\(statusKey)'") }
        return ImportJob(
            id: .init(try row.decode(column: "id", as: Int64.self)), kind: try row.decode(column: "kind", as: String.self),
            format: try row.decode(column: "format", as: String.self), mapping: try json("mapping", as: [String: String].self) ?? [:],
            dryRun: try row.decode(column: "dry_run", as: Bool.self), fileBytes: try row.decode(column: "file_bytes", as: Int.self),
            status: status, progress: try json("progress", as: ImportProgress.self) ?? ImportProgress(),
            report: try json("report", as: ImportReport.self), error: try row.decode(column: "error", as: String?.self),
            attempts: try row.decode(column: "attempts", as: Int.self), createdBy: .init(try row.decode(column: "created_by", as: Int64.self)),
            createdAt: try date("created_at")!, startedAt: try date("started_at"), finishedAt: try date("finished_at"))
    }
}
