import SQLKit

/// Company-wide settings as key/value text (time zone, base currency …).
public enum Settings {
    static func set(_ key: String, _ value: String, in sql: any SQLDatabase, engine: DatabaseEngine) async throws {
        // Both engines speak `INSERT … ON CONFLICT DO UPDATE` (SQLite since 3.24).
        try await sql.raw("""
            INSERT INTO settings (key, value) VALUES (\(bind: key), \(bind: value))
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """).run()
    }

    public static func get(_ key: String, in database: Database) async throws -> String? {
        try await database.read { sql in
            try await sql.raw("SELECT value FROM settings WHERE key = \(bind: key)").first()?
                .decode(column: "value", as: String.self)
        }
    }
}
