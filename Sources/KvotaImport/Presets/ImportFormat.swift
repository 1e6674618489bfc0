import Foundation
import KvotaCore
import KvotaStore

/// Whose layout a file is in: Kvota's own (one kind per file, docs/import.md), or another system's export, which a
/// preset turns into Kvota's steps.
public enum ImportFormat: String, CaseIterable, Sendable {
    case kvota
    /// A sales report from 1C (docs/import.md, "1C sales reports"): orders, with the customers and products it names.
    case oneC = "1c"
    /// HubSpot's exports of companies, contacts and deals (docs/import.md, "HubSpot").
    case hubspot
    /// Pipedrive's exports of organisations, persons and deals (docs/import.md, "Pipedrive").
    case pipedrive
    /// Salesforce's Data Export: a zip of one CSV per object, or one object's file (docs/import.md, "Salesforce").
    case salesforce

    /// The kinds a file in this format can hold.
    public var kinds: [String] {
        switch self {
        case .kvota: ImportLayout.all.map(\.kind)
        case .oneC: ["orders"]
        case .hubspot: HubSpotExport.kinds
        case .pipedrive: PipedriveExport.kinds
        case .salesforce: SalesforceExport.kinds
        }
    }
}

/// Another system's export as Kvota's import steps, with what reading it found: rows that are not records (a
/// report's totals), columns with no place in Kvota, and problems no store would see (a return in a sales report).
struct PresetImport {
    var steps: [ImportStep] = []
    var problems: [ImportProblem] = []
    var skippedRows = 0
    var ignoredColumns: [String] = []

    /// Rows for one step: each field taken from the file's column (named in problems) or made from several.
    struct RowBuilder {
        let columns: ImportColumns
        private(set) var rows: [ImportRow] = []

        /// The fields whose column the file has; a field without one (nil) is left out of the step.
        init(_ columns: [(field: String, column: String?)]) {
            self.columns = ImportColumns(columns.compactMap { field, column in column.map { (field, $0) } })
        }

        mutating func append(row: Int, _ values: [String: String]) {
            rows.append(ImportRow(row: row, columns: columns, values: columns.fields.map { values[$0] ?? "" }))
        }
    }

    /// The file's columns matched to a preset's fields: its own names in four languages, then the mapping file's.
    static func columns(of header: [String], names: [String: String], mapping: [String: String], fields: Set<String>,
                        required: [String], preset: String) throws(ImportFailure) -> (positions: [String: Int], ignored: [String]) {
        var positions: [String: Int] = [:]
        var ignored: [String] = []
        for (index, name) in header.enumerated() where !name.isEmpty {
            let field: String?
            if let mapped = mapping[name] {
                guard mapped == "-" || fields.contains(mapped) else {
                    throw .layout("the mapping sends '\(name)' to '\(mapped)', which a \(preset) does not have; it has "
                                  + fields.sorted().joined(separator: ", "))
                }
                field = mapped == "-" ? nil : mapped
            } else {
                field = names[ImportLayout.normalised(name)]
                if field == nil { ignored.append(name) }
            }
            guard let field else { continue }
            if let other = positions[field] { throw .layout("columns '\(header[other])' and '\(name)' are both \(field)") }
            positions[field] = index
        }
        let missing = required.filter { positions[$0] == nil }
        if !missing.isEmpty { throw .layout("a \(preset) needs a column for \(missing.joined(separator: ", "))") }
        return (positions, ignored)
    }

    /// Another CRM's stage in a Kvota pipeline: the stage with its name (or one of `also`, compared without case and
    /// spaces); else, when the other CRM says how the stage ends or its odds, the pipeline's won or lost stage or the
    /// open stage with the nearest odds; else the name as it is, for the deal import to name as unknown.
    static func place(_ text: String, also: [String] = [], outcome: StageOutcome?, probability: Int?,
                      in pipeline: (Pipeline, [Stage])?) -> (String, StageOutcome) {
        guard let stages = pipeline?.1 else { return (text, outcome ?? .open) }
        let keys = Set(([text] + also).map(ImportLayout.normalised))
        if let same = stages.first(where: { keys.contains(ImportLayout.normalised($0.name)) }) { return (same.name, same.outcome) }
        if let outcome, outcome != .open {
            return (stages.first { $0.outcome == outcome }?.name ?? text, outcome)
        }
        guard let probability, let nearest = stages.filter({ $0.outcome == .open })
            .min(by: { abs($0.probability - probability) < abs($1.probability - probability) }) else { return (text, .open) }
        return (nearest.name, .open)
    }

    /// Another CRM's forecast category (HubSpot's, Salesforce's `ForecastCategoryName`) as Kvota's; "Closed" and
    /// unknown ones leave the stage's default.
    static func forecast(_ text: String) -> String? {
        switch ImportLayout.normalised(text) {
        case "commit": "commit"
        case "bestcase": "best_case"
        case "pipeline": "pipeline"
        case "omit", "omitted", "notforecasted": "omitted"
        default: nil
        }
    }
}
