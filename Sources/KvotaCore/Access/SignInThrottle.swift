import Foundation

/// How many failed sign-ins an account and a client address may have in a window before Kvota stops checking
/// passwords for them. An office behind one address gets more room than a single account.
public struct SignInThrottle: Hashable, Sendable {
    public var perAccount: Int
    public var perAddress: Int
    public var window: TimeInterval

    public init(perAccount: Int = 5, perAddress: Int = 20, window: TimeInterval = 15 * 60) {
        self.perAccount = perAccount; self.perAddress = perAddress; self.window = window
    }

    /// Seconds until another attempt is allowed, or nil when one is allowed now. `accountFailures` and
    /// `addressFailures` are the failure times within the window.
    public func retryAfter(accountFailures: [Date], addressFailures: [Date], now: Date) -> Int? {
        let waits = [wait(accountFailures, limit: perAccount, now: now), wait(addressFailures, limit: perAddress, now: now)]
        return waits.compactMap { $0 }.max()
    }

    private func wait(_ failures: [Date], limit: Int, now: Date) -> Int? {
        RequestRate(limit: limit, window: window).retryAfter(failures, now: now)
    }
}
