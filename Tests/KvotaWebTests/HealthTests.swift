import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaStore
import KvotaTestSupport
import KvotaWeb
import Testing

@Suite struct HealthTests {
    struct Health: Decodable, Equatable {
        let status: String
        let database: String
        let schemaVersion: Int?
    }

    @Test(arguments: TestDatabase.engines)
    func healthzReportsTheEngineAndSchemaVersion(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let app = try await buildApplication(AppConfig(logLevel: .warning, alertsEverySeconds: 0), database: database)
            try await app.test(.router) { client in
                try await client.execute(uri: "/healthz", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                    let health = try JSONDecoder().decode(Health.self, from: response.body)
                    #expect(health == Health(status: "ok", database: engine.rawValue, schemaVersion: Migrations.latest))
                }
                try await client.execute(uri: "/no-such-page", method: .get) { response in
                    #expect(response.status == .notFound)
                }
            }
        }
    }

    @Test func healthzAnswers503WhenTheDatabaseIsGone() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let app = try await buildApplication(AppConfig(logLevel: .critical, alertsEverySeconds: 0), database: database)
            try await app.test(.router) { client in
                await database.close()
                try await client.execute(uri: "/healthz", method: .get) { response in
                    #expect(response.status == .serviceUnavailable)
                    let health = try JSONDecoder().decode(Health.self, from: response.body)
                    #expect(health.status == "unavailable")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func startingMigratesAndLoadsTheDemoIntoAnEmptyDatabaseOnly(engine: DatabaseEngine) async throws {
        let (url, cleanup) = try await TestDatabase.make(engine, migrated: false)
        let database = try await Database.open(url)
        var config = AppConfig(database: url, demo: .tiny, logLevel: .warning)
        _ = try await buildApplication(config, database: database)
        #expect(try await Migrator.schemaVersion(database) == Migrations.latest)
        let first = try await database.fingerprint()
        #expect((first["orders"]?.first ?? 0) > 0)
        // A restart with --demo keeps what is there.
        config.demoSeed = 99
        _ = try await buildApplication(config, database: database)
        #expect(try await database.fingerprint() == first)
        await database.close()
        try await cleanup()
    }
}
