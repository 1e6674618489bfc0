import ArgumentParser
import Foundation
import Hummingbird
import KvotaCore
import KvotaStore
import KvotaWeb

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Kvota server (migrates the database first unless --no-migrate).")

    @Option(help: "Address to listen on (default: KVOTA_HOST, else 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default: KVOTA_PORT, else 8080).") var port: Int?
    @OptionGroup var database: DatabaseOption
    @Flag(name: .customLong("no-migrate"), help: "Do not run pending migrations on start.") var noMigrate = false
    @Option(help: "Generate the demo company (S, M or L) first when the database is empty.") var demo: DemoScale?
    @Option(help: "Seed of the demo company.") var seed: UInt64 = 1
    @Flag(name: .customLong("secure-cookies"), help: "Mark the session cookie Secure (Kvota is reached over HTTPS).")
    var secureCookies = false
    @Flag(name: .customLong("trust-proxy"), help: "Take the client address from X-Forwarded-For (behind a reverse proxy only).")
    var trustProxy = false
    @OptionGroup var log: LogOption

    func run() async throws {
        HeapTuning.keepFreedBlocks()
        let logger = try log.bootstrap()
        var config = try AppConfig.fromEnvironment(ProcessInfo.processInfo.environment)
        if let host { config.host = host }
        if let port { config.port = try AppConfig.parsePort(String(port), setting: "--port") }
        config.database = try database.url()
        config.migrateOnStart = !noMigrate
        config.demo = demo
        config.demoSeed = seed
        config.logLevel = logger.logLevel
        if secureCookies { config.secureCookies = true }
        if trustProxy { config.trustProxy = true }
        if config.secrets == nil, config.secretKeyFile == nil {
            config.secretKeyFile = switch config.database {
            case .sqlite(let path): ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("kvota.key")
            case .postgres: "./data/kvota.key"
            }
        }
        let app = try await buildApplication(config, logger: logger)
        do {
            try await app.runService()
        } catch where "\(error)".contains("Address already in use") {
            // NIO's words for it name a system call; the operator needs the address and what to do.
            throw CLIError("""
                \(config.host):\(config.port) is already in use (another Kvota or another server listens there); \
                choose another port with --port or KVOTA_PORT
                """)
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and print the schema version.")

    @OptionGroup var database: DatabaseOption
    @OptionGroup var log: LogOption

    func run() async throws {
        let logger = try log.bootstrap()
        let url = try database.url()
        try await withDatabase(url, logger: logger) { db in
            let applied = try await Migrator.migrate(db, logger: logger)
            let version = try await Migrator.schemaVersion(db)
            print(applied.isEmpty ? "\(url): up to date at schema version \(version)"
                                  : "\(url): applied \(applied.map { "\($0.number) \($0.name)" }.joined(separator: ", ")); schema version \(version)")
        }
    }
}
