import Foundation
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Synchronization
import Testing

/// An export reads its next page while it writes the last: every page once, in order, never more than one ahead, and
/// the one ahead stopped when the export ends early.
@Suite struct PagesAheadTests {
    /// Pages 1 to 4 of ten items each; the cursor of page k is "k".
    static func page(_ number: Int) -> RecordPage<Int> {
        RecordPage(items: Array((number * 10)..<(number * 10 + 10)), next: number < 4 ? String(number + 1) : nil)
    }

    @Test func everyPageOnceInOrderAndOneAheadAtMost() async throws {
        let taken = Mutex(1)  // pages handed to the writer so far
        let furthest = Mutex(0)  // the most pages read ahead of the writer at any time
        var pages = PagesAhead(first: Self.page(1)) { cursor in
            let number = Int(cursor!)!
            let ahead = number - taken.withLock { $0 }
            furthest.withLock { $0 = max($0, ahead) }
            return Self.page(number)
        }
        var items: [Int] = []
        while let page = try await pages.next() {
            items += page.items
            // The writer is slow: the page ahead has all the time it needs to be read, and must still wait.
            try await Task.sleep(for: .milliseconds(20))
            taken.withLock { $0 += 1 }
        }
        #expect(items == Array(10..<50))
        #expect(furthest.withLock { $0 } == 1)
    }

    @Test func thePageAheadStopsWhenTheExportEndsEarly() async throws {
        let stopped = Mutex(false)
        var pages = PagesAhead(first: Self.page(1)) { _ in
            do {
                try await Task.sleep(for: .seconds(60))
            } catch {
                stopped.withLock { $0 = true }
                throw error
            }
            return Self.page(2)
        }
        #expect(try await pages.next()?.items.first == 10)
        pages.cancel()
        for _ in 0..<500 where !stopped.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(stopped.withLock { $0 })
    }
}
