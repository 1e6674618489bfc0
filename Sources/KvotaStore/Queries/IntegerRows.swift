import Foundation
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
    /// Runs `queries` one after the other on one reader and gathers their rows; each selects `columns` (in any order,
    /// among others), every one an integer (a null is read as 0) except those named in `texts`, which are text or null.
    ///
    /// The values are taken cell by cell instead of through SQLKit's `decode(column:as:)`, which goes through
    /// `Decodable` and a lookup by name for every value: at scale L a director's customer analyses read 170 000 to
    /// 730 000 rows, and decoding them that way took longer than the query (docs/performance.md, "Analytics"). SQLite's
    /// come through its C interface on a connection of their own (`SQLiteRowReader`), all the queries in one read
    /// transaction; PostgreSQL's through PostgresNIO's rows.
    func integerRows(_ queries: [SQLQueryString], columns: [String], texts: Set<String> = []) async throws -> IntegerRows {
        switch backend {
        case .sqlite(let sqlite):
            // Serialized with a reader's dialect; the rows are read on a connection of `SQLiteRowReader`'s own.
            let encoder = SQLiteDataEncoder()
            let statements = try queries.map { query in
                var serializer = SQLSerializer(database: sqlite.readers.all[0].sql())
                query.serialize(to: &serializer)
                return (sql: serializer.sql, binds: try serializer.binds.map { try encoder.encode($0) })
            }
            return try await sqlite.rowReaders.with { reader in
                try await sqlite.threadPool.runIfActive { try reader.rows(statements, columns: columns, texts: texts) }
            }
        case .postgres(let postgres):
            // PostgresNIO's own rows, each cell decoded where it sits: SQLKit's `decode(column:as:)` went through
            // `Decodable` and a lookup by name for every value, which made a funnel at scale M seven times SQLite's.
            return try await postgres.client.withConnection { connection in
                var sink = IntegerRowSink(columns: columns, texts: texts)
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
                        let base = sink.values.count
                        sink.values.append(contentsOf: repeatElement(0, count: columns.count))
                        for (cell, column) in zip(row, columnOfCell) {
                            guard let column else { continue }
                            if sink.isText[column] {
                                sink.values[base + column] = try cell.decode(String?.self).map { sink.interned.index(of: $0) } ?? -1
                            } else {
                                sink.values[base + column] = try cell.decode(Int64?.self) ?? 0
                            }
                        }
                    }
                }
                return sink.rows
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

/// The integers of a call's rows gathered so far, in `columns`' order, on either engine.
struct IntegerRowSink {
    let columns: [String]
    /// Whether each column is read as text.
    let isText: [Bool]
    var values: [Int64] = []
    var interned = TextIndex()

    init(columns: [String], texts: Set<String>) {
        self.columns = columns
        isText = columns.map(texts.contains)
    }

    var rows: IntegerRows { IntegerRows(width: columns.count, values: values, texts: interned.texts) }
}

/// Each distinct text once, by its index.
struct TextIndex {
    private(set) var texts: [String] = []
    private var indexes: [String: Int64] = [:]
    /// Each text's bytes, to find a text SQLite hands over without making a `String` of every cell.
    private var utf8: [[UInt8]] = []

    mutating func index(of text: String) -> Int64 {
        if let index = indexes[text] { return index }
        texts.append(text)
        utf8.append(Array(text.utf8))
        indexes[text] = Int64(texts.count - 1)
        return Int64(texts.count - 1)
    }

    /// A text column of an analysis holds a few distinct values (statuses, currencies, loss reasons): comparing the bytes
    /// with each of a few beats hashing a new string; past a few dozen the strings are hashed.
    mutating func index(of bytes: UnsafeRawBufferPointer) -> Int64 {
        if utf8.count <= 32 {
            for (index, known) in utf8.enumerated() where known.count == bytes.count {
                if bytes.isEmpty || known.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
                    return Int64(index)
                }
            }
        }
        return index(of: String(decoding: bytes, as: UTF8.self))
    }
}
