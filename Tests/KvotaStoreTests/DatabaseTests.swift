import Foundation
@testable import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

@Suite struct DatabaseTests {
    @Test(arguments: TestDatabase.engines)
    func integerRowsReadEveryQueryInOrderAndRefuseText(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            try await database.write { sql in
                for (code, parent) in [("N", nil), ("S", nil), ("SW", "S")] as [(String, String?)] {
                    try await sql.raw("""
                        INSERT INTO regions (code, name, parent_id) VALUES (\(bind: code), \(bind: code), (SELECT id FROM regions WHERE code = \(bind: parent)))
                        """).run()
                }
            }
            let rows = try await database.integerRows([
                "SELECT id AS a, parent_id AS b FROM regions ORDER BY code",
                "SELECT CAST(COUNT(*) AS BIGINT) AS a, CAST(SUM(id) AS BIGINT) AS b FROM regions WHERE code = \(bind: "SW")",
            ], columns: ["a", "b"])
            let ids = try await database.read { sql in
                try await sql.raw("SELECT id FROM regions ORDER BY code").all().map { try $0.decode(column: "id", as: Int64.self) }
            }
            #expect(rows.count == 4 && rows.width == 2)
            // N and S have no parent (null reads as 0); SW's is S.
            #expect(rows.values == [ids[0], 0, ids[1], 0, ids[2], ids[1], 1, ids[2]])
            await #expect(throws: (any Error).self) {
                _ = try await database.integerRows(["SELECT code AS a FROM regions"], columns: ["a"])
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func integerRowsInternTextsAndNameTheColumnsAQueryLacks(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            // 36 distinct names and an empty one over 40 rows: more than the few texts SQLite's bytes are compared with.
            let names = (0..<40).map { n in n == 39 ? "" : n % 36 == 0 ? "Север" : "Region \(n % 36)" }
            try await database.write { sql in
                for (n, name) in names.enumerated() {
                    try await sql.raw("INSERT INTO regions (code, name) VALUES (\(bind: "R\(n)"), \(bind: name))").run()
                }
            }
            let rows = try await database.integerRows(["SELECT id AS a, name AS t, CAST(NULL AS TEXT) AS u FROM regions ORDER BY id"],
                                                      columns: ["t", "a", "u"], texts: ["t", "u"])
            #expect(rows.count == 40 && rows.texts.count == 37)
            #expect((0..<rows.count).map { rows.text($0, 0) } == names && (0..<rows.count).allSatisfy { rows.text($0, 2) == nil })
            #expect((0..<rows.count).map { rows[$0, 1] } == (0..<rows.count).map { rows[0, 1] + Int64($0) })
            do {
                _ = try await database.integerRows(["SELECT id AS a FROM regions"], columns: ["a", "b"])
                Issue.record("a query without column b was read")
            } catch {
                #expect("\(error)".contains("not every one of (a, b)"), "\(error)")
            }
            await #expect(throws: (any Error).self) {
                _ = try await database.integerRows(["SELECT no_such_column AS a FROM regions"], columns: ["a"])
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aFailedWriteLeavesNothingBehind(engine: DatabaseEngine) async throws {
        struct Boom: Error {}
        try await TestDatabase.with(engine) { database in
            await #expect(throws: Boom.self) {
                try await database.write { sql in
                    try await sql.raw("INSERT INTO regions (code, name) VALUES ('N', 'North')").run()
                    throw Boom()
                }
            }
            let count = try await database.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM regions").first()?.decode(column: "n", as: Int.self)
            }
            #expect(count == 0)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func concurrentWritesAllLandWithoutLockErrors(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<200 {
                    group.addTask {
                        try await database.write { sql in
                            try await sql.raw("INSERT INTO regions (code, name) VALUES (\(bind: "R\(n)"), 'Region')").run()
                            // A read inside the same transaction sees the write.
                            let seen = try await sql.raw("SELECT COUNT(*) AS n FROM regions WHERE code = \(bind: "R\(n)")")
                                .first()?.decode(column: "n", as: Int.self)
                            #expect(seen == 1)
                        }
                    }
                    if n % 3 == 0 {
                        group.addTask {
                            _ = try await database.read { sql in try await sql.raw("SELECT COUNT(*) AS n FROM regions").all() }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let count = try await database.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM regions").first()?.decode(column: "n", as: Int.self)
            }
            #expect(count == 200)
        }
    }

    /// A broken bulk load names the table and the database's reason in one line, and writes nothing.
    @Test(arguments: TestDatabase.engines)
    func aFailedBulkLoadNamesTheTableAndTheReason(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let table = BulkTable(name: "contacts", columns: ["id", "account_id", "name", "created_at", "updated_at"],
                                  rows: [[.int(1), .null, .text("Ann"), .int(0), .int(0)],
                                         [.int(2), .int(999), .text("Bo"), .int(0), .int(0)]])
            let error = await #expect(throws: StoreError.self) { try await database.bulkInsert(table) }
            let text = error.map { "\($0)" } ?? ""
            #expect(text.hasPrefix("loading contacts: "), "\(text)")
            #expect(text.lowercased().contains("foreign key"), "\(text)")
            #expect(!text.contains("\n"))
            let count = try await database.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM contacts").first()?.decode(column: "n", as: Int.self)
            }
            #expect(count == 0)
        }
    }

    @Test func sqliteReadConnectionsRefuseWrites() async throws {
        _ = try await TestDatabase.with(.sqlite) { database in
            await #expect(throws: (any Error).self) {
                try await database.read { sql in try await sql.raw("INSERT INTO regions (code, name) VALUES ('X', 'X')").run() }
            }
        }
    }

    @Test func sqliteRunsInWALModeWithForeignKeys() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let (mode, keys) = try await database.read { sql in
                (try await sql.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self),
                 try await sql.raw("PRAGMA foreign_keys").first()?.decode(column: "foreign_keys", as: Int.self))
            }
            #expect(mode == "wal")
            #expect(keys == 1)
        }
    }

    @Test func anUnwritableSQLitePathIsAClearError() async throws {
        await #expect(throws: StoreError.cannotOpen(database: "sqlite:/proc/kvota/x.sqlite",
                                                    reason: "cannot create the folder /proc/kvota")) {
            _ = try await Database.open(.sqlite(path: "/proc/kvota/x.sqlite"))
        }
    }

    @Test func postgresConnectionFailuresSayWhy() async throws {
        // A port nobody listens on: the reason names the refusal, quickly.
        do {
            _ = try await Database.open(.postgres(host: "127.0.0.1", port: 9, user: "kvota", password: "x", database: "kvota"))
            Issue.record("opening a closed port succeeded")
        } catch let error as StoreError {
            guard case .cannotOpen(let name, let reason) = error else { Issue.record("\(error)"); return }
            #expect(name == "postgres://kvota:***@127.0.0.1:9/kvota")
            #expect(reason.lowercased().contains("refused"), "\(reason)")
        }
    }

    @Test func postgresWrongDatabaseIsReportedByName() async throws {
        guard TestDatabase.engines.contains(.postgres) else { return }
        guard case .postgres(let host, let port, let user, let password, _) = try TestDatabase.serverURL() else { return }
        do {
            _ = try await Database.open(.postgres(host: host, port: port, user: user, password: password, database: "no_such_db"))
            Issue.record("opening a missing database succeeded")
        } catch let error as StoreError {
            #expect(error.description.contains("\"no_such_db\" does not exist"), "\(error)")
        }
    }
}
