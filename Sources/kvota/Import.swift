import ArgumentParser
import Foundation
import KvotaCore
import KvotaImport
import KvotaStore

/// `kvota import KIND FILE`: a file from another system into Kvota, all rows or none (docs/import.md).
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a CSV file: every row, or none. --dry-run lists every problem and writes nothing.",
        discussion: "Kinds: \(Importer.kinds.joined(separator: ", ")). Layouts and mapping files: docs/import.md.")

    @Argument(help: "What the file holds: \(Importer.kinds.joined(separator: ", ")).") var kind: String
    @Argument(help: "The CSV or XLSX file (UTF-8, UTF-16 with a byte-order mark, or Windows-1251; comma, semicolon or tab); for salesforce, the Data Export's zip.") var file: String
    @Flag(name: .customLong("dry-run"), help: "Check every row and report; write nothing.") var dryRun = false
    @Option(help: "A JSON file mapping the file's column names to Kvota's (\"-\" skips a column).") var mapping: String?
    @Option(name: .customLong("as"), help: "The user the import is made by (audit, access); the first active admin by default.")
    var asUser: String?
    static let formats = ImportFormat.allCases.map(\.rawValue) + ["asterisk-cdr"]

    @Option(help: "The file's layout: kvota (a header row, docs/import.md), 1c (orders: a 1C sales report), hubspot, pipedrive or salesforce (accounts, contacts, deals: their exports) or asterisk-cdr (calls: Asterisk's Master.csv).")
    var format = "kvota"
    @Option(name: .customLong("time-zone"), help: "asterisk-cdr: the zone the PBX wrote its times in (UTC with usegmtime=yes); the company's by default.")
    var timeZone: String?
    @OptionGroup var database: DatabaseOption
    @OptionGroup var log: LogOption

    func run() async throws {
        let logger = try log.bootstrap()
        guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
        var columns: [String: String] = [:]
        if let mapping {
            guard let mappingData = FileManager.default.contents(atPath: mapping) else { throw CLIError("cannot read \(mapping)") }
            columns = try Importer.mapping(mappingData)
        }
        let report: ImportReport = try await withDatabase(try database.url(), logger: logger) { db in
            try await Migrator.migrate(db, logger: logger)
            let actor = try await importer(in: db)
            do {
                switch format {
                case "asterisk-cdr":
                    guard kind == "calls" else { throw CLIError("--format asterisk-cdr imports calls, not \(kind)") }
                    guard AccessPolicy.scope(actor, .create, .activity) != .nothing else { throw CLIError("\(actor.role) may not add calls") }
                    var zone = try await db.companyTimeZone()
                    if let timeZone {
                        guard let named = TimeZone(identifier: timeZone) else {
                            throw CLIError("--time-zone: no time zone '\(timeZone)' (e.g. UTC, Europe/Stockholm)")
                        }
                        zone = named
                    }
                    return try await Importer.runAsteriskCDR(file: data, zone: zone, dryRun: dryRun, into: db, at: Date())
                default:
                    guard let preset = ImportFormat(rawValue: format) else {
                        throw CLIError("--format: expected \(Self.formats.joined(separator: ", ")), got '\(format)'")
                    }
                    return try await Importer.run(kind: kind, file: data, mapping: columns, format: preset, dryRun: dryRun, into: db,
                                                  by: actor, at: Date())
                }
            } catch let failure as ImportFailure {
                throw CLIError("\(file): \(failure)")
            }
        }
        if !report.problems.isEmpty {
            printTable([["row", "column", "value", "problem"]] + report.problems.map {
                [String($0.row), $0.column, String($0.value.prefix(40)), $0.reason]
            })
            let count = report.problems.count
            print("\(count) \(count == 1 ? "problem" : "problems"); nothing was imported")
            throw ExitCode(1)
        }
        let verb = dryRun ? "would create" : "created"
        for (kind, created, updated, unchanged) in report.related.map({ ($0.kind, $0.created, $0.updated, $0.unchanged) })
            + [(kind, report.created, report.updated, report.unchanged)] {
            print("\(kind): \(verb) \(created), \(dryRun ? "would update" : "updated") \(updated), unchanged \(unchanged)")
        }
        if report.skippedRows > 0 { print("skipped \(report.skippedRows) rows of totals and group headings") }
        if !report.ignoredColumns.isEmpty { print("ignored columns: \(report.ignoredColumns.joined(separator: ", "))") }
        if dryRun { print("dry run: nothing written") }
    }

    private func importer(in db: Database) async throws -> Actor {
        let user: User?
        if let asUser {
            user = try await db.user(email: asUser)
        } else {
            user = try await db.users().first { $0.role == .admin && $0.active }
        }
        guard let user, user.active, let (_, actor) = try await db.signedInUser(user.id) else {
            throw CLIError(asUser.map { "no active user \($0)" } ?? "no active admin to import as; add one with kvota user add, or give --as")
        }
        return actor
    }
}
