import SQLKit

/// The indexes that are not part of a key or a constraint, read from the catalogue so a bulk load can drop and
/// rebuild exactly what the migrations created. A table with triggers keeps its indexes: a trigger reads back what
/// was written (PostgreSQL's stage trails read a deal's whole history at each statement), and without its index each
/// of the load's statements scanned the table, so the M demo company took hours to load on PostgreSQL instead of
/// minutes. The tables with triggers are the roll-ups a load fills at the end, and the stage history.
enum SecondaryIndexes {
    struct Definition: Sendable {
        let name: String
        let sql: String
    }

    static func drop(in database: Database) async throws -> [Definition] {
        try await database.write { sql in
            let rows: [any SQLRow]
            switch database.engine {
            case .sqlite:
                rows = try await sql.raw("""
                    SELECT name, sql FROM sqlite_master i WHERE type = 'index' AND sql IS NOT NULL
                    AND sql NOT LIKE 'CREATE UNIQUE%'
                    AND NOT EXISTS (SELECT 1 FROM sqlite_master t WHERE t.type = 'trigger' AND t.tbl_name = i.tbl_name) ORDER BY name
                    """).all()
            case .postgres:
                rows = try await sql.raw("""
                    SELECT i.indexname AS name, i.indexdef AS sql FROM pg_indexes i
                    WHERE i.schemaname = current_schema() AND i.indexdef NOT LIKE 'CREATE UNIQUE%'
                    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
                    AND NOT EXISTS (SELECT 1 FROM pg_trigger t
                                    WHERE t.tgrelid = format('%I.%I', i.schemaname, i.tablename)::regclass AND NOT t.tgisinternal)
                    ORDER BY i.indexname
                    """).all()
            }
            let definitions = try rows.map {
                Definition(name: try $0.decode(column: "name", as: String.self), sql: try $0.decode(column: "sql", as: String.self))
            }
            for definition in definitions { try await sql.raw("DROP INDEX \(ident: definition.name)").run() }
            return definitions
        }
    }

    static func create(_ definitions: [Definition], in database: Database) async throws {
        for definition in definitions {
            try await database.write { sql in try await sql.raw(SQLQueryString(definition.sql)).run() }
        }
    }
}
