import Foundation
import SQLiteNIO
import VaporCSQLite

/// A read-only SQLite connection that hands the analyses' integer rows over through SQLite's C interface
/// (`Database.integerRows`). SQLiteNIO makes every row an array of `SQLiteData` and every cell a column name and a
/// value; at scale L a director's funnel reads 880 000 rows, and that took three times as long as the engine's own
/// work (docs/performance.md, "Analytics"). Here a cell is one call to SQLite and one integer in a flat array.
///
/// SQLiteNIO (the package) has no such entry point, and its connection keeps its `sqlite3` handle to itself, so these
/// are connections of their own to the same file, opened by the same amalgamation (VaporCSQLite, sqlite-nio's C target).
/// Each is used by one thread at a time (its `ConnectionGate` lends it to one task, which runs it on the backend's
/// thread pool), so SQLite's per-call mutex is left out.
final class SQLiteRowReader: @unchecked Sendable {
    private var handle: OpaquePointer?

    init(path: String) throws {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        let opened = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard opened == SQLITE_OK else {
            let reason = handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "code \(opened)"
            sqlite_nio_sqlite3_close_v2(handle)
            handle = nil
            throw StoreError.cannotOpen(database: "sqlite:\(path)", reason: reason)
        }
        // As the other readers: wait for a writer's checkpoint instead of failing, and never write. Pages are read
        // through a memory map (up to SQLite's 2 GiB cap) instead of copied out of the kernel's cache one read at a time:
        // the copies were a tenth of a funnel's time at scale L.
        for pragma in ["PRAGMA busy_timeout = 10000", "PRAGMA query_only = ON", "PRAGMA mmap_size = 2147418112"] {
            do { try execute(pragma) } catch {
                close()
                throw StoreError.cannotOpen(database: "sqlite:\(path)", reason: "\(error)")
            }
        }
    }

    deinit { close() }

    func close() {
        guard let handle else { return }
        sqlite_nio_sqlite3_close_v2(handle)
        self.handle = nil
    }

    /// Runs the statements in one read transaction, so they see the same state of the file, and gathers the rows.
    /// Blocks: called on a thread of the backend's pool.
    func rows(_ statements: [(sql: String, binds: [SQLiteData])], columns: [String], texts: Set<String>) throws -> IntegerRows {
        var sink = IntegerRowSink(columns: columns, texts: texts)
        try execute("BEGIN")
        defer { try? execute("COMMIT") }
        for statement in statements {
            try read(statement.sql, binds: statement.binds, into: &sink)
        }
        return sink.rows
    }

    private func read(_ sql: String, binds: [SQLiteData], into sink: inout IntegerRowSink) throws {
        var statement: OpaquePointer?
        try check(sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, 0, &statement, nil), sql)
        defer { sqlite_nio_sqlite3_finalize(statement) }
        for (index, bind) in binds.enumerated() {
            let at = Int32(index + 1)
            let bound: Int32 = switch bind {
            case .integer(let value): sqlite_nio_sqlite3_bind_int64(statement, at, Int64(value))
            case .float(let value): sqlite_nio_sqlite3_bind_double(statement, at, value)
            case .text(let value):
                sqlite_nio_sqlite3_bind_text64(statement, at, value, UInt64(value.utf8.count), transient, UInt8(SQLITE_UTF8))
            case .null: sqlite_nio_sqlite3_bind_null(statement, at)
            case .blob(let value):
                value.withUnsafeReadableBytes {
                    sqlite_nio_sqlite3_bind_blob64(statement, at, $0.baseAddress, UInt64($0.count), transient)
                }
            }
            try check(bound, sql)
        }
        let names = (0..<sqlite_nio_sqlite3_column_count(statement)).map { String(cString: sqlite_nio_sqlite3_column_name(statement, $0)) }
        guard let positions = Self.positions(of: sink.columns, in: names) else { throw Self.missing(sink.columns, selected: names) }
        let cells = positions.map(Int32.init)
        while true {
            let stepped = sqlite_nio_sqlite3_step(statement)
            if stepped == SQLITE_DONE { break }
            try check(stepped == SQLITE_ROW ? SQLITE_OK : stepped, sql)
            for (column, cell) in cells.enumerated() {
                switch (sqlite_nio_sqlite3_column_type(statement, cell), sink.isText[column]) {
                case (SQLITE_INTEGER, false): sink.values.append(sqlite_nio_sqlite3_column_int64(statement, cell))
                case (SQLITE_NULL, false): sink.values.append(0)
                case (SQLITE_NULL, true): sink.values.append(-1)
                case (SQLITE_TEXT, true):
                    let bytes = UnsafeRawBufferPointer(start: sqlite_nio_sqlite3_column_text(statement, cell),
                                                       count: Int(sqlite_nio_sqlite3_column_bytes(statement, cell)))
                    sink.values.append(sink.interned.index(of: bytes))
                default:
                    throw StoreError.query("column \(sink.columns[column]) holds a value that is not an integer")
                }
            }
        }
    }

    private func execute(_ sql: String) throws {
        try check(sqlite_nio_sqlite3_exec(handle, sql, nil, nil, nil), sql)
    }

    private func check(_ code: Int32, _ sql: String) throws {
        guard code != SQLITE_OK else { return }
        let message = handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "code \(code)"
        throw StoreError.query("\(message) in \(sql.prefix(200))")
    }

    /// SQLite copies a bound text or blob before the call returns.
    private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Where each of `columns` sits among the `selected` columns of a query's rows; nil when one is not among them.
    private static func positions(of columns: [String], in selected: [String]) -> [Int]? {
        let found = columns.compactMap { selected.firstIndex(of: $0) }
        return found.count == columns.count ? found : nil
    }

    private static func missing(_ columns: [String], selected: [String]) -> StoreError {
        .query("a query selected (\(selected.joined(separator: ", "))), not every one of (\(columns.joined(separator: ", ")))")
    }
}
