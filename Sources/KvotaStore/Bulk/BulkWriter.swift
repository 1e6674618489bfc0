import Foundation
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit
import SQLiteNIO

/// Appends a table's rows inside the transaction that made it (`Database.write(bulk:)`).
struct BulkSink: Sendable {
    let append: @Sendable (BulkTable) async throws -> Void

    func callAsFunction(_ table: BulkTable) async throws {
        do {
            try await append(table)
        } catch {
            throw StoreError.query("writing \(table.name): \(StoreError.describe(error))")
        }
    }
}

extension Database {
    /// Appends rows in one transaction per call: multi-row INSERTs on SQLite, COPY on PostgreSQL.
    func bulkInsert(_ table: BulkTable) async throws {
        guard !table.rows.isEmpty else { return }
        // Sums are added inside a writer's own transaction (`write(bulk:)`); PostgreSQL's scratch table lives in it.
        assert(table.summedBy == nil, "a table of sums is loaded by write(bulk:)")
        do {
            try await insert(table)
        } catch {
            throw StoreError.query("loading \(table.name): \(StoreError.describe(error))")
        }
    }

    private func insert(_ table: BulkTable) async throws {
        switch backend {
        case .sqlite(let sqlite):
            try await sqlite.writer.with { connection in
                try await SQLiteBackend.transaction(connection) {
                    try await Self.insertSQLite(table, into: connection)
                }
            }
        case .postgres(let postgres):
            try await postgres.withConnection { connection in
                try await Self.copyPostgres(table, into: connection, logger: logger)
            }
        }
    }

    /// Runs `body` in one write transaction with a sink that appends rows on the transaction's own connection, so an
    /// import's many rows commit or roll back with the rest of its writes.
    func write<T: Sendable>(bulk body: (any SQLDatabase, BulkSink) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let sqlite):
            return try await sqlite.writer.with { connection in
                // A big transaction's dirty pages would overflow the default 2 MiB page cache, and SQLite would spill
                // them to the WAL and read them back again and again: up to 1 GiB, used only as the import needs it.
                try await connection.query("PRAGMA cache_size = -1048576", []) { _ in }
                // Each multi-row INSERT keeps a statement journal of the pages it touches; in memory, not a temp file.
                try await connection.query("PRAGMA temp_store = MEMORY", []) { _ in }
                let result: Result<T, any Error>
                do {
                    result = .success(try await SQLiteBackend.transaction(connection) {
                        try await body(connection.sql(queryLogLevel: .trace), BulkSink { table in
                            guard !table.rows.isEmpty else { return }
                            try await Self.insertSQLite(table, into: connection)
                        })
                    })
                } catch {
                    result = .failure(error)
                }
                // Back to SQLite's default, which hands the memory back.
                try await connection.query("PRAGMA cache_size = -2000", []) { _ in }
                try await connection.query("PRAGMA temp_store = DEFAULT", []) { _ in }
                return try result.get()
            }
        case .postgres(let postgres):
            let logger = logger
            return try await postgres.withTransaction(logger: logger) { connection in
                try await body(connection.sql(queryLogLevel: .trace), BulkSink { table in
                    guard !table.rows.isEmpty else { return }
                    try await Self.copyPostgres(table, into: connection, logger: logger)
                })
            }
        }
    }

    private static func insertSQLite(_ table: BulkTable, into connection: SQLiteConnection) async throws {
        // SQLite allows 32 766 bound parameters per statement.
        let rowsPerStatement = max(1, 32_000 / table.columns.count)
        let head = "INSERT INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES "
        let tuple = "(" + Array(repeating: "?", count: table.columns.count).joined(separator: ", ") + ")"
        let tail = table.summedBy.map { " " + upsert(table, into: table.name, by: $0) } ?? ""
        var start = 0
        while start < table.rows.count {
            let slice = table.rows[start..<min(start + rowsPerStatement, table.rows.count)]
            let sql = head + Array(repeating: tuple, count: slice.count).joined(separator: ", ") + tail
            var binds: [SQLiteData] = []
            binds.reserveCapacity(slice.count * table.columns.count)
            for row in slice {
                for value in row {
                    switch value {
                    case .int(let v): binds.append(.integer(Int(v)))
                    case .text(let v): binds.append(.text(v))
                    case .bool(let v): binds.append(.integer(v ? 1 : 0))
                    case .null: binds.append(.null)
                    }
                }
            }
            try await connection.query(sql, binds) { _ in }
            start += slice.count
        }
    }

    /// `ON CONFLICT … DO UPDATE` adding a summed table's other columns to the stored row's.
    private static func upsert(_ table: BulkTable, into name: String, by key: [String]) -> String {
        let sums = table.columns.filter { !key.contains($0) }.map { "\($0) = \(name).\($0) + excluded.\($0)" }
        return "ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET \(sums.joined(separator: ", "))"
    }

    private static func copyPostgres(_ table: BulkTable, into connection: PostgresConnection, logger: Logger) async throws {
        guard let key = table.summedBy else { return try await copy(table, as: table.name, into: connection, logger: logger) }
        // COPY cannot add to stored rows: the sums go to a scratch table first, then in with an upsert. The scratch
        // table is dropped at once, so the same table can take sums again in the transaction.
        let scratch = "bulk_\(table.name)"
        let columns = table.columns.joined(separator: ", ")
        try await connection.query(PostgresQuery(unsafeSQL: "CREATE TEMPORARY TABLE \(scratch) (LIKE \(table.name)) ON COMMIT DROP"), logger: logger)
        try await copy(table, as: scratch, into: connection, logger: logger)
        try await connection.query(PostgresQuery(unsafeSQL: """
            INSERT INTO \(table.name) (\(columns)) SELECT \(columns) FROM \(scratch) \(upsert(table, into: table.name, by: key))
            """), logger: logger)
        try await connection.query(PostgresQuery(unsafeSQL: "DROP TABLE \(scratch)"), logger: logger)
    }

    private static func copy(_ table: BulkTable, as name: String, into connection: PostgresConnection, logger: Logger) async throws {
        try await connection.copyFrom(table: name, columns: table.columns, logger: logger) { writer in
            var buffer = ByteBuffer()
            buffer.reserveCapacity(1 << 20)
            for row in table.rows {
                for (index, value) in row.enumerated() {
                    if index > 0 { buffer.writeStaticString("\t") }
                    switch value {
                    case .int(let v): buffer.writeString(String(v))
                    case .text(let v): writeCopyText(v, to: &buffer)
                    case .bool(let v): buffer.writeStaticString(v ? "t" : "f")
                    case .null: buffer.writeStaticString("\\N")
                    }
                }
                buffer.writeStaticString("\n")
                if buffer.readableBytes > 1 << 20 {
                    try await writer.write(buffer)
                    buffer.clear()
                }
            }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
        }
    }

    /// COPY's text format: backslash, tab, newline and carriage return are escaped.
    private static func writeCopyText(_ text: String, to buffer: inout ByteBuffer) {
        guard text.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
            buffer.writeString(text)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case 0x5C: buffer.writeStaticString("\\\\")
            case 0x09: buffer.writeStaticString("\\t")
            case 0x0A: buffer.writeStaticString("\\n")
            case 0x0D: buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }
}
