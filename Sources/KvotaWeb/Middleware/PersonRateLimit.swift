import Foundation
import Hummingbird
import KvotaCore
import Synchronization

/// How many requests one signed-in person (a browser session or an API token: both are the person) may make: a
/// bucket of `burst` requests that refills at `perMinute`, so a script run amok, or a token lent to one, is refused
/// with 429 before it takes a server that serves the whole department (about 3 000 reads a second on 2 cores).
/// Written by hand: no package on the list does it, and a bucket is a few lines. In memory, per server: behind a
/// balancer each server lets a person through at this rate.
final class PersonRateLimiter: Sendable {
    struct Bucket { var tokens: Double; var updated: Date }

    let perMinute: Int
    let burst: Int
    private let buckets = Mutex<[Int64: Bucket]>([:])

    init(perMinute: Int, burst: Int) {
        self.perMinute = perMinute
        self.burst = burst
    }

    /// Seconds until `person` may make another request, or nil after taking one from their bucket.
    func admit(_ person: Int64, at now: Date) -> Int? {
        let perSecond = Double(perMinute) / 60
        return buckets.withLock { buckets in
            var bucket = buckets[person] ?? Bucket(tokens: Double(burst), updated: now)
            bucket.tokens = min(Double(burst), bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * perSecond)
            bucket.updated = now
            defer { buckets[person] = bucket }
            guard bucket.tokens >= 1 else { return max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up))) }
            bucket.tokens -= 1
            return nil
        }
    }
}

/// Refuses a signed-in person's request with 429 and `Retry-After` once their bucket is empty (`PersonRateLimiter`).
struct PersonRateLimitMiddleware: RouterMiddleware {
    typealias Context = SignedInContext
    let limiter: PersonRateLimiter?
    let now: @Sendable () -> Date

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let limiter, let wait = limiter.admit(context.actor.userID.rawValue, at: now()) {
            context.logger.notice("requests refused for their rate", metadata: ["user": "\(context.actor.userID)"])
            throw HTTPError(.tooManyRequests, headers: [.retryAfter: String(wait)],
                            message: "too many requests from you; try again in \(wait) seconds")
        }
        return try await next(request, context)
    }
}
