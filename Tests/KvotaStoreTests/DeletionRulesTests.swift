import Foundation
import KvotaTestSupport
@testable import KvotaStore
import SQLKit
import Testing

/// `DeletionRules` answers every foreign key into a table the API deletes from, read from the migrated schema on
/// both engines: a reference it does not answer made a delete fail in the database with a 500 (a lead that came
/// from a web form, found by schemathesis).
@Suite struct DeletionRulesTests {
    struct ForeignKey: Hashable, CustomStringConvertible {
        let table: String, column: String, references: String
        var description: String { "\(table).\(column) → \(references)" }
    }

    @Test(arguments: TestDatabase.engines)
    func everyReferenceToADeletedTableIsAnswered(engine: DatabaseEngine) async throws {
        let keys = try await TestDatabase.with(engine) { database in
            try await database.read { sql in try await Self.foreignKeys(engine, in: sql) }
        }
        #expect(keys.count > 100, "the schema's foreign keys are read: \(keys.count)")
        var unanswered: [ForeignKey] = []
        for key in keys where DeletionRules.rules[key.references] != nil {
            let answered = DeletionRules.rules[key.references]!.contains { $0.table == key.table && $0.column == key.column }
            if !answered { unanswered.append(key) }
        }
        #expect(unanswered.isEmpty, "not in DeletionRules: \(unanswered)")

        // Rows that go with a record are records too: what points at them needs an answer of its own.
        let referenced = Set(keys.map(\.references))
        for (table, referrers) in DeletionRules.rules {
            for child in referrers where child.fate == .goesWith && referenced.contains(child.table) {
                #expect(DeletionRules.rules[child.table] != nil, "\(table) takes \(child.table) with it, which others point at")
            }
            for referrer in referrers {
                #expect(keys.contains(ForeignKey(table: referrer.table, column: referrer.column, references: table)),
                        "\(referrer.table).\(referrer.column) is a foreign key into \(table)")
            }
        }
    }

    /// Every table the store deletes a record of by its id has a rule, so a new delete cannot forget to ask.
    @Test func everyTableDeletedByIdHasARule() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/KvotaStore")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "swift" }
        let pattern = try Regex(#"DELETE FROM ([a-z_]+) WHERE id (=|IN)"#)
        var tables: Set<String> = []
        for file in files {
            for match in try String(contentsOf: file, encoding: .utf8).matches(of: pattern) {
                tables.insert(String(match.output[1].substring!))
            }
        }
        #expect(tables.count > 15, "the scanner finds the deletes: \(tables.sorted())")
        #expect(tables.subtracting(DeletionRules.rules.keys).isEmpty, "deleted without a rule: \(tables.subtracting(DeletionRules.rules.keys).sorted())")
    }

    static func foreignKeys(_ engine: DatabaseEngine, in sql: any SQLDatabase) async throws -> Set<ForeignKey> {
        let rows = switch engine {
        case .sqlite:
            try await sql.raw("""
                SELECT m.name AS from_table, f."from" AS from_column, f."table" AS to_table
                FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table'
                """).all()
        case .postgres:
            try await sql.raw("""
                SELECT c.relname AS from_table, a.attname AS from_column, r.relname AS to_table
                FROM pg_constraint AS k
                JOIN pg_class AS c ON c.oid = k.conrelid JOIN pg_class AS r ON r.oid = k.confrelid
                JOIN pg_attribute AS a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
                WHERE k.contype = 'f' AND pg_table_is_visible(c.oid)
                """).all()
        }
        return Set(try rows.map {
            ForeignKey(table: try $0.decode(column: "from_table", as: String.self), column: try $0.decode(column: "from_column", as: String.self),
                       references: try $0.decode(column: "to_table", as: String.self))
        })
    }
}
