import Foundation

/// One problem in an imported file: where (row as a spreadsheet numbers it, the header being row 1; the file's own
/// column name), what the cell held, and why it cannot be imported.
public struct ImportProblem: Hashable, Sendable, Codable {
    public let row: Int
    public let column: String
    public let value: String
    public let reason: String

    public init(row: Int, column: String, value: String, reason: String) {
        self.row = row; self.column = column; self.value = value; self.reason = reason
    }
}

/// What an import did, or (a dry run, or a file with problems) would have done: all rows or none are written.
public struct ImportReport: Hashable, Sendable, Codable {
    public var created = 0
    public var updated = 0
    public var problems: [ImportProblem] = []
    public var dryRun: Bool

    public init(dryRun: Bool) { self.dryRun = dryRun }

    /// Whether the rows are now in the database.
    public var written: Bool { !dryRun && problems.isEmpty }
}

/// One imported row on its way to the store: its row number and, for each canonical field, the file's column and
/// the cell's text, so the store can name both when something is wrong.
public struct ImportRow: Hashable, Sendable {
    public let row: Int
    public let cells: [String: ImportCell]

    public init(row: Int, cells: [String: ImportCell]) { self.row = row; self.cells = cells }

    /// The trimmed text of a field, nil when the column is absent or the cell empty.
    public subscript(field: String) -> String? {
        guard let text = cells[field]?.value.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }

    public func problem(_ field: String, _ reason: String) -> ImportProblem {
        ImportProblem(row: row, column: cells[field]?.column ?? field, value: cells[field]?.value ?? "", reason: reason)
    }
}

public struct ImportCell: Hashable, Sendable {
    public let column: String
    public let value: String

    public init(column: String, value: String) { self.column = column; self.value = value }
}
