import Foundation
import KvotaStore
import KvotaTestSupport
import Logging
import ServiceLifecycle
import Synchronization
import Testing
@testable import KvotaWeb

/// Two servers' lease keepers on one database: a leased job's rounds run on one of them only; when that one stops,
/// gracefully or by dying, the other takes the job over. Both engines.
@Suite struct JobLeaseKeeperTests {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// Rounds run on each server, counted while the test looks.
    final class Rounds: Sendable {
        private let counts = Mutex<[String: Int]>([:])
        func add(_ server: String) { counts.withLock { $0[server, default: 0] += 1 } }
        subscript(server: String) -> Int { counts.withLock { $0[server, default: 0] } }
    }

    /// Long enough that a server renewing every 20 ms keeps its lease while the whole suite loads the machine.
    static let term = Duration.seconds(3)

    /// A job of this test's own, so that its metrics are not another test's.
    let job = "test_leased_\(UInt32.random(in: 0...UInt32.max))"

    func keeper(_ database: Database, _ name: String) -> JobLeaseKeeper {
        JobLeaseKeeper(database: database, jobs: [job], holder: name, term: Self.term, logger: Self.logger)
    }

    func rounds(_ keeper: JobLeaseKeeper, counted rounds: Rounds) -> Task<Void, Never> {
        Task { [job] in
            await RepeatingRounds.run(job, every: .milliseconds(20), leases: keeper, logger: Self.logger, failure: "test") { rounds.add(keeper.holder) }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func roundsRunOnOneServerAndMoveWhenItDies(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let rounds = Rounds()
            ServerMetrics.bootstrap()
            let a = keeper(database, "a"), b = keeper(database, "b")
            #expect(await a.take(job))
            let onA = self.rounds(a, counted: rounds), onB = self.rounds(b, counted: rounds)
            try await Poll.until(every: .milliseconds(25)) { rounds["a"] >= 5 }
            #expect(rounds["a"] >= 5 && rounds["b"] == 0, "b is on standby while a renews")
            #expect(a.holds(job) && !b.holds(job))
            let standby = MetricsTests.samples(ServerMetrics.registry.emitToString())[#"kvota_job_rounds_total{job="\#(job)",outcome="standby"}"#]
            #expect((standby ?? 0) >= 1, "b's rounds are counted as on standby")

            // a dies: it stops renewing, and b takes over once a's term has run out, not before.
            onA.cancel()
            await onA.value
            let died = ContinuousClock.now
            try await Poll.until(every: .milliseconds(25)) { rounds["b"] > 0 }
            #expect(rounds["b"] > 0)
            #expect(ContinuousClock.now - died >= Self.term / 2, "the lease ran out first")
            #expect(try await database.jobLeases().map(\.holder) == ["b"])
            #expect(!a.holds(job))
            #expect(MetricsTests.samples(ServerMetrics.registry.emitToString())[#"kvota_job_lease_held{job="\#(job)"}"#] == 1)
            onB.cancel()
            await onB.value
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aServerThatStopsGivesItsLeasesUp(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let a = keeper(database, "a"), b = keeper(database, "b")
            let group = ServiceGroup(configuration: .init(services: [a], logger: Self.logger))
            let running = Task { try await group.run() }
            try await Poll.until(every: .milliseconds(25)) { a.holds(job) }
            #expect(a.holds(job))
            #expect(await b.take(job) == false)

            await group.triggerGracefulShutdown()
            try await running.value
            #expect(try await database.jobLeases().isEmpty)
            #expect(!a.holds(job))
            #expect(await b.take(job), "given up, not left to run out")
        }
    }
}
