import Foundation
import Logging
import KvotaCore
import SQLKit

/// Applies the pending migrations of `Migrations.all`, all in one transaction, so a failed step leaves the schema as
/// it was. Safe when several servers start at once: PostgreSQL takes an advisory lock, SQLite's writer is single.
public enum Migrator {
    /// Advisory-lock key for migrations ("kvota" in ASCII).
    static let lockKey: Int64 = 0x6B76_6F74_61

    /// The highest applied migration number, 0 for an empty database.
    public static func schemaVersion(_ database: Database) async throws -> Int {
        try await database.read { sql in try await version(sql, engine: database.engine) }
    }

    /// Runs what is pending, up to `last` (tests of an upgrade stop early); returns the migrations it applied.
    @discardableResult
    public static func migrate(_ database: Database, through last: Int = Migrations.latest,
                               logger: Logger = Logger(label: "kvota.migrate"), now: Date = Date()) async throws -> [Migration] {
        try await database.schemaTransaction { sql in
            if database.engine == .postgres {
                try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: Int(lockKey)))").run()
            }
            try await sql.raw("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)
                """).run()
            let current = try await version(sql, engine: database.engine)
            guard current <= Migrations.latest else {
                throw StoreError.schemaTooNew(found: current, known: Migrations.latest)
            }
            var applied: [Migration] = []
            for migration in Migrations.all where migration.number > current && migration.number <= last {
                do {
                    for statement in migration.statements(for: database.engine) {
                        try await sql.raw(SQLQueryString(statement)).run()
                    }
                    try await migration.backfill?(sql)
                    if database.engine == .sqlite {
                        for table in migration.sqliteRebuilds {
                            let broken = try await sql.raw("PRAGMA foreign_key_check(\(ident: table))").all()
                            if !broken.isEmpty { throw StoreError.query("\(broken.count) rows of \(table) point at rows that are gone") }
                        }
                    }
                } catch {
                    throw StoreError.migrationFailed(number: migration.number, name: migration.name,
                                                     reason: StoreError.describe(error))
                }
                try await sql.insert(into: "schema_migrations")
                    .columns("number", "name", "applied_at")
                    .values(SQLBind(migration.number), SQLBind(migration.name), SQLBind(now.epochMilliseconds))
                    .run()
                logger.info("applied migration", metadata: ["number": "\(migration.number)", "name": "\(migration.name)"])
                applied.append(migration)
            }
            return applied
        }
    }

    static func version(_ sql: any SQLDatabase, engine: DatabaseEngine) async throws -> Int {
        let exists: Bool
        switch engine {
        case .sqlite:
            exists = try await sql.raw("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
                .first() != nil
        case .postgres:
            exists = try await sql.raw("SELECT 1 AS x FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'")
                .first() != nil
        }
        guard exists else { return 0 }
        let row = try await sql.raw("SELECT COALESCE(MAX(number), 0) AS version FROM schema_migrations").first()
        return try row?.decode(column: "version", as: Int.self) ?? 0
    }
}
