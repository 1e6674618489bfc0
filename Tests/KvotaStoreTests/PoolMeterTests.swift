import Foundation
import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

/// The pools' meters behind `GET /metrics`: a lease counts as lent while its closure runs, a caller counts as waiting
/// until it gets a connection, and both counts come back to zero however the lease ends.
@Suite struct PoolMeterTests {
    @Test(arguments: TestDatabase.engines)
    func leasesAreCountedWhileTheyRunAndWaitersWhileTheyWait(engine: DatabaseEngine) async throws {
        let (url, cleanup) = try await TestDatabase.make(engine)
        // One connection each: on SQLite one reader (and the one writer), on PostgreSQL one for reads and writes.
        let database = try await Database.open(url, connections: 1)
        let meter = try #require(database.pools.first { $0.name == (engine == .sqlite ? "writer" : "connections") }?.meter)
        #expect(database.pools.map(\.name) == (engine == .sqlite ? ["writer", "readers", "row_readers"] : ["connections"]))
        #expect(meter.reading.size == 1)

        let inside = try await database.write { _ in meter.reading }
        #expect(inside.lent == 1 && inside.waiting == 0)
        let before = meter.reading
        #expect(before.lent == 0 && before.leases >= 1)

        // The first write holds the connection until the second has been seen waiting for it.
        let (opened, holding) = AsyncStream<Void>.makeStream()
        let first = Task {
            try await database.write { sql in
                holding.yield()
                while meter.reading.waiting == 0 { try await Task.sleep(for: .milliseconds(5)) }
                try await Task.sleep(for: .milliseconds(20))
                try await sql.raw("SELECT 1 AS one").run()
            }
        }
        for await _ in opened { break }
        try await database.write { sql in try await sql.raw("SELECT 1 AS one").run() }
        try await first.value
        let after = meter.reading
        #expect(after.lent == 0 && after.waiting == 0)
        #expect(after.leases == before.leases + 2)
        #expect(after.waitedSeconds - before.waitedSeconds >= 0.02, "the second write waited for the first")

        // A lease that throws gives its connection back to the count too.
        await #expect(throws: (any Error).self) {
            try await database.write { sql in try await sql.raw("SELECT * FROM no_such_table").run() }
        }
        #expect(meter.reading.lent == 0 && meter.reading.waiting == 0)
        await database.close()
        try await cleanup()
    }
}
