import ArgumentParser
import Foundation
import KvotaStore

/// `kvota verify`: proves the roll-ups equal what the records say (the sales roll-ups the orders, the stage outcomes
/// the closed deals), table by table; `--repair` rebuilds them when they do not. Exits 1 when a difference is left.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that the roll-ups analytics and forecasts read equal the orders and deals (and rebuild them with --repair).")

    @OptionGroup var database: DatabaseOption
    @OptionGroup var log: LogOption
    @Flag(help: "Rebuild the roll-ups from the orders and deals when a difference is found.") var repair = false

    func run() async throws {
        let logger = try log.bootstrap()
        try await withDatabase(try database.url(), logger: logger) { db in
            _ = try await Migrator.migrate(db, logger: logger)
            var checks = try await db.checkRollups()
            report(checks)
            if repair && !checks.allSatisfy(\.exact) {
                try await db.rebuildRollups()
                checks = try await db.checkRollups()
                print("rebuilt:")
                report(checks)
            }
            guard checks.allSatisfy(\.exact) else { throw CLIError("the roll-ups differ from the orders and deals (run with --repair to rebuild them)") }
        }
    }

    private func report(_ checks: [RollupCheck]) {
        printTable([["table", "rows", "missing", "extra", "state"]]
                   + checks.map { [$0.table, String($0.rows), String($0.missing), String($0.extra), $0.exact ? "exact" : "DIFFERS"] })
    }
}
