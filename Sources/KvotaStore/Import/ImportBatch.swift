import Foundation
import KvotaCore
import SQLKit

/// One kind's rows in an import. A file in Kvota's layout is one step; an export from another system (a preset,
/// docs/import.md) may be several: the accounts and products a 1C sales report names, then its orders.
public struct ImportStep: Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case accounts, contacts, products, leads, deals, orders, calls
        /// Deals' stage histories from the system they came from (`stageHistoryRows`); a preset's step, no file kind.
        case stageHistory = "stage_history"
        /// Deals' product lines from the system they came from (`dealLineRows`); a preset's step, no file kind.
        case dealLines = "deal_lines"
    }

    public let kind: Kind
    public let rows: [ImportRow]
    /// Rows naming a record that exists (by any key the kind is looked up by) are left alone and counted unchanged:
    /// a preset adds the customers and products another system names only when Kvota does not know them yet.
    public let onlyMissing: Bool

    public init(_ kind: Kind, _ rows: [ImportRow], onlyMissing: Bool = false) {
        self.kind = kind; self.rows = rows; self.onlyMissing = onlyMissing
    }
}

extension Database {
    /// Runs the steps in order in one transaction, each seeing what the ones before it wrote; keeps the writes only
    /// when it is not a dry run and no step had a problem. Stops at the first step with problems (the steps after it
    /// would only repeat them as records it did not make), so the reports are those of the steps that ran.
    public func importBatch(_ steps: [ImportStep], dryRun: Bool, by actor: Actor, at now: Date) async throws -> [ImportReport] {
        try await WebhookOutbox.$quiet.withValue(true) { try await importBatchSteps(steps, dryRun: dryRun, by: actor, at: now) }
    }

    private func importBatchSteps(_ steps: [ImportStep], dryRun: Bool, by actor: Actor, at now: Date) async throws -> [ImportReport] {
        do {
            let meter = ImportProgressMeter.current
            meter?.update { $0.stage = .importing; $0.stepsTotal = steps.count; $0.rowsTotal = steps.reduce(0) { $0 + $1.rows.count } }
            return try await write(bulk: { sql, bulk in
                var reports: [ImportReport] = []
                for (index, step) in steps.enumerated() {
                    let rowsBefore = steps[..<index].reduce(0) { $0 + $1.rows.count }
                    meter?.update { $0.kind = step.kind.rawValue; $0.stepsDone = index; $0.rowsDone = rowsBefore }
                    var rows = step.rows
                    var known = 0
                    if step.onlyMissing {
                        rows = try await Self.missing(step, in: sql)
                        known = step.rows.count - rows.count
                    }
                    var report: ImportReport
                    switch step.kind {
                    case .accounts: report = try await accountRows(rows, by: actor, at: now, in: sql)
                    case .contacts: report = try await contactRows(rows, by: actor, at: now, in: sql)
                    case .products: report = try await productRows(rows, by: actor, at: now, in: sql)
                    case .deals: report = try await dealRows(rows, by: actor, at: now, in: sql)
                    case .calls: report = try await callRows(rows, by: actor, at: now, in: sql)
                    case .leads: report = try await leadRows(rows, by: actor, at: now, in: sql)
                    case .stageHistory: report = try await stageHistoryRows(rows, by: actor, at: now, in: sql)
                    case .dealLines: report = try await dealLineRows(rows, by: actor, at: now, in: sql)
                    case .orders:
                        report = try await orderRows(rows, by: actor, at: now, checkOnly: dryRun && index == steps.count - 1, in: sql,
                                                     bulk: bulk)
                    }
                    report.dryRun = dryRun
                    report.unchanged += known
                    reports.append(report)
                    // Steps that write in bulk (orders) count their rows here, at once.
                    meter?.update { $0.stepsDone = index + 1; $0.rowsDone = rowsBefore + step.rows.count }
                    if !report.problems.isEmpty { break }
                }
                meter?.update { $0.stage = .committing }
                if dryRun || reports.contains(where: { !$0.problems.isEmpty }) { throw ImportRollback(reports: reports) }
                return reports
            })
        } catch let rollback as ImportRollback {
            return rollback.reports
        }
    }

    /// The step's rows that name no record yet, looked up as the other kinds' rows name them (`ImportLookup`), so a
    /// record left alone here is the one a later step's row finds.
    static func missing(_ step: ImportStep, in sql: any SQLDatabase) async throws -> [ImportRow] {
        let lookup: ImportLookup, fields: [String]
        switch step.kind {
        case .accounts: (lookup, fields) = (.accounts, ["external_id", "legal_id", "name"])
        case .products: (lookup, fields) = (.products, ["sku", "external_id", "name"])
        case .contacts: (lookup, fields) = (.contacts, ["external_id", "email", "name"])
        case .leads, .deals, .orders, .calls, .stageHistory, .dealLines: return step.rows
        }
        // A row is known by the first key it fills, as the rows of the later steps name it: a 1C customer with a tax id
        // Kvota lacks is added, even when an account of the same name exists.
        // A cell of several emails is known by its first, which the contact's email is.
        let keys = step.rows.map { row in
            fields.lazy.compactMap { field in row[field].map { field == "email" ? ImportText.list($0).first ?? $0 : $0 } }.first
        }
        let found = try await lookup.ids(Set(keys.compactMap { $0 }), in: sql)
        return zip(step.rows, keys).filter { _, key in key.map { found[$0] == nil } ?? true }.map(\.0)
    }
}
