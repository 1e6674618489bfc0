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

    /// A mapping file: a JSON object from the file's column names to canonical fields ("-" skips a column).
    public static func mapping(_ data: Data) throws(ImportFailure) -> [String: String] {
        guard let mapping = try? JSONDecoder().decode([String: String].self, from: data) else {
            throw .layout("the mapping file must be a JSON object of column names, like {\"Company\": \"name\", \"Notes 2\": \"-\"}")
        }
        return mapping
    }
}
