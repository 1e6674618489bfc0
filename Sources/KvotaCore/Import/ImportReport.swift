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
    /// Rows that matched a record already holding what they say: nothing written, no audit line.
    public var unchanged = 0
    public var problems: [ImportProblem] = []
    public var dryRun: Bool
    /// Records of other kinds the file brought along, by kind: the customers and products a 1C report names.
    public var related: [Related] = []
    /// Rows of another system's export that are not records: a report's totals and group headings.
    public var skippedRows = 0
    /// Columns of another system's export that Kvota has no field for (a report's margin, its VAT), left out.
    public var ignoredColumns: [String] = []

    public struct Related: Hashable, Sendable, Codable {
        public let kind: String
        public let created: Int
        public let updated: Int
        public let unchanged: Int

        public init(kind: String, created: Int, updated: Int, unchanged: Int) {
            self.kind = kind; self.created = created; self.updated = updated; self.unchanged = unchanged
        }
    }

    public init(dryRun: Bool) { self.dryRun = dryRun }

    /// Counts a record a row matched, by whether the row changed it.
    public mutating func matched(changed: Bool) {
        if changed { updated += 1 } else { unchanged += 1 }
    }

    /// Whether the rows are now in the database.
    public var written: Bool { !dryRun && problems.isEmpty }
}

/// Which file column holds each canonical field, shared by all rows of one file.
public final class ImportColumns: Sendable {
    /// The canonical fields the file has, in its column order.
    public let fields: [String]
    /// The file's column name for each field.
    let names: [String]
    let positions: [String: Int]

    /// `columns`: canonical field → the file's column name.
    public init(_ columns: [(field: String, column: String)]) {
        fields = columns.map(\.field)
        names = columns.map(\.column)
        positions = Dictionary(columns.enumerated().map { ($0.element.field, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }

    /// Where a field's cell is. The stores ask for every cell by name, millions of times a sales history: a few short
    /// names compared in turn cost less than hashing the name each time (which was a tenth of a dry run).
    func position(of field: String) -> Int? {
        guard fields.count <= 16 else { return positions[field] }
        return fields.firstIndex(of: field)
    }
}

/// One imported row on its way to the store: its row number and, for each canonical field, the file's column and
/// the cell's text, so the store can name both when something is wrong. The cells are in the order of `columns`:
/// an array per row, not a dictionary, because a sales history has millions of rows.
public struct ImportRow: Sendable {
    public let row: Int
    let columns: ImportColumns
    let cells: [ImportCell]

    public init(row: Int, columns: ImportColumns, values: [String]) {
        self.row = row; self.columns = columns
        cells = values.map(ImportCell.init(value:))
    }

    /// The trimmed text of a field, nil when the column is absent or the cell empty.
    public subscript(field: String) -> String? { columns.position(of: field).flatMap { cells[$0].text } }

    /// The fields the file has, in its column order.
    public var fields: [String] { columns.fields }

    /// Whether the file has a column for the field (an empty cell in it clears the field on an update).
    public func has(_ field: String) -> Bool { columns.position(of: field) != nil }

    public func problem(_ field: String, _ reason: String) -> ImportProblem {
        guard let position = columns.position(of: field) else { return ImportProblem(row: row, column: field, value: "", reason: reason) }
        return ImportProblem(row: row, column: columns.names[position], value: cells[position].value, reason: reason)
    }
}

struct ImportCell: Hashable, Sendable {
    /// As the file has it, for problems.
    let value: String
    /// Without the spaces around it; nil when nothing is left. Trimmed once here: the stores read each cell several
    /// times, and a sales history has millions of them.
    let text: String?

    init(value: String) {
        self.value = value
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
