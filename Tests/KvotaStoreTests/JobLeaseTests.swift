import Foundation
import KvotaStore
import KvotaTestSupport
import Testing

/// A job's lease (migration 52) is held by one server at a time: the holder renews it, another takes it only once it
/// has run out or been given up, and of many servers that ask at once exactly one gets it.
@Suite struct JobLeaseTests {
    let start = Date(timeIntervalSince1970: 1_795_000_000)

    @Test(arguments: TestDatabase.engines)
    func oneHolderUntilTheLeaseRunsOutOrIsGivenUp(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let term: TimeInterval = 30
            func hold(_ holder: String, after seconds: TimeInterval) async throws -> Bool {
                let now = start.addingTimeInterval(seconds)
                return try await database.holdLease("alerts", holder: holder, until: now.addingTimeInterval(term), at: now)
            }
            #expect(try await hold("a", after: 0))
            #expect(try await hold("b", after: 1) == false, "a holds it")
            #expect(try await hold("a", after: 20), "the holder renews it")
            #expect(try await hold("b", after: 45) == false, "a's renewal holds it to 50")
            #expect(try await database.jobLeases() == [JobLease(job: "alerts", holder: "a", heldUntil: start.addingTimeInterval(50))])
            #expect(try await hold("b", after: 50), "a stopped renewing, and b takes it once the term has run out")
            #expect(try await hold("a", after: 51) == false, "a has lost it")
            #expect(try await database.holdLease("scores", holder: "a", until: start.addingTimeInterval(81), at: start.addingTimeInterval(51)),
                    "each job has its own lease")

            try await database.releaseLease("alerts", holder: "a")
            #expect(try await hold("a", after: 52) == false, "one who does not hold it cannot give it up")
            try await database.releaseLease("alerts", holder: "b")
            #expect(try await hold("a", after: 53), "given up, it is taken at once")
            #expect(try await database.jobLeases().map(\.holder) == ["a", "a"])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func ofManyAskingAtOnceExactlyOneGetsIt(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let now = start
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for server in 0..<16 {
                    group.addTask { try await database.holdLease("scores", holder: "server \(server)", until: now.addingTimeInterval(30), at: now) }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1)
        }
    }
}
