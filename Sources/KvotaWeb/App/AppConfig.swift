import KvotaCore
import KvotaStore
import Logging

/// Everything the server is told at start, read once and checked at once (STYLE.md "Shape").
/// Flags override environment variables; every bad value fails with the name of the setting.
public struct AppConfig: Sendable {
    public var host: String
    public var port: Int
    public var database: DatabaseURL
    /// Run pending migrations before serving (on by default; `--no-migrate` turns it off).
    public var migrateOnStart: Bool
    /// Generate this demo company first when the database is empty.
    public var demo: DemoScale?
    public var demoSeed: UInt64
    public var logLevel: Logger.Level

    public init(host: String = "127.0.0.1", port: Int = 8080, database: DatabaseURL = .defaultSQLite,
                migrateOnStart: Bool = true, demo: DemoScale? = nil, demoSeed: UInt64 = 1, logLevel: Logger.Level = .info) {
        self.host = host; self.port = port; self.database = database; self.migrateOnStart = migrateOnStart
        self.demo = demo; self.demoSeed = demoSeed; self.logLevel = logLevel
    }

    /// Reads `KVOTA_HOST`, `KVOTA_PORT`, `KVOTA_DATABASE_URL` and `KVOTA_LOG_LEVEL`.
    public static func fromEnvironment(_ environment: [String: String]) throws(StoreError) -> AppConfig {
        var config = AppConfig()
        if let host = environment["KVOTA_HOST"], !host.isEmpty { config.host = host }
        if let port = environment["KVOTA_PORT"], !port.isEmpty { config.port = try parsePort(port, setting: "KVOTA_PORT") }
        if let url = environment["KVOTA_DATABASE_URL"], !url.isEmpty {
            config.database = try DatabaseURL(url, setting: "KVOTA_DATABASE_URL")
        }
        if let level = environment["KVOTA_LOG_LEVEL"], !level.isEmpty {
            config.logLevel = try parseLogLevel(level, setting: "KVOTA_LOG_LEVEL")
        }
        return config
    }

    public static func parsePort(_ text: String, setting: String) throws(StoreError) -> Int {
        guard let port = Int(text), (1...65_535).contains(port) else {
            throw .badSetting(setting: setting, reason: "expected a port number from 1 to 65535, got '\(text)'")
        }
        return port
    }

    public static func parseLogLevel(_ text: String, setting: String) throws(StoreError) -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw .badSetting(setting: setting, reason: "expected one of \(names), got '\(text)'")
        }
        return level
    }
}
