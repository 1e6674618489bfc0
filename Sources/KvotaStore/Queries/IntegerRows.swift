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
    /// Runs `queries` and gathers their rows, each query's after the one before, each query's rows in the order the
    /// engine hands them over (the analyses ask for none); each selects `columns` (in any order, among others), every
    /// one an integer (a null is read as 0) except those named in `texts`, which are text or null.
    ///
    /// The values are taken cell by cell instead of through SQLKit's `decode(column:as:)`, which goes through
    /// `Decodable` and a lookup by name for every value: at scale L a director's customer analyses read 170 000 to
    /// 730 000 rows, and decoding them that way took longer than the query (docs/performance.md, "Analytics"). SQLite's
    /// come through its C interface on a connection of their own (`SQLiteRowReader`), all the queries in one read
    /// transaction; PostgreSQL's packed by the server, a query on a connection of its own (`packedPostgresRows`).
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
            return try await packedPostgresRows(queries, columns: columns, texts: texts, postgres: postgres)
        }
    }

    /// Integer rows from PostgreSQL packed by the server into one `bytea` a query, row after row: an integer as its
    /// eight big-endian bytes, a text as its length in four (-1 for null) and its UTF-8 bytes. PostgresNIO spends about
    /// a microsecond and a quarter of Kvota's processor time on each row it hands over (the protocol's message a row,
    /// then a cell at a time), which at scale L was most of a director's funnel (880 000 rows) and weeks by rep (three
    /// times 192 000 owner-days); packing costs the server about half a microsecond a row. The queries run side by
    /// side, each on a connection of its own (docs/storage.md, "Integer rows on PostgreSQL").
    private func packedPostgresRows(_ queries: [SQLQueryString], columns: [String], texts: Set<String>,
                                    postgres: PostgresBackend) async throws -> IntegerRows {
        let values = columns.map { column in
            texts.contains(column)
                // `textsend` gives the text in the connection's encoding, UTF-8 (a third cheaper than `convert_to`).
                ? "COALESCE(int4send(octet_length(textsend(q.\"\(column)\"))) || textsend(q.\"\(column)\"), int4send(-1))"
                : "int8send(CAST(COALESCE(q.\"\(column)\", 0) AS BIGINT))"
        }.joined(separator: " || ")
        let packs = try await withThrowingTaskGroup(of: (Int, ByteBuffer?).self) { group in
            for (index, query) in queries.enumerated() {
                group.addTask { [logger] in
                    do {
                        return (index, try await Self.postgresPacked(query, packing: values, postgres: postgres, logger: logger))
                    } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42703" {
                        // The packing names each column: one the query does not select is an unknown column here.
                        throw StoreError.query("""
                            a query selected not every one of (\(columns.joined(separator: ", "))), or named a column that does not \
                            exist: \(error.serverInfo?[.message] ?? "")
                            """)
                    }
                }
            }
            var packs = [ByteBuffer?](repeating: nil, count: queries.count)
            for try await (index, bytes) in group { packs[index] = bytes }
            return packs
        }
        // In the queries' order, into one sink, so that a text has one index across them all.
        var sink = IntegerRowSink(columns: columns, texts: texts)
        sink.values.reserveCapacity(packs.reduce(0) { $0 + ($1?.readableBytes ?? 0) } / 8)
        for case let bytes? in packs { try Self.unpack(bytes, into: &sink) }
        return sink.rows
    }

    /// `query`'s rows as one `bytea` from PostgreSQL: `packing`, an expression of the row as `q`, for each row, joined by
    /// `string_agg` on a connection of its own; nil when the query has no row.
    static func postgresPacked(_ query: SQLQueryString, packing: String, postgres: PostgresBackend, logger: Logger) async throws -> ByteBuffer? {
        try await postgres.withConnection { connection in
            let (sql, bindings) = try postgresQuery(query, on: connection)
            let packed = "SELECT string_agg(\(packing), ''::bytea) AS packed FROM (\(sql)) AS q"
            var bytes: ByteBuffer?
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: packed, binds: bindings), logger: logger) {
                bytes = try row.decode(ByteBuffer?.self)
            }
            return bytes
        }
    }

    /// Appends the rows `packedPostgresRows` had the server pack.
    static func unpack(_ bytes: ByteBuffer, into sink: inout IntegerRowSink) throws {
        let malformed = StoreError.query("PostgreSQL's packed rows end inside a row")
        try bytes.withUnsafeReadableBytes { raw in
            var at = 0
            while at < raw.count {
                for column in sink.isText.indices {
                    if sink.isText[column] {
                        guard at + 4 <= raw.count else { throw malformed }
                        let length = Int(Int32(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: Int32.self)))
                        at += 4
                        guard length >= 0 else { sink.values.append(-1); continue }
                        guard at + length <= raw.count else { throw malformed }
                        sink.values.append(sink.interned.index(of: UnsafeRawBufferPointer(rebasing: raw[at..<(at + length)])))
                        at += length
                    } else {
                        guard at + 8 <= raw.count else { throw malformed }
                        sink.values.append(Int64(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: Int64.self)))
                        at += 8
                    }
                }
            }
        }
    }

    /// A query's SQL and binds for PostgresNIO directly; analyses bind integers and texts only.
    static func postgresQuery(_ query: SQLQueryString, on connection: PostgresConnection) throws -> (String, PostgresBindings) {
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
        return (serializer.sql, bindings)
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
