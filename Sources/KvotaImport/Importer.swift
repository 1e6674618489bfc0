import Foundation
import KvotaCore
import KvotaStore

/// A whole import: read the file, match its columns, and hand the rows to the store, which writes all of them or
/// none. Used by `kvota import` (and, later, the API upload).
public enum Importer {
    public static let kinds = ImportLayout.all.map(\.kind)

    public static func run(kind: String, file: Data, mapping: [String: String] = [:], dryRun: Bool, into database: Database,
                           by actor: Actor, at now: Date) async throws -> ImportReport {
        guard let layout = ImportLayout.all.first(where: { $0.kind == kind }) else {
            throw ImportFailure.layout("cannot import '\(kind)'; this version imports \(kinds.joined(separator: ", "))")
        }
        let rows = try layout.rows(of: try ImportTable.read(file), mapping: mapping)
        let report: ImportReport
        switch kind {
        case "accounts": report = try await database.importAccounts(rows, dryRun: dryRun, by: actor, at: now)
        case "products": report = try await database.importProducts(rows, dryRun: dryRun, by: actor, at: now)
        case "orders": report = try await database.importOrders(rows, dryRun: dryRun, by: actor, at: now)
        case "contacts": report = try await database.importContacts(rows, dryRun: dryRun, by: actor, at: now)
        case "deals": report = try await database.importDeals(rows, dryRun: dryRun, by: actor, at: now)
        case "calls": report = try await database.importCalls(rows, dryRun: dryRun, by: actor, at: now)
        default: throw ImportFailure.layout("cannot import '\(kind)'")
        }
        // A large import changes what the planner should choose (Statistics.swift).
        if !dryRun && report.created + report.updated >= 10_000 { try await database.refreshStatistics() }
        return report
    }

    /// Asterisk's CSV CDR file (`Master.csv`: no header, 16, 18 or 21 columns; docs/telephony.md), read in the PBX's
    /// time zone (`cdr.conf`'s `usegmtime=yes` writes UTC). Every bad row is named and nothing is written; otherwise
    /// its calls are recorded as the PBX stream records them (a call known already is brought up to date).
    public static func runAsteriskCDR(file: Data, zone: TimeZone, dryRun: Bool, into database: Database, at now: Date) async throws -> ImportReport {
        let table = try ImportTable.read(file, hasHeader: false)
        var report = ImportReport(dryRun: dryRun)
        var records: [AsteriskCDR.Record] = []
        for (number, values) in table.rows {
            do throws(ValidationFailure) {
                records.append(try AsteriskCDR.record(values, zone: zone))
            } catch {
                for problem in error.errors {
                    let column = AsteriskCDR.columns.firstIndex(of: problem.field)
                    report.problems.append(ImportProblem(row: number, column: problem.field,
                                                         value: column.flatMap { $0 < values.count ? values[$0] : nil } ?? "", reason: problem.reason))
                }
            }
        }
        guard report.problems.isEmpty else { return report }
        let calls = AsteriskCDR.calls(records)
        guard !dryRun else {
            report.created = calls.count
            return report
        }
        for call in try await database.recordCalls(calls, source: "asterisk", at: now) {
            if call.isNew { report.created += 1 } else { report.matched(changed: call.changed) }
        }
        return report
    }

    /// A mapping file: a JSON object from the file's column names to canonical fields ("-" skips a column).
    public static func mapping(_ data: Data) throws(ImportFailure) -> [String: String] {
        guard let mapping = try? JSONDecoder().decode([String: String].self, from: data) else {
            throw .layout("the mapping file must be a JSON object of column names, like {\"Company\": \"name\", \"Notes 2\": \"-\"}")
        }
        return mapping
    }
}
