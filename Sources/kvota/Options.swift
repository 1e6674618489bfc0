import ArgumentParser
import Foundation
import KvotaCore
import KvotaStore
import KvotaWeb
import Logging

/// `--database`, falling back to `KVOTA_DATABASE_URL`, then to the embedded SQLite file.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: "sqlite:PATH or postgres://user:password@host:port/database (default: KVOTA_DATABASE_URL, else sqlite:./data/kvota.sqlite).")
    var database: String?

    func url() throws -> DatabaseURL {
        if let database { return try DatabaseURL(database, setting: "--database") }
        return try AppConfig.fromEnvironment(ProcessInfo.processInfo.environment).database
    }
}

/// Opens the database for one command and closes it however the command ends.
func withDatabase<T>(_ url: DatabaseURL, logger: Logger, _ body: (Database) async throws -> T) async throws -> T {
    let database = try await Database.open(url, logger: logger)
    do {
        let result = try await body(database)
        await database.close()
        return result
    } catch {
        await database.close()
        throw error
    }
}

/// Prints rows with each column padded to its widest cell, two spaces apart.
func printTable(_ rows: [[String]]) {
    let widths = (rows.first ?? []).indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    for row in rows {
        print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
            .trimmingCharacters(in: .whitespaces))
    }
}

struct LogOption: ParsableArguments {
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (default: KVOTA_LOG_LEVEL, else info).")
    var logLevel: String?
    @Option(name: .customLong("log-format"), help: "text, or json for one JSON object a line (default: KVOTA_LOG_FORMAT, else text).")
    var logFormat: String?

    func bootstrap() throws -> Logger {
        let environment = ProcessInfo.processInfo.environment
        let level = try logLevel.map { try AppConfig.parseLogLevel($0, setting: "--log-level") }
            ?? AppConfig.fromEnvironment(environment).logLevel
        let json = try logFormat.map { try Self.parseFormat($0, setting: "--log-format") }
            ?? environment["KVOTA_LOG_FORMAT"].flatMap { $0.isEmpty ? nil : $0 }.map { try Self.parseFormat($0, setting: "KVOTA_LOG_FORMAT") }
            ?? false
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "kvota")
        logger.logLevel = level
        return logger
    }

    /// True for json, false for text.
    static func parseFormat(_ text: String, setting: String) throws -> Bool {
        switch text.lowercased() {
        case "json": return true
        case "text": return false
        default: throw StoreError.badSetting(setting: setting, reason: "expected text or json, got '\(text)'")
        }
    }
}

extension DemoScale: ExpressibleByArgument {
    public init?(argument: String) {
        guard let scale = try? DemoScale.named(argument) else { return nil }
        self = scale
    }
}

extension LocalDate: ExpressibleByArgument {
    public init?(argument: String) {
        guard let date = try? LocalDate(iso: argument) else { return nil }
        self = date
    }
}
