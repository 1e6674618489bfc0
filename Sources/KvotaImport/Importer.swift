import Foundation
import KvotaCore
import KvotaStore

/// A whole import: read the file, match its columns, and hand the rows to the store, which writes all of them or
/// none. Used by `kvota import` (and, later, the API upload).
public enum Importer {
    public static let kinds = ImportLayout.all.map(\.kind)

    /// `format`: whose layout the file is in; another system's export (a preset) may bring records of other kinds
    /// along, in the same transaction, counted in the report's `related`.
    public static func run(kind: String, file: Data, mapping: [String: String] = [:], format: ImportFormat = .kvota, dryRun: Bool,
                           into database: Database, by actor: Actor, at now: Date) async throws -> ImportReport {
        guard format.kinds.contains(kind) else {
            if format == .kvota { throw ImportFailure.layout("cannot import '\(kind)'; this version imports \(kinds.joined(separator: ", "))") }
            throw ImportFailure.layout("a \(format.rawValue) file holds \(format.kinds.joined(separator: ", ")), not \(kind)")
        }
        let preset: PresetImport
        switch format {
        case .kvota:
            let layout = ImportLayout.all.first { $0.kind == kind }!
            preset = PresetImport(steps: [ImportStep(ImportStep.Kind(rawValue: kind)!, try layout.rows(of: try ImportTable.read(file),
                                                                                                     mapping: mapping))])
        case .oneC:
            preset = try OneCSalesReport.read(try ImportTable.read(file), mapping: mapping, base: try await database.baseCurrency())
        case .hubspot:
            preset = try HubSpotExport.read(try ImportTable.read(file), kind: kind, mapping: mapping,
                                            pipelines: try await database.pipelines(for: actor))
        case .pipedrive:
            preset = try PipedriveExport.read(try ImportTable.read(file), kind: kind, mapping: mapping,
                                              pipelines: try await database.pipelines(for: actor))
        case .salesforce:
            // Salesforce names every field by its API name, the same in every org and language.
            guard mapping.isEmpty else { throw ImportFailure.layout("a Salesforce export is read by its API field names; it takes no mapping") }
            // A whole export is a zip of CSV files, not a workbook; its preset reads the files it needs.
            preset = try SalesforceExport.read(file, kind: kind, base: try await database.baseCurrency(),
                                               pipelines: try await database.pipelines(for: actor))
        }
        var report = ImportReport(dryRun: dryRun)
        if preset.problems.isEmpty {
            let reports = try await database.importBatch(preset.steps, dryRun: dryRun, by: actor, at: now)
            for (step, stepReport) in zip(preset.steps, reports) {
                if step.kind.rawValue == kind {
                    report.created = stepReport.created
                    report.updated = stepReport.updated
                    report.unchanged = stepReport.unchanged
                } else {
                    report.related.append(.init(kind: step.kind.rawValue, created: stepReport.created, updated: stepReport.updated,
                                                unchanged: stepReport.unchanged))
                }
                report.problems += stepReport.problems
            }
        } else {
            report.problems = preset.problems
        }
        report.skippedRows = preset.skippedRows
        report.ignoredColumns = preset.ignoredColumns
        // A large import changes what the planner should choose (Statistics.swift).
        if report.written && report.created + report.updated >= 10_000 { try await database.refreshStatistics() }
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
