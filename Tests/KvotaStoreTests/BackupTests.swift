import Foundation
import KvotaCore
import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

/// `kvota backup` and `kvota restore`: a round trip keeps every table's rows and the stored company's fingerprint; a
/// backup taken while deals are written restores to a consistent state (roll-ups exact, every row of a write or
/// none); and the refusals: an existing file, a database that is not empty, a file that is not a backup.
@Suite struct BackupTests {
    static let options = DemoOptions(scale: .tiny, seed: 9, asOf: try! LocalDate(iso: "2026-11-20"))

    static func file(_ engine: DatabaseEngine) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("kvota-backup-\(UUID().uuidString).\(engine == .sqlite ? "sqlite" : "dump")").path
    }

    /// Restores `path` into a new empty database and hands it to `body`.
    static func restored<T: Sendable>(_ path: String, _ engine: DatabaseEngine, _ body: (Database) async throws -> T) async throws -> T {
        try await TestDatabase.with(engine, filledBy: { _ = try await Database.restore(from: path, into: $0) }, body)
    }

    @Test(arguments: TestDatabase.engines)
    func aRoundTripKeepsEveryRow(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            _ = try await DemoLoader.load(Self.options, into: database)
            let path = Self.file(engine)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let report = try await database.backup(to: path)
            #expect(report.bytes > 0)
            let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.int16Value
            #expect(mode == 0o600, "a backup is the whole company's data: its owner's alone (docs/security.md)")
            let counts = try await database.everyTableCount(), fingerprint = try await database.fingerprint()
            #expect(counts["order_lines", default: 0] > 0 && counts["deals", default: 0] > 0)
            if engine == .sqlite { #expect(report.rows == counts, "the copy's own count") }
            try await Self.restored(path, engine) { copy in
                let (copied, copiedFingerprint, rollups) = (try await copy.everyTableCount(), try await copy.fingerprint(), try await copy.checkRollups())
                #expect(copied == counts)
                #expect(copiedFingerprint == fingerprint)
                #expect(rollups.filter { !$0.exact }.isEmpty)
            }
            await #expect(throws: StoreError.self, "an existing file is never overwritten") { try await database.backup(to: path) }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aBackupTakenWhileDealsAreWrittenIsConsistent(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            _ = try await DemoLoader.load(Self.options, into: database)
            let admin = try #require(try await database.users().first { $0.role == .admin })
            let actor = try #require(try await database.signedInUser(admin.id)).1
            let (pipeline, stages) = try #require(try await database.pipelines(for: actor).first)
            let won = try #require(stages.first { $0.outcome == .won })
            let account = try await database.read { sql in
                try await sql.raw("SELECT id FROM accounts ORDER BY id LIMIT 1").first()!.decode(column: "id", as: Int64.self)
            }
            let before = try await database.everyTableCount()["deals", default: 0]
            // Deals made won, each with its stage history, stage outcomes and draft order in one transaction.
            let writer = Task {
                var written = 0
                while !Task.isCancelled && written < 400 {
                    let patch = try DealPatch.fixture("Under load \(written)", account: Account.ID(account), pipeline: pipeline.id,
                                                      stage: won.id, owner: admin.id, amountMinor: 10_000)
                    _ = try await database.addDeal(patch, by: actor, at: Date())
                    written += 1
                }
                return written
            }
            try await Task.sleep(for: .milliseconds(200))
            let path = Self.file(engine)
            defer { try? FileManager.default.removeItem(atPath: path) }
            _ = try await database.backup(to: path)
            let written = try await writer.value
            #expect(written > 0)
            try await Self.restored(path, engine) { copy in
                let counts = try await copy.everyTableCount()
                let deals = counts["deals", default: 0]
                #expect(deals >= before && deals <= before + written)
                let made = deals - before
                let orders = try await copy.read { sql in
                    try await sql.raw("SELECT COUNT(*) AS n FROM orders WHERE deal_id IN (SELECT id FROM deals WHERE title LIKE 'Under load %')")
                        .first()!.decode(column: "n", as: Int.self)
                }
                #expect(orders == made, "each deal won came with its draft order, or neither")
                let rollups = try await copy.checkRollups()
                #expect(rollups.filter { !$0.exact }.isEmpty, "the roll-ups and stage outcomes agree with the records")
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aRestoreWantsAnEmptyDatabaseAndABackup(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let path = Self.file(engine)
            defer { try? FileManager.default.removeItem(atPath: path) }
            _ = try await database.backup(to: path)
            await #expect(throws: StoreError.self, "the database is not empty") {
                try await Database.restore(from: path, into: database.url)
            }
            let text = Self.file(engine) + ".csv"
            defer { try? FileManager.default.removeItem(atPath: text) }
            try Data("name,phone\n".utf8).write(to: URL(fileURLWithPath: text))
            let (url, cleanup) = try await TestDatabase.make(engine, migrated: false)
            defer { Task { try? await cleanup() } }
            do {
                _ = try await Database.restore(from: text, into: url)
                Issue.record("a CSV file was restored")
            } catch let error as StoreError {
                #expect(error.description.contains("not a Kvota backup"), "\(error)")
            }
            if engine == .sqlite, case .sqlite(let target) = url {
                // A SQLite file of someone else's is refused, and nothing is left where the restore would have gone.
                let foreign = text + ".sqlite"
                defer { try? FileManager.default.removeItem(atPath: foreign) }
                let other = try await Database.open(.sqlite(path: foreign))
                try await other.write { sql in try await sql.raw("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)").run() }
                await other.close()
                do {
                    _ = try await Database.restore(from: foreign, into: url)
                    Issue.record("a foreign SQLite file was restored")
                } catch let error as StoreError {
                    #expect(error.description.contains("holds no Kvota schema"), "\(error)")
                }
                #expect(!FileManager.default.fileExists(atPath: target))
            }
        }
    }
}
