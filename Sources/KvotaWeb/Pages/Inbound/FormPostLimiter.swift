import Foundation
import KvotaCore

/// Form posts per client address (issue 9): a flood from one address is refused with 429 while the requests already
/// taken stay. In memory, because it guards one server's door; several servers behind a balancer each let an address
/// through at the configured rate, which is still a bounded flood.
actor FormPostLimiter {
    private let rates: [RequestRate]
    private var posts: [String: [Date]] = [:]
    private var admitted = 0

    init(rates: [RequestRate]) { self.rates = rates }

    /// Seconds until this address may post again, or nil after counting this post.
    func admit(_ address: String, at now: Date) -> Int? {
        let longest = rates.map(\.window).max() ?? 0
        var times = (posts[address] ?? []).filter { now.timeIntervalSince($0) < longest }
        if let wait = rates.compactMap({ $0.retryAfter(times, now: now) }).max() {
            posts[address] = times
            return wait
        }
        times.append(now)
        posts[address] = times
        admitted += 1
        // Forget quiet addresses now and then, so the table holds only the last window's senders.
        if admitted % 1_000 == 0 { posts = posts.filter { !$0.value.isEmpty && now.timeIntervalSince($0.value.last!) < longest } }
        return nil
    }
}
