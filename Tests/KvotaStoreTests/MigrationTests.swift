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

/// Migration 4 rebuilds SQLite's orders table to allow drafts: what was there stays, and still holds together;
/// migration 5 fills in each order's region and channel.
@Suite struct OrderDraftMigrationTests {
    @Test(arguments: TestDatabase.engines)
    func ordersAndTheirLinesSurviveAndDraftsBecomeAllowed(engine: DatabaseEngine) async throws {
        let (url, cleanup) = try await TestDatabase.make(engine, migrated: false)
        let database = try await Database.open(url)
        try await Migrator.migrate(database, through: 3)
        let records = try await TestRecords.make(database)
        let account = try await records.account(owner: nil)
        let order = try await records.order(account: account, owner: nil)
        let product = try await records.product(sku: "BOLT", priceMinor: 100, costMinor: 50)
        try await database.write { sql in
            try await sql.raw("""
                INSERT INTO order_lines (order_id, product_id, quantity_milli, unit_price_minor, net_minor, net_base_minor, cost_base_minor)
                VALUES (\(bind: order), \(bind: product), 1000, 100, 100, 100, 50)
                """).run()
        }
        try await database.write { sql in
            try await sql.raw("INSERT INTO regions (code, name) VALUES ('N', 'North')").run()
            try await sql.raw("INSERT INTO channels (code, name, kind) VALUES ('dealer', 'Dealers', 'dealer')").run()
            try await sql.raw("""
                UPDATE accounts SET region_id = (SELECT id FROM regions), channel_id = (SELECT id FROM channels)
                """).run()
        }
        await #expect(throws: (any Error).self, "no drafts before migration 4") {
            try await database.write { sql in try await sql.raw("UPDATE orders SET status = 'draft'").run() }
        }

        #expect(try await Migrator.migrate(database).map(\.number) == Array(4...Migrations.latest))
        let kept = try await database.read { sql in
            try await sql.raw("""
                SELECT o.number AS number, COUNT(l.id) AS n FROM orders o JOIN order_lines l ON l.order_id = o.id GROUP BY o.number
                """).all().map { (try $0.decode(column: "number", as: String.self), try $0.decode(column: "n", as: Int.self)) }
        }
        #expect(kept.count == 1 && kept.first?.1 == 1, "the order and its line are still one order with one line")
        let placed = try await database.read { sql in
            try await sql.raw("""
                SELECT COUNT(*) AS n FROM orders o JOIN accounts a ON a.id = o.account_id
                WHERE o.region_id = a.region_id AND o.channel_id = a.channel_id
                """).first()!.decode(column: "n", as: Int.self)
        }
        #expect(placed == 1, "migration 5 gives existing orders their account's region and channel")
        try await database.write { sql in try await sql.raw("UPDATE orders SET status = 'draft'").run() }
        await #expect(throws: (any Error).self, "foreign keys are enforced again after the rebuild") {
            try await database.write { sql in
                try await sql.raw("""
                    INSERT INTO order_lines (order_id, product_id, quantity_milli, unit_price_minor, net_minor, net_base_minor, cost_base_minor)
                    VALUES (424242, \(bind: product), 1000, 100, 100, 100, 50)
                    """).run()
            }
        }
        await #expect(throws: (any Error).self, "the status is still checked") {
            try await database.write { sql in try await sql.raw("UPDATE orders SET status = 'sideways'").run() }
        }
        await database.close()
        try await cleanup()
    }
}
