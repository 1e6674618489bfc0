import Foundation
import Synchronization
import Testing
@testable import KvotaWeb

/// The analyses' gate: no more than its permits at once, the rest in arrival order, and every permit given back.
@Suite struct AnalysisGateTests {
    final class Log: Sendable {
        let entries = Mutex<[String]>([])
        let running = Mutex((now: 0, most: 0))
        func add(_ entry: String) { entries.withLock { $0.append(entry) } }
        func enter() { running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) } }
        func leave() { running.withLock { $0.now -= 1 } }
    }

    @Test func noMoreThanItsPermitsRunAndTheRestGoInArrivalOrder() async throws {
        let permits = AnalysisGate.Permits(2)
        let log = Log()
        // Two hold their permits until let go; four more arrive one after another and queue.
        await permits.acquire()
        await permits.acquire()
        var queued: [Task<Void, Never>] = []
        for n in 1...4 {
            queued.append(Task {
                await permits.acquire()
                log.enter()
                log.add("\(n)")
                try? await Task.sleep(for: .milliseconds(5))
                log.leave()
                await permits.release()
            })
            // Each is in the queue before the next arrives.
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(log.entries.withLock { $0 }.isEmpty, "nobody overtakes the two holders")
        await permits.release()
        await permits.release()
        for task in queued { await task.value }
        #expect(log.entries.withLock { $0 } == ["1", "2", "3", "4"])
        #expect(log.running.withLock { $0.most } <= 2)
        // All permits are back: two can be taken at once again without waiting.
        await permits.acquire()
        await permits.acquire()
    }
}
