import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit
import SQLiteNIO

/// The rows of queries whose every column is an integer, read as one flat array: row `r`'s column `c` is at
/// `r * width + c`. A column asked for as text holds the index of its value in `texts` (-1 for null): the few distinct
/// texts of a column such as a currency or a loss reason, each kept once.
struct IntegerRows: Sendable {
    let width: Int
    var values: [Int64] = []
    var texts: [String] = []

    var count: Int { width == 0 ? 0 : values.count / width }

    subscript(row: Int, column: Int) -> Int64 { values[row * width + column] }

    /// The text of a column read as text.
    func text(_ row: Int, _ column: Int) -> String? {
        let index = self[row, column]
        return index < 0 ? nil : texts[Int(index)]
    }
}

extension Database {
    /// Runs `queries` one after the other on one reader and gathers their rows; each selects exactly `columns`, in
    /// that order, every one an integer (a null is read as 0) except those named in `texts`, which are text or null.
    ///
    /// On SQLite the values are taken from the engine's rows directly instead of through SQLKit's `decode(column:as:)`,
    /// which goes through `Decodable` for every value: at scale L a director's customer analyses read 170 000 to
    /// 730 000 rows, and decoding them that way took longer than the query (docs/performance.md, "Analytics").
    /// PostgreSQL rows are read the same way, cell by cell through PostgresNIO.
    func integerRows(_ queries: [SQLQueryString], columns: [String], texts: Set<String> = []) async throws -> IntegerRows {
        switch backend {
        case .sqlite(let sqlite):
            return try await sqlite.readers.with { connection in
                let sink = RowSink(columns: columns, texts: texts)
                let encoder = SQLiteDataEncoder()
                for query in queries {
                    var serializer = SQLSerializer(database: connection.sql())
                    query.serialize(to: &serializer)
                    let binds = try serializer.binds.map { try encoder.encode($0) }
                    sink.positions = []
                    try await connection.query(serializer.sql, binds) { row in sink.take(row) }
                    if let selected = sink.missing { throw Self.missing(columns, selected: selected) }
                    if let column = sink.notInteger { throw StoreError.query("column \(column) holds a value that is not an integer") }
                }
                return IntegerRows(width: columns.count, values: sink.values, texts: sink.texts)
            }
        case .postgres(let postgres):
            // PostgresNIO's own rows, each cell decoded where it sits: SQLKit's `decode(column:as:)` went through
            // `Decodable` and a lookup by name for every value, which made a funnel at scale M seven times SQLite's.
            return try await postgres.client.withConnection { connection in
                var rows = IntegerRows(width: columns.count)
                var interned = TextIndex()
                let isText = columns.map(texts.contains)
                for query in queries {
                    var serializer = SQLSerializer(database: connection.sql())
                    query.serialize(to: &serializer)
                    var bindings = PostgresBindings(capacity: serializer.binds.count)
                    for bind in serializer.binds {
                        switch bind {
                        case let value as Int64: bindings.append(value)
                        case let value as Int: bindings.append(Int64(value))
                        case let value as String: bindings.append(value)
                        default: throw StoreError.query("integer rows take integer and text binds, not \(type(of: bind))")
                        }
                    }
                    // Which column each cell of a row is (nil for one not asked for), from the first row.
                    var columnOfCell: [Int?] = []
                    for try await row in try await connection.query(PostgresQuery(unsafeSQL: serializer.sql, binds: bindings), logger: logger) {
                        if columnOfCell.isEmpty {
                            let names = row.map(\.columnName)
                            guard let positions = Self.positions(of: columns, in: names) else { throw Self.missing(columns, selected: names) }
                            columnOfCell = names.indices.map { positions.firstIndex(of: $0) }
                        }
                        let base = rows.values.count
                        rows.values.append(contentsOf: repeatElement(0, count: columns.count))
                        for (cell, column) in zip(row, columnOfCell) {
                            guard let column else { continue }
                            if isText[column] {
                                rows.values[base + column] = try cell.decode(String?.self).map { interned.index(of: $0) } ?? -1
                            } else {
                                rows.values[base + column] = try cell.decode(Int64?.self) ?? 0
                            }
                        }
                    }
                }
                rows.texts = interned.texts
                return rows
            }
        }
    }
}

extension Database {
    /// Where each of `columns` sits among the `selected` columns of a query's rows; nil when one is not among them.
    static func positions(of columns: [String], in selected: [String]) -> [Int]? {
        let found = columns.compactMap { selected.firstIndex(of: $0) }
        return found.count == columns.count ? found : nil
    }

    static func missing(_ columns: [String], selected: [String]) -> StoreError {
        .query("a query selected (\(selected.joined(separator: ", "))), not every one of (\(columns.joined(separator: ", ")))")
    }
}

/// Gathers the integers of SQLite rows. SQLiteNIO calls `take` for one statement's rows one at a time, in order, on its
/// own thread, and the statements run one after the other, so the array is never touched from two threads at once.
private final class RowSink: @unchecked Sendable {
    let columns: [String]
    /// Whether each column is read as text.
    let isText: [Bool]
    var values: [Int64] = []
    var interned = TextIndex()
    /// The first column found holding anything but an integer or null (or text, for a text column).
    var notInteger: String?
    /// Where each of `columns` sits in the current query's rows (empty until its first row).
    var positions: [Int] = []
    /// The columns a query selected when some of `columns` were not among them.
    var missing: [String]?

    var texts: [String] { interned.texts }

    init(columns: [String], texts: Set<String>) {
        self.columns = columns
        isText = columns.map(texts.contains)
    }

    func take(_ row: SQLiteRow) {
        // By position: a lookup by name hashed the column's name for every value, a fifth of reading a funnel's rows.
        // Where each column sits is worked out from the first row of each query.
        let cells = row.columns
        if positions.isEmpty {
            let names = cells.map(\.name)
            // The row callback cannot throw; the query's caller throws for these names.
            guard let found = Database.positions(of: columns, in: names) else {
                missing = missing ?? names
                return
            }
            positions = found
        }
        for (index, position) in positions.enumerated() {
            switch (cells[position].data, isText[index]) {
            case (.integer(let value), false): values.append(Int64(value))
            case (.null, false): values.append(0)
            case (.text(let value), true): values.append(interned.index(of: value))
            case (.null, true): values.append(-1)
            default:
                values.append(0)
                notInteger = notInteger ?? columns[index]
            }
        }
    }
}

/// Each distinct text once, by its index.
private struct TextIndex {
    private(set) var texts: [String] = []
    private var indexes: [String: Int64] = [:]

    mutating func index(of text: String) -> Int64 {
        if let index = indexes[text] { return index }
        texts.append(text)
        indexes[text] = Int64(texts.count - 1)
        return Int64(texts.count - 1)
    }
}
