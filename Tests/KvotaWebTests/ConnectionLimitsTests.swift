import Foundation
import HummingbirdTesting
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Testing

/// Issue 13: a connection that sends nothing is closed after `idleSeconds`, and one that sends too slowly after
/// `idleSeconds` (its head) or `requestSeconds` (its body), on a real socket. The limit on connections
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
                #expect(try await idle.answer(waitingUpTo: 1) == nil, "open for a while")
                // Closed soon after the idle time; the wait's bound is long because a loaded CI machine runs the timer late.
                #expect(try await idle.answer(waitingUpTo: 60) == "", "an idle connection is closed by the server")
                idle.close()
            }
        }
    }

    /// A byte every half second is activity of a kind: neither a head nor a body sent that way holds the connection
    /// past its limit (2 seconds each here), although the sender is never idle for as long.
    @Test(arguments: TestDatabase.engines)
    func aSlowSenderIsDisconnected(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            var config = AppConfig(logLevel: .critical, alertsEverySeconds: 0)
            config.idleSeconds = 2
            config.requestSeconds = 2
            let app = try await buildApplication(config, database: database)
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let head = "POST /api/v1/auth/token HTTP/1.1\r\nHost: kvota\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n"
                let slowHead = try RawConnection(port: port)
                let headSent = try await Self.bytesSentBeforeTheClose(slowHead, trickling: String(head.dropLast(4)) + String(repeating: "x", count: 400))
                #expect(headSent < 200, "a head a byte at a time is closed")
                let slowBody = try RawConnection(port: port)
                try slowBody.send(head)
                let bodySent = try await Self.bytesSentBeforeTheClose(slowBody, trickling: "{" + String(repeating: " ", count: 3_999))
                #expect(bodySent < 200, "a body a byte at a time is closed")
                // A request sent at once is answered as ever.
                let prompt = try RawConnection(port: port)
                try prompt.send("GET /healthz HTTP/1.1\r\nHost: kvota\r\n\r\n")
                #expect(try await prompt.answer(waitingUpTo: 60)?.hasPrefix("HTTP/1.1 200") == true)
            }
        }
    }

    /// Sends `text` a byte every half second until the server closes the connection; the bytes it took. At most 120
    /// seconds (a loaded CI machine runs the timers late); `text.count` when it stayed open to the end. It sleeps
    /// between bytes rather than waiting on the socket: a blocked thread is one the server in this process lacks.
    static func bytesSentBeforeTheClose(_ connection: RawConnection, trickling text: String) async throws -> Int {
        for (sent, byte) in text.enumerated() {
            if connection.answer(within: 0) != nil { return sent }
            if (try? connection.send(String(byte))) == nil { return sent }
            if sent >= 240 { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        return text.count
    }

    @Test func theLimitsAreReadFromTheEnvironment() throws {
        let standard = try AppConfig.fromEnvironment([:])
        #expect(standard.maxConnections == 1_000 && standard.idleSeconds == 75 && standard.requestSeconds == 300)
        let set = try AppConfig.fromEnvironment(["KVOTA_MAX_CONNECTIONS": "64", "KVOTA_IDLE_SECONDS": "30", "KVOTA_REQUEST_SECONDS": "600"])
        #expect(set.maxConnections == 64 && set.idleSeconds == 30 && set.requestSeconds == 600)
        // Each bounded number names its setting, what it counts and its bounds.
        let bad = [("KVOTA_MAX_CONNECTIONS", "2", "expected a number of connections from 8 to 100000, got '2'"),
                   ("KVOTA_IDLE_SECONDS", "0", "expected seconds from 1 to 3600, got '0'"),
                   ("KVOTA_REQUEST_SECONDS", "3601", "expected seconds from 1 to 3600, got '3601'"),
                   ("KVOTA_LEASE_SECONDS", "ten", "expected seconds from 3 to 3600, got 'ten'"),
                   ("KVOTA_ANALYSES_AT_ONCE", "257", "expected a number of analyses from 1 to 256, got '257'"),
                   ("KVOTA_PORT", "70000", "expected a port number from 1 to 65535, got '70000'")]
        for (setting, value, reason) in bad {
            #expect(throws: StoreError.badSetting(setting: setting, reason: reason)) { try AppConfig.fromEnvironment([setting: value]) }
        }
    }

    /// On by default; off for a connection pooler that cannot keep prepared statements (docs/deployment.md).
    @Test func preparingPostgresReadsIsASetting() throws {
        #expect(try AppConfig.fromEnvironment([:]).preparePostgresReads)
        #expect(try !AppConfig.fromEnvironment(["KVOTA_POSTGRES_PREPARE": "off"]).preparePostgresReads)
        #expect(throws: StoreError.badSetting(setting: "KVOTA_POSTGRES_PREPARE", reason: "expected true or false, got 'maybe'")) {
            try AppConfig.fromEnvironment(["KVOTA_POSTGRES_PREPARE": "maybe"])
        }
    }
}
