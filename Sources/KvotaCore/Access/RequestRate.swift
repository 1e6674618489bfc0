import Foundation

/// At most `limit` events in any `window` (sign-in failures per account, form posts per address).
public struct RequestRate: Hashable, Sendable {
    public var limit: Int
    public var window: TimeInterval

    public init(limit: Int, window: TimeInterval) {
        self.limit = limit; self.window = window
    }

    /// Seconds until another event is allowed, or nil when one is allowed now. When `limit` or more of `events` lie in
    /// the window, the next waits until enough of them have aged out that fewer than `limit` remain.
    public func retryAfter(_ events: [Date], now: Date) -> Int? {
        let recent = events.filter { now.timeIntervalSince($0) < window }.sorted()
        guard recent.count >= limit else { return nil }
        let freeAt = recent[recent.count - limit].addingTimeInterval(window)
        return max(1, Int(freeAt.timeIntervalSince(now).rounded(.up)))
    }
}
