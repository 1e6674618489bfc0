import Foundation
import Testing
@testable import KvotaCore

struct SignInThrottleTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let throttle = SignInThrottle(perAccount: 5, perAddress: 20, window: 900)

    func ago(_ seconds: Double...) -> [Date] { seconds.map { now.addingTimeInterval(-$0) } }

    @Test func fourFailuresStillAllowAnAttempt() {
        #expect(throttle.retryAfter(accountFailures: ago(10, 20, 30, 40), addressFailures: [], now: now) == nil)
    }

    @Test func theFifthFailureBlocksUntilTheOldestAgesOut() {
        // Failures 100, 200, 300, 400, 500 s ago: the oldest leaves the 900 s window in 400 s.
        #expect(throttle.retryAfter(accountFailures: ago(100, 200, 300, 400, 500), addressFailures: [], now: now) == 400)
    }

    @Test func withMoreThanTheLimitTheWaitIsUntilFewerThanTheLimitRemain() {
        // Seven failures: three must age out to leave four; the third oldest (400 s ago) leaves in 500 s.
        let failures = ago(10, 100, 200, 300, 400, 500, 600)
        #expect(throttle.retryAfter(accountFailures: failures, addressFailures: [], now: now) == 500)
    }

    @Test func failuresOutsideTheWindowDoNotCount() {
        #expect(throttle.retryAfter(accountFailures: ago(901, 1000, 2000, 3000, 10), addressFailures: [], now: now) == nil)
    }

    @Test func anAddressGetsItsOwnLargerLimitAndTheLongerWaitWins() {
        let address = (1...20).map { now.addingTimeInterval(-Double($0) * 10) }
        #expect(throttle.retryAfter(accountFailures: [], addressFailures: Array(address.prefix(19)), now: now) == nil)
        #expect(throttle.retryAfter(accountFailures: [], addressFailures: address, now: now) == 700)
        #expect(throttle.retryAfter(accountFailures: ago(100, 200, 300, 400, 500), addressFailures: address, now: now) == 700)
    }
}
