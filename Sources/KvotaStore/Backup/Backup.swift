import Foundation
import Logging
import SQLKit
import SQLiteNIO

/// What a backup or a restore left: the file, its size, and the rows of every table of the copy (a PostgreSQL
/// backup's archive is not counted: its rows are the live database's at the moment pg_dump began).
public struct BackupReport: Sendable {
    public let path: String
    public let bytes: Int64
    public let rows: [String: Int]
}

/// Backup and restore (issue 11): a consistent copy while the server keeps serving, and a restore into an empty
/// database. SQLite copies with `VACUUM INTO` (one read transaction: a snapshot, while writers carry on in the WAL);
/// PostgreSQL with `pg_dump`'s custom format (one repeatable-read transaction) and `pg_restore`. Both engines' tools
/// are used rather than a copy of Kvota's own, because they are what an administrator knows and trusts and they keep
/// every table, index and sequence exactly; docs/backup.md says how to check and use them by hand.
extension Database {
    /// Copies the database to `path`, which must not exist, and checks the copy (SQLite: `PRAGMA integrity_check`
    /// and a count of every table; PostgreSQL: the archive's table of contents read back by `pg_restore --list`).
    public func backup(to path: String) async throws -> BackupReport {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreError.badSetting(setting: "--out", reason: "\(path) exists; a backup never overwrites a file")
        }
        switch (backend, url) {
        case (.sqlite(let sqlite), _):
            do {
                // On the writer connection, outside a transaction (VACUUM refuses to run in one), since a reader is
                // read-only: it only reads, in one snapshot, and a server in another process keeps writing to the WAL.
                try await sqlite.writer.with { connection in try await connection.query("VACUUM INTO ?", [SQLiteData.text(path)]) { _ in } }
                try PrivateFileMode.keepPrivate(path, warning: nil)
            } catch {
                try? FileManager.default.removeItem(atPath: path)
                throw error
            }
            let copy = try await Database.open(.sqlite(path: path), logger: logger, connections: 2)
            do {
                try await copy.checkIntegrity()
                let rows = try await copy.everyTableCount()
                await copy.close()
                return BackupReport(path: path, bytes: Self.size(of: path), rows: rows)
            } catch {
                await copy.close()
                throw error
            }
        case (.postgres, .postgres(let host, let port, let user, let password, let database)):
            try await PostgresTool.run("pg_dump", PostgresTool.connection(host, port, user) + ["--format=custom", "--no-owner", "--file", path, database],
                                       password: password)
            try PrivateFileMode.keepPrivate(path, warning: nil)
            try await PostgresTool.run("pg_restore", ["--list", path], password: nil)
            return BackupReport(path: path, bytes: Self.size(of: path), rows: [:])
        case (.postgres, .sqlite):
            preconditionFailure("a PostgreSQL backend opened from a SQLite URL")
        }
    }

    /// Restores a backup into the empty database at `url` (SQLite: a file that does not exist yet or is empty;
    /// PostgreSQL: a database without tables), checks it and migrates it to this Kvota's schema.
    public static func restore(from path: String, into url: DatabaseURL,
                               logger: Logger = Logger(label: "kvota.restore")) async throws -> BackupReport {
        guard let head = FileHandle(forReadingAtPath: path).map({ handle in
            defer { try? handle.close() }
            return (try? handle.read(upToCount: 16)) ?? Data()
        }) else {
            throw StoreError.badSetting(setting: "FILE", reason: "cannot read \(path)")
        }
        let isSQLite = head.starts(with: Data("SQLite format 3".utf8)), isArchive = head.starts(with: Data("PGDMP".utf8))
        switch url {
        case .sqlite(let target):
            guard isSQLite else {
                throw StoreError.badSetting(setting: "FILE", reason: isArchive
                    ? "\(path) is a PostgreSQL backup; restore it into a PostgreSQL database" : "\(path) is not a Kvota backup")
            }
            guard !FileManager.default.fileExists(atPath: target) || size(of: target) == 0 else {
                throw StoreError.notEmpty("\(target) exists; a backup is restored only into a new database")
            }
            try? FileManager.default.removeItem(atPath: target)
            try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: target).deletingLastPathComponent().path,
                                                    withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: path, toPath: target)
        case .postgres(let host, let port, let user, let password, let database):
            guard isArchive else {
                throw StoreError.badSetting(setting: "FILE", reason: isSQLite
                    ? "\(path) is a SQLite backup; restore it into a SQLite database" : "\(path) is not a Kvota backup")
            }
            let empty = try await Database.open(url, logger: logger, connections: 1)
            let tables = try await empty.tableNames().count
            await empty.close()
            guard tables == 0 else {
                throw StoreError.notEmpty("the database \(database) has \(tables) tables; a backup is restored only into an empty database")
            }
            try await PostgresTool.run("pg_restore", PostgresTool.connection(host, port, user)
                                           + ["--no-owner", "--exit-on-error", "--single-transaction", "--dbname", database, path],
                                       password: password)
        }
        let restored = try await Database.open(url, logger: logger)
        do {
            try await restored.checkIntegrity()
            guard try await restored.tableNames().contains("schema_migrations") else {
                throw StoreError.badSetting(setting: "FILE", reason: "\(path) holds no Kvota schema")
            }
            try await Migrator.migrate(restored, logger: logger)
            let rows = try await restored.everyTableCount()
            await restored.close()
            return BackupReport(path: path, bytes: size(of: path), rows: rows)
        } catch {
            await restored.close()
            // A SQLite file that turned out not to be Kvota's is not left behind as if restored.
            if case .sqlite(let target) = url {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
            }
            throw error
        }
    }

    /// Every table of the schema (not the engine's own) with its row count.
    public func everyTableCount() async throws -> [String: Int] {
        let tables = try await tableNames()
        return try await read { sql in
            var counts: [String: Int] = [:]
            for table in tables {
                counts[table] = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? 0
            }
            return counts
        }
    }

    /// Every table of the schema, not the engine's own: what a restore checks before it counts anything.
    func tableNames() async throws -> [String] {
        try await read { sql in
            let names: SQLQueryString = switch engine {
            case .sqlite: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            case .postgres: "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            }
            return try await sql.raw(names).all().map { try $0.decode(column: "name", as: String.self) }
        }
    }

    /// SQLite's `PRAGMA integrity_check` must say "ok"; PostgreSQL checks its pages as it reads them, and a restore
    /// that read every row back (the counts) has read them all.
    func checkIntegrity() async throws {
        guard engine == .sqlite else { return }
        let answer = try await read { sql in
            try await sql.raw("PRAGMA integrity_check").all().map { try $0.decode(column: "integrity_check", as: String.self) }
        }
        guard answer == ["ok"] else { throw StoreError.query("the copy is damaged: \(answer.prefix(5).joined(separator: "; "))") }
    }

    private static func size(of path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}

/// PostgreSQL's own client tools, found on the PATH, with the password passed in the environment (not on the command
/// line, where other users of the machine could read it).
enum PostgresTool {
    /// The arguments naming the server and user; the password never goes on a command line.
    static func connection(_ host: String, _ port: Int, _ user: String) -> [String] {
        ["--host", host, "--port", String(port), "--username", user, "--no-password"]
    }

    /// Waits for the tool on a thread of its own: waiting blocks, and the concurrency pool has a thread per core.
    static func run(_ tool: String, _ arguments: [String], password: String?) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                do {
                    try runWaiting(tool, arguments, password: password)
                    done.resume()
                } catch {
                    done.resume(throwing: error)
                }
            }
        }
    }

    private static func runWaiting(_ tool: String, _ arguments: [String], password: String?) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        var environment = ProcessInfo.processInfo.environment
        if let password { environment["PGPASSWORD"] = password }
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw StoreError.badSetting(setting: tool, reason: "cannot run it (\(error)); install PostgreSQL's client tools")
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let reason = message.split(separator: "\n").prefix(3).joined(separator: "; ")
            throw StoreError.query("\(tool) failed (exit \(process.terminationStatus)): \(reason.isEmpty ? "no message" : reason)")
        }
    }
}
