import ArgumentParser
import Foundation
import KvotaCore
import KvotaStore
import KvotaWeb
import Logging
import NIOConcurrencyHelpers

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate the demo company: people, customers, catalogue, 3 years of orders, leads, deals, calls and tasks.")

    @Option(help: "S (≈100 000 order lines), M (≈1 000 000) or L (≈10 000 000).") var scale: DemoScale = .s
    @Option(help: "Seed: the same seed gives the same company on any database.") var seed: UInt64 = 1
    @Option(name: .customLong("as-of"), help: "Last day of the history, YYYY-MM-DD (default: today in Europe/Stockholm).")
    var asOf: LocalDate?
    @Flag(help: "Delete the data the database holds first.") var replace = false
    @OptionGroup var database: DatabaseOption
    @OptionGroup var log: LogOption

    func run() async throws {
        let logger = try log.bootstrap()
        try await withDatabase(try database.url(), logger: logger) { db in
            try await Migrator.migrate(db, logger: logger)
            let report = try await DemoRun(scale: scale, seed: seed, asOf: asOf, replace: replace).run(on: db, logger: logger)
            print(report)
            print(try await DemoSignIns.prepare(db, at: Date()))
        }
    }
}

/// Generates the demo company with progress on stderr; shared by `demo` and `bench`.
struct DemoRun {
    let scale: DemoScale
    let seed: UInt64
    let asOf: LocalDate?
    let replace: Bool

    struct Report: CustomStringConvertible {
        let scale: DemoScale
        let url: DatabaseURL
        let records: Int
        let orderLines: Int
        let seconds: Double
        var rate: Double { Double(records) / max(seconds, 1e-9) }

        var description: String {
            String(format: "demo %@ into %@: %d records (%d order lines) in %.1f s, %.0f records/s",
                   scale.name, url.description, records, orderLines, seconds, rate)
        }
    }

    func run(on database: Database, logger: Logger) async throws -> Report {
        let timeZone = TimeZone(identifier: "Europe/Stockholm")!
        let options = DemoOptions(scale: scale, seed: seed, asOf: asOf ?? LocalDate(Date(), in: timeZone), timeZone: timeZone)
        let started = ContinuousClock.now
        let lastPrint = NIOLockedValueBox(ContinuousClock.now)
        let summary = try await DemoLoader.load(options, into: database, replace: replace, logger: logger) { progress in
            let now = ContinuousClock.now
            let due = lastPrint.withLockedValue { last -> Bool in
                guard last.duration(to: now) >= .seconds(2) else { return false }
                last = now
                return true
            }
            guard due else { return }
            let seconds = started.duration(to: now).seconds
            FileHandle.standardError.write(Data(String(
                format: "  %@: %d … %d records, %.0f records/s\n", progress.kind, progress.records, progress.total,
                Double(progress.total) / max(seconds, 1e-9)).utf8))
        }
        let seconds = started.duration(to: .now).seconds
        return Report(scale: scale, url: database.url, records: summary.totalRecords,
                      orderLines: summary.counts["orderLines"] ?? 0, seconds: seconds)
    }
}
