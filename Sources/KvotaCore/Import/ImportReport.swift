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
    public subscript(field: String) -> String? { cells[field]?.text }

    public func problem(_ field: String, _ reason: String) -> ImportProblem {
        ImportProblem(row: row, column: cells[field]?.column ?? field, value: cells[field]?.value ?? "", reason: reason)
    }
}

public struct ImportCell: Hashable, Sendable {
    public let column: String
    /// As the file has it, for problems.
    public let value: String
    /// Without the spaces around it; nil when nothing is left. Trimmed once here: the stores read each cell several
    /// times, and a sales history has millions of them.
    public let text: String?

    public init(column: String, value: String) {
        self.column = column; self.value = value
        let text = Self.trimmed(value)
        self.text = text.isEmpty ? nil : text
    }

    static func trimmed(_ value: String) -> String {
        // Most cells have nothing around them: a look at the first and last byte, and no copy.
        if let first = value.utf8.first, let last = value.utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 {
            return value
        }
        let characters = value.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }
        return String(characters.reversed())
    }
}
