import Foundation
import Synchronization
import Testing
@testable import KvotaWeb

/// The analyses' gate: no more than its permits at once, the rest in arrival order, and every permit given back.
@Suite struct AnalysisGateTests {
    final class Log: Sendable {
        let entries = Mutex<[String]>([])
        let running = Mutex((now: 0, most: 0))
        let holding = Mutex(true)
        func add(_ entry: String) { entries.withLock { $0.append(entry) } }
        func enter() { running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) } }
        func leave() { running.withLock { $0.now -= 1 } }
    }

    @Test func noMoreThanItsPermitsRunAndTheRestGoInArrivalOrder() async throws {
        let gate = AnalysisGate(atOnce: 2)
        let log = Log()
        // Two hold their permits until let go; four more arrive one after another and queue.
        let holders = (0..<2).map { _ in
            Task {
                try await gate.permits.with { _ in
                    while log.holding.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
                }
            }
        }
        while gate.permits.meter.reading.lent < 2 { try await Task.sleep(for: .milliseconds(5)) }
        var queued: [Task<Void, any Error>] = []
        for n in 1...4 {
            queued.append(Task {
                try await gate.permits.with { _ in
                    log.enter()
                    log.add("\(n)")
                    try await Task.sleep(for: .milliseconds(5))
                    log.leave()
                }
            })
            // Each is in the queue before the next arrives.
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(log.entries.withLock { $0 }.isEmpty, "nobody overtakes the two holders")
        #expect(gate.permits.meter.reading.waiting == 4)
        log.holding.withLock { $0 = false }
        for task in holders + queued { try await task.value }
        #expect(log.entries.withLock { $0 } == ["1", "2", "3", "4"])
        #expect(log.running.withLock { $0.most } <= 2)
        // All permits are back.
        #expect(gate.permits.meter.reading.lent == 0 && gate.permits.meter.reading.waiting == 0)
    }
}
