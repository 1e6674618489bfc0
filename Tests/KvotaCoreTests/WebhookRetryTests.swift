import Foundation
import KvotaCore
import Testing

/// The retry schedule of a failed webhook delivery (docs/webhooks.md): 30 s doubling to at most 4 h, for a day.
@Suite struct WebhookRetryTests {
    @Test func delaysDoubleFromThirtySecondsUpToFourHours() {
        let delays = (1...12).map { WebhookRetry.delay(afterFailedAttempt: $0) }
        #expect(delays == [30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 14_400, 14_400, 14_400])
        #expect(WebhookRetry.delay(afterFailedAttempt: 500) == 14_400)
    }

    @Test func aDeliveryIsTriedFourteenTimesInItsDayThenGivenUp() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let expires = start.addingTimeInterval(86_400)
        var attempts: [TimeInterval] = [0]
        var now = start
        while let next = WebhookRetry.nextAttempt(afterFailedAttempt: attempts.count, at: now, expiresAt: expires) {
            now = next
            attempts.append(now.timeIntervalSince(start))
        }
        #expect(attempts == [0, 30, 90, 210, 450, 930, 1890, 3810, 7650, 15_330, 29_730, 44_130, 58_530, 72_930])
    }

    @Test func anAttemptDueExactlyAtTheEndOfTheWindowIsStillMade() {
        let now = Date(timeIntervalSince1970: 0)
        #expect(WebhookRetry.nextAttempt(afterFailedAttempt: 1, at: now, expiresAt: now.addingTimeInterval(30)) == now.addingTimeInterval(30))
        #expect(WebhookRetry.nextAttempt(afterFailedAttempt: 1, at: now, expiresAt: now.addingTimeInterval(29)) == nil)
    }
}
