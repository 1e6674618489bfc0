import Foundation
import HummingbirdTesting
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Testing

/// Issue 13: a connection that sends nothing is closed after `idleSeconds`, on a real socket. The limit on connections
/// is tested on `kvota serve` itself (`CommandLineTests`): Hummingbird's live test server drops the application's
/// connection limit when it moves the address to a free port.
@Suite struct ConnectionLimitsTests {
    @Test(arguments: TestDatabase.engines)
    func anIdleConnectionIsClosed(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            var config = AppConfig(logLevel: .critical, alertsEverySeconds: 0)
            config.idleSeconds = 2
            let app = try await buildApplication(config, database: database)
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let idle = try RawConnection(port: port)
                try await Task.sleep(for: .milliseconds(3_000))
                #expect(idle.answer(within: 0.5) == "", "an idle connection is closed by the server")
                idle.close()
            }
        }
    }

    @Test func theLimitsAreReadFromTheEnvironment() throws {
        let standard = try AppConfig.fromEnvironment([:])
        #expect(standard.maxConnections == 1_000 && standard.idleSeconds == 75)
        let set = try AppConfig.fromEnvironment(["KVOTA_MAX_CONNECTIONS": "64", "KVOTA_IDLE_SECONDS": "30"])
        #expect(set.maxConnections == 64 && set.idleSeconds == 30)
        #expect(throws: StoreError.self) { try AppConfig.fromEnvironment(["KVOTA_MAX_CONNECTIONS": "2"]) }
        #expect(throws: StoreError.self) { try AppConfig.fromEnvironment(["KVOTA_IDLE_SECONDS": "0"]) }
    }
}
