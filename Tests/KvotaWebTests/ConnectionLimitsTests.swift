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
                #expect(idle.answer(within: 1) == nil, "open for a while")
                // Closed soon after the idle time; the wait's bound is long because a loaded CI machine runs the timer late.
                #expect(idle.answer(within: 60) == "", "an idle connection is closed by the server")
                idle.close()
            }
        }
    }

    @Test func theLimitsAreReadFromTheEnvironment() throws {
        let standard = try AppConfig.fromEnvironment([:])
        #expect(standard.maxConnections == 1_000 && standard.idleSeconds == 75)
        let set = try AppConfig.fromEnvironment(["KVOTA_MAX_CONNECTIONS": "64", "KVOTA_IDLE_SECONDS": "30"])
        #expect(set.maxConnections == 64 && set.idleSeconds == 30)
        // Each bounded number names its setting, what it counts and its bounds.
        let bad = [("KVOTA_MAX_CONNECTIONS", "2", "expected a number of connections from 8 to 100000, got '2'"),
                   ("KVOTA_IDLE_SECONDS", "0", "expected seconds from 1 to 3600, got '0'"),
                   ("KVOTA_LEASE_SECONDS", "ten", "expected seconds from 3 to 3600, got 'ten'"),
                   ("KVOTA_ANALYSES_AT_ONCE", "257", "expected a number of analyses from 1 to 256, got '257'"),
                   ("KVOTA_PORT", "70000", "expected a port number from 1 to 65535, got '70000'")]
        for (setting, value, reason) in bad {
            #expect(throws: StoreError.badSetting(setting: setting, reason: reason)) { try AppConfig.fromEnvironment([setting: value]) }
        }
    }
}
