import SQLKit

/// The indexes that are not part of a key or a constraint, read from the catalogue so a bulk load can drop and
/// rebuild exactly what the migrations created.
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
                    SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
                    AND sql NOT LIKE 'CREATE UNIQUE%' ORDER BY name
                    """).all()
            case .postgres:
                rows = try await sql.raw("""
                    SELECT i.indexname AS name, i.indexdef AS sql FROM pg_indexes i
                    WHERE i.schemaname = current_schema() AND i.indexdef NOT LIKE 'CREATE UNIQUE%'
                    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) ORDER BY i.indexname
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
