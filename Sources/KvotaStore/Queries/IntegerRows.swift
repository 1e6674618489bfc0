import SQLKit
import SQLiteKit
import SQLiteNIO

/// The rows of queries whose every column is an integer, read as one flat array: row `r`'s column `c` is at
/// `r * width + c`.
struct IntegerRows: Sendable {
    let width: Int
    var values: [Int64] = []

    var count: Int { width == 0 ? 0 : values.count / width }

    subscript(row: Int, column: Int) -> Int64 { values[row * width + column] }
}

extension Database {
    /// Runs `queries` one after the other on one reader and gathers their rows; each selects exactly `columns`, in
    /// that order, every one an integer (a null is read as 0).
    ///
    /// On SQLite the values are taken from the engine's rows directly instead of through SQLKit's `decode(column:as:)`,
    /// which goes through `Decodable` for every value: at scale L a director's customer analyses read 170 000 to
    /// 730 000 rows, and decoding them that way took longer than the query (docs/performance.md, "Analytics").
    /// PostgreSQL rows are decoded the SQLKit way.
    func integerRows(_ queries: [SQLQueryString], columns: [String]) async throws -> IntegerRows {
        switch backend {
        case .sqlite(let sqlite):
            return try await sqlite.readers.with { connection in
                let sink = RowSink(columns: columns)
                let encoder = SQLiteDataEncoder()
                for query in queries {
                    var serializer = SQLSerializer(database: connection.sql())
                    query.serialize(to: &serializer)
                    let binds = try serializer.binds.map { try encoder.encode($0) }
                    try await connection.query(serializer.sql, binds) { row in sink.take(row) }
                    if let column = sink.notInteger { throw StoreError.query("column \(column) holds a value that is not an integer") }
                }
                return IntegerRows(width: columns.count, values: sink.values)
            }
        case .postgres:
            return try await read { sql in
                var rows = IntegerRows(width: columns.count)
                for query in queries {
                    for row in try await sql.raw(query).all() {
                        for column in columns { rows.values.append(try row.decode(column: column, as: Int64?.self) ?? 0) }
                    }
                }
                return rows
            }
        }
    }
}

/// Gathers the integers of SQLite rows. SQLiteNIO calls `take` for one statement's rows one at a time, in order, on its
/// own thread, and the statements run one after the other, so the array is never touched from two threads at once.
private final class RowSink: @unchecked Sendable {
    let columns: [String]
    var values: [Int64] = []
    /// The first column found holding anything but an integer or null.
    var notInteger: String?

    init(columns: [String]) {
        self.columns = columns
    }

    func take(_ row: SQLiteRow) {
        for column in columns {
            switch row.column(column) {
            case .integer(let value)?: values.append(Int64(value))
            case .null?: values.append(0)
            default:
                values.append(0)
                notInteger = notInteger ?? column
            }
        }
    }
}
