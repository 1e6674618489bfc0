import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import KvotaWeb
import Logging
import Testing

/// Background imports (issue 11): `?background=true` answers 202 at once; `GET /api/v1/imports/{id}` follows the job
/// to its report, still all or nothing; a server that stops mid-import leaves the job to the next round, which runs it
/// from the start; only the uploader (and admins) see a job. Both engines.
@Suite struct BackgroundImportTests {
    struct Job: Decodable {
        struct Progress: Decodable {
            let stage: String
            let stepsDone: Int
            let stepsTotal: Int
            let rowsDone: Int
            let rowsTotal: Int
            let fraction: Double
        }

        let id: Int64
        let kind: String
        let status: String
        let progress: Progress
        let report: ImportsAPITests.Report?
        let error: String?
        let attempts: Int
    }

    struct Items: Decodable { let items: [Job] }

    static func rounds(_ org: WebFixture) -> BackgroundImports {
        var logger = Logger(label: "kvota.test.imports")
        logger.logLevel = .critical
        return BackgroundImports(database: org.database, running: RunningImports(), now: { org.clock.now }, logger: logger)
    }

    @Test(arguments: TestDatabase.engines)
    func aQueuedImportRunsToItsReportAllOrNothing(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let admin = try await client.token(for: org.admin)
            let rep = try await client.token(for: org.rep)
            let queued = try await ImportsAPITests().upload(client, "/api/v1/imports/accounts?background=true", ImportsAPITests.file, token: rep)
            #expect(queued.status == .accepted)
            let job = try queued.json(Job.self)
            #expect(queued.headers[.location] == "/api/v1/imports/\(job.id)")
            #expect(job.status == "queued" && job.progress.stage == "waiting" && job.report == nil && job.attempts == 0)
            #expect(try await client.get("/api/v1/accounts?q=Nordic", token: rep).status == .ok)

            let imports = Self.rounds(org)
            let ran = try await imports.round()
            #expect(ran)
            let done = try await client.get("/api/v1/imports/\(job.id)", token: rep).json(Job.self)
            #expect(done.status == "done" && done.attempts == 1 && done.progress.stage == "finished" && done.progress.fraction == 1)
            let report = try #require(done.report)
            #expect(report.written && report.created == 2 && report.problems.isEmpty)
            let again = try await imports.round()
            #expect(!again, "nothing else waits")
            let stored = try await org.database.read { sql in
                try await sql.raw("SELECT file_base64 FROM import_jobs").first()!.decode(column: "file_base64", as: String?.self)
            }
            #expect(stored == nil, "the file is dropped once imported")

            // A file with a problem: the report names it, in the uploader's language, and nothing is written.
            let before = try await org.database.read { sql in try await sql.raw("SELECT COUNT(*) AS n FROM accounts").first()!.decode(column: "n", as: Int.self) }
            let broken = try await ImportsAPITests().upload(client, "/api/v1/imports/accounts?background=true",
                                                            "Company;Legal ID\nGood AB;1\n;2\n", token: rep).json(Job.self)
            _ = try await imports.round()
            let refused = try await client.get("/api/v1/imports/\(broken.id)", token: rep).json(Job.self)
            #expect(refused.status == "done" && refused.report?.written == false && refused.report?.problems.map(\.column) == ["Company"])
            let after = try await org.database.read { sql in try await sql.raw("SELECT COUNT(*) AS n FROM accounts").first()!.decode(column: "n", as: Int.self) }
            #expect(after == before)

            // A file Kvota cannot read fails with the reason.
            let unreadable = try await ImportsAPITests().upload(client, "/api/v1/imports/accounts?background=true", "", token: rep).json(Job.self)
            _ = try await imports.round()
            let failed = try await client.get("/api/v1/imports/\(unreadable.id)", token: rep).json(Job.self)
            #expect(failed.status == "failed" && failed.report == nil && failed.error?.isEmpty == false)

            // One's own jobs; an admin sees anyone's; another rep none.
            #expect(try await client.get("/api/v1/imports", token: rep).json(Items.self).items.map(\.id) == [unreadable.id, broken.id, job.id])
            #expect(try await client.get("/api/v1/imports/\(job.id)", token: admin).status == .ok)
            let stranger = try await client.token(for: org.stranger)
            #expect(try await client.get("/api/v1/imports/\(job.id)", token: stranger).status == .notFound)
            #expect(try await client.get("/api/v1/imports", token: stranger).json(Items.self).items.isEmpty)
            // An analyst may queue a file but not write accounts: the job says so, in their words.
            let analyst = try await client.token(for: org.analyst)
            let refusedJob = try await ImportsAPITests().upload(client, "/api/v1/imports/accounts?background=true", ImportsAPITests.file,
                                                                token: analyst).json(Job.self)
            _ = try await imports.round()
            let denied = try await client.get("/api/v1/imports/\(refusedJob.id)", token: analyst).json(Job.self)
            #expect(denied.status == "failed" && denied.error == "your role may not create account records here")
            let bad = try await ImportsAPITests().upload(client, "/api/v1/imports/accounts?background=maybe", ImportsAPITests.file, token: rep)
            #expect(try bad.problem().errors?.map(\.field) == ["background"])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func anImportAServerStoppedInIsRunAgainFromTheStart(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let rep = try await client.token(for: org.rep)
            let job = try await ImportsAPITests().upload(client, "/api/v1/imports/accounts?background=true", ImportsAPITests.file, token: rep)
                .json(Job.self)
            // A server takes it and stops before it finishes: its transaction rolled back, its claim runs out.
            let taken = try await org.database.claimImport(at: org.clock.now, hold: 60)
            #expect(taken?.job.id.rawValue == job.id && taken?.file == Data(ImportsAPITests.file.utf8))
            let imports = Self.rounds(org)
            let early = try await imports.round()
            #expect(!early, "claimed by the server that stopped")
            #expect(try await client.get("/api/v1/imports/\(job.id)", token: rep).json(Job.self).status == "running")
            org.clock.advance(61)
            let late = try await imports.round()
            #expect(late)
            let done = try await client.get("/api/v1/imports/\(job.id)", token: rep).json(Job.self)
            #expect(done.status == "done" && done.attempts == 2 && done.report?.created == 2)
            #expect(try await client.get("/api/v1/accounts?q=Nordic", token: rep).status == .ok)

            // A job that stops every server that runs it is given up after three, with nothing written.
            let doomed = try await ImportsAPITests().upload(client, "/api/v1/imports/accounts?background=true", "Company\nX AB\n", token: rep)
                .json(Job.self)
            for _ in 0..<3 {
                _ = try await org.database.claimImport(at: org.clock.now, hold: 60)
                org.clock.advance(61)
            }
            let last = try await imports.round()
            #expect(!last)
            let given = try await client.get("/api/v1/imports/\(doomed.id)", token: rep).json(Job.self)
            #expect(given.status == "failed" && given.attempts == 3 && given.error?.contains("3 times") == true)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theServerRunsQueuedImportsOnItsOwn(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine, configure: { $0.importsEverySeconds = 1 }) { client, org in
            let rep = try await client.token(for: org.rep)
            let job = try await ImportsAPITests().upload(client, "/api/v1/imports/accounts?background=true", ImportsAPITests.file, token: rep)
                .json(Job.self)
            let status = try await Poll.until({ try await client.get("/api/v1/imports/\(job.id)", token: rep).json(Job.self).status }) { $0 == "done" }
            #expect(status == "done")
        }
    }
}
