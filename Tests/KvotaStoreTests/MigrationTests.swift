import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

@Suite struct MigrationTests {
    @Test(arguments: TestDatabase.engines)
    func migratingAnEmptyDatabaseAppliesEveryMigrationOnce(engine: DatabaseEngine) async throws {
        let (url, cleanup) = try await TestDatabase.make(engine, migrated: false)
        defer { Task { try? await cleanup() } }
        let database = try await Database.open(url)
        #expect(try await Migrator.schemaVersion(database) == 0)
        let applied = try await Migrator.migrate(database)
        #expect(applied.map(\.number) == Migrations.all.map(\.number))
        #expect(try await Migrator.schemaVersion(database) == Migrations.latest)
        #expect(try await Migrator.migrate(database).isEmpty)
        // The schema holds the core records, empty.
        let counts = try await database.tableCounts()
        #expect(counts.count >= 20 && counts.values.allSatisfy { $0 == 0 })
        await database.close()
        try await cleanup()
    }

    @Test(arguments: TestDatabase.engines)
    func aDatabaseFromANewerKvotaIsRefused(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            try await database.write { sql in
                try await sql.raw("INSERT INTO schema_migrations (number, name, applied_at) VALUES (9999, 'future', 0)").run()
            }
            await #expect(throws: StoreError.schemaTooNew(found: 9999, known: Migrations.latest)) {
                try await Migrator.migrate(database)
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func constraintsGuardTheCoreRecords(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            // A deal must point at an existing account: the foreign key is enforced on both engines.
            await #expect(throws: (any Error).self) {
                try await database.write { sql in
                    try await sql.raw("""
                        INSERT INTO deals (title, account_id, pipeline_id, stage_id, amount_minor, currency,
                            forecast_category, owner_id, status, created_at, updated_at)
                        VALUES ('x', 424242, 1, 1, 100, 'EUR', 'pipeline', 1, 'open', 0, 0)
                        """).run()
                }
            }
            // Checks reject values outside the vocabulary.
            await #expect(throws: (any Error).self) {
                try await database.write { sql in
                    try await sql.raw("INSERT INTO teams (name, kind) VALUES ('x', 'sideways')").run()
                }
            }
            // Emails are unique without regard to case.
            try await database.write { sql in
                try await sql.raw("""
                    INSERT INTO users (name, email, email_key, role, created_at) VALUES ('A', 'A@x.test', 'a@x.test', 'rep', 0)
                    """).run()
            }
            await #expect(throws: (any Error).self) {
                try await database.write { sql in
                    try await sql.raw("""
                        INSERT INTO users (name, email, email_key, role, created_at) VALUES ('B', 'a@X.test', 'a@x.test', 'rep', 0)
                        """).run()
                }
            }
        }
    }
}
