import ArgumentParser
import Foundation
import KvotaStore

/// `kvota backup --out FILE`: a consistent copy of the database while the server keeps serving (docs/backup.md).
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database to a new file while Kvota keeps serving (SQLite: VACUUM INTO; PostgreSQL: pg_dump).")

    @Option(help: "The backup file to write; it must not exist.") var out: String
    @OptionGroup var database: DatabaseOption
    @OptionGroup var log: LogOption

    func run() async throws {
        let logger = try log.bootstrap()
        try await withDatabase(try database.url(), logger: logger) { db in
            let started = ContinuousClock.now
            let report = try await db.backup(to: out)
            let rows = report.rows.values.reduce(0, +)
            print(String(format: "backed up to %@: %.1f MiB in %.1f s", report.path, Double(report.bytes) / 1_048_576,
                         started.duration(to: .now).seconds) + (report.rows.isEmpty ? "" : ", \(report.rows.count) tables, \(rows) rows, integrity ok"))
        }
    }
}

/// `kvota restore FILE`: a backup into an empty database, checked and migrated to this Kvota's schema.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore a backup into an empty database (a new SQLite file, or a PostgreSQL database without tables).")

    @Argument(help: "The backup file (from kvota backup).") var file: String
    @OptionGroup var database: DatabaseOption
    @OptionGroup var log: LogOption

    func run() async throws {
        let logger = try log.bootstrap()
        let report = try await Database.restore(from: file, into: try database.url(), logger: logger)
        print("restored \(report.rows.count) tables, \(report.rows.values.reduce(0, +)) rows from \(report.path)")
    }
}
