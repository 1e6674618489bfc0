import Foundation
import KvotaCore
@testable import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

/// A bulk load drops the secondary indexes while rows stream in, but not those of a table with triggers: PostgreSQL's
/// stage-trail trigger reads a deal's history back at every statement, and without its index the M demo company's
/// load scanned the whole history each time (hours instead of minutes).
@Suite struct SecondaryIndexesTests {
    @Test(arguments: TestDatabase.engines)
    func aBulkLoadKeepsTheIndexesOfTablesWithTriggersAndBuildsTheRestAgain(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let before = try await Self.indexes(database)
            let triggered = try await Self.tablesWithTriggers(database)
            #expect(triggered.contains("sales_day"), "the packed roll-ups have triggers on both engines")
            #expect(triggered.contains("deal_stage_history") == (engine == .postgres), "the stage trails are PostgreSQL's")

            let dropped = try await SecondaryIndexes.drop(in: database)
            let during = try await Self.indexes(database)
            #expect(dropped.map(\.name).contains("activities_owner"), "an index of a table without triggers goes")
            for (name, table) in before where triggered.contains(table) {
                #expect(during[name] == table, "\(name) on \(table) stays")
            }
            #expect(Set(during.keys).isDisjoint(with: dropped.map(\.name)))

            try await SecondaryIndexes.create(dropped, in: database)
            #expect(try await Self.indexes(database) == before)
        }
    }

    /// Index name → table, of the indexes that are not a key's or a constraint's.
    static func indexes(_ database: Database) async throws -> [String: String] {
        try await database.read { sql in
            let rows = switch database.engine {
            case .sqlite: try await sql.raw("SELECT name, tbl_name AS tablename FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all()
            case .postgres: try await sql.raw("""
                SELECT indexname AS name, tablename FROM pg_indexes i WHERE schemaname = current_schema()
                AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
                """).all()
            }
            return Dictionary(uniqueKeysWithValues: try rows.map {
                (try $0.decode(column: "name", as: String.self), try $0.decode(column: "tablename", as: String.self))
            })
        }
    }

    static func tablesWithTriggers(_ database: Database) async throws -> Set<String> {
        try await database.read { sql in
            let rows = switch database.engine {
            case .sqlite: try await sql.raw("SELECT tbl_name AS name FROM sqlite_master WHERE type = 'trigger'").all()
            case .postgres: try await sql.raw("SELECT tgrelid::regclass::text AS name FROM pg_trigger WHERE NOT tgisinternal").all()
            }
            return Set(try rows.map { try $0.decode(column: "name", as: String.self) })
        }
    }
}
