import Foundation
import KvotaCore
import KvotaStore
import Logging
import SQLKit

/// Fresh, migrated databases for tests: a temp SQLite file each, or a PostgreSQL database cloned from a migrated
/// template (STYLE.md "Tests"). Never the developer's ./data, and never a non-loopback server.
public enum TestDatabase {
    /// The engines storage tests run on. PostgreSQL needs `KVOTA_TEST_POSTGRES_URL` (scripts/test sets it); under CI
    /// it is always included, so a missing server fails the run instead of silently testing less.
    public static var engines: [DatabaseEngine] {
        let environment = ProcessInfo.processInfo.environment
        if environment["KVOTA_TEST_POSTGRES_URL"] != nil || environment["CI"] != nil { return [.sqlite, .postgres] }
        return [.sqlite]
    }

    static let logger: Logger = {
        var logger = Logger(label: "kvota.test")
        logger.logLevel = .warning
        return logger
    }()

    /// Runs `body` with a fresh migrated database, removed afterwards even when `body` throws. With `fill`, the fresh
    /// database starts empty and `fill` puts what it holds there (a restore) instead of the migrations.
    public static func with<T: Sendable>(_ engine: DatabaseEngine, filledBy fill: ((DatabaseURL) async throws -> Void)? = nil,
                                         _ body: (Database) async throws -> T) async throws -> T {
        let (url, cleanup) = try await make(engine, migrated: fill == nil)
        let database: Database
        do {
            try await fill?(url)
            database = try await Database.open(url, logger: logger)
        } catch {
            try? await cleanup()
            throw error
        }
        do {
            if engine == .sqlite && fill == nil { try await Migrator.migrate(database, logger: logger) }
            let result = try await body(database)
            await database.close()
            try await cleanup()
            return result
        } catch {
            await database.close()
            try? await cleanup()
            throw error
        }
    }

    /// A fresh database's URL and how to remove it. SQLite databases start empty (migrating is part of what tests
    /// check); PostgreSQL databases start as a copy of the migrated template.
    public static func make(_ engine: DatabaseEngine, migrated: Bool = true) async throws -> (DatabaseURL, @Sendable () async throws -> Void) {
        switch engine {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kvota-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return (.sqlite(path: folder.appendingPathComponent("test.sqlite").path), {
                try? FileManager.default.removeItem(at: folder)
            })
        case .postgres:
            let server = try serverURL()
            let name = "kvota_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
            let template = migrated ? try await Template.shared.name(server: server) : "template0"
            try await admin(server) { sql in
                try await sql.raw("CREATE DATABASE \(ident: name) TEMPLATE \(ident: template)").run()
            }
            guard case .postgres(let host, let port, let user, let password, _) = server else { fatalError() }
            return (.postgres(host: host, port: port, user: user, password: password, database: name), {
                try await admin(server) { sql in
                    try await sql.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run()
                }
            })
        }
    }

    /// The server from `KVOTA_TEST_POSTGRES_URL`, refused unless it is on this machine.
    public static func serverURL() throws -> DatabaseURL {
        guard let text = ProcessInfo.processInfo.environment["KVOTA_TEST_POSTGRES_URL"] else {
            throw StoreError.badSetting(setting: "KVOTA_TEST_POSTGRES_URL",
                                        reason: "not set; run the tests through scripts/test, which starts PostgreSQL")
        }
        let url = try DatabaseURL(text, setting: "KVOTA_TEST_POSTGRES_URL")
        guard case .postgres(let host, _, _, _, _) = url, ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) else {
            throw StoreError.badSetting(setting: "KVOTA_TEST_POSTGRES_URL", reason: "tests only use a server on 127.0.0.1")
        }
        return url
    }

    static func admin<T: Sendable>(_ server: DatabaseURL, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let database = try await Database.open(server, logger: logger, connections: 1)
        do {
            let result = try await database.read(body)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }

    /// Migrates one template database per set of migrations, once per test process. An advisory lock keeps
    /// parallel test processes from building it twice.
    actor Template {
        static let shared = Template()
        private var ready: String?

        func name(server: DatabaseURL) async throws -> String {
            if let ready { return ready }
            let name = "kvota_template_\(Migrations.fingerprint)"
            try await TestDatabase.admin(server) { sql in
                try await sql.raw("SELECT pg_advisory_lock(7406)").run()
                do {
                    let exists = try await sql.raw("SELECT 1 AS x FROM pg_database WHERE datname = \(bind: name)").first() != nil
                    if !exists {
                        // Built under another name and renamed when migrated: a test process that dies halfway leaves
                        // a half-built database that no later run mistakes for the template.
                        let building = name + "_building"
                        try await sql.raw("DROP DATABASE IF EXISTS \(ident: building)").run()
                        try await sql.raw("CREATE DATABASE \(ident: building)").run()
                        guard case .postgres(let host, let port, let user, let password, _) = server else { return }
                        let template = try await Database.open(
                            .postgres(host: host, port: port, user: user, password: password, database: building),
                            logger: TestDatabase.logger, connections: 1)
                        do {
                            try await Migrator.migrate(template, logger: TestDatabase.logger)
                            await template.close()
                        } catch {
                            await template.close()
                            try? await sql.raw("DROP DATABASE IF EXISTS \(ident: building)").run()
                            throw error
                        }
                        try await sql.raw("ALTER DATABASE \(ident: building) RENAME TO \(ident: name)").run()
                    }
                    try await sql.raw("SELECT pg_advisory_unlock(7406)").run()
                } catch {
                    try? await sql.raw("SELECT pg_advisory_unlock(7406)").run()
                    throw error
                }
            }
            ready = name
            return name
        }
    }
}
