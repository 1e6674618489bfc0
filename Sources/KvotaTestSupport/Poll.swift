/// Waiting in a test for what a server does in the background: a job's round, a lease changing hands, a PBX
/// connection made again.
///
/// Those run on the server's own timers, and on a loaded two-core CI machine (hundreds of tests at once) a
/// round that takes a second here can take many. A bound of five seconds once failed a passing test in CI,
/// so the patience is long; a test whose condition holds stops waiting at once, and only a failing one waits
/// the whole of it.
public enum Poll {
    public static let patience: Duration = .seconds(60)

    /// Reads a value every `every` until `done` holds of it or the patience has run out; answers the last read,
    /// which the test then checks as it would have without waiting.
    public static func until<T>(every: Duration = .milliseconds(100), _ read: () async throws -> T,
                                _ done: (T) -> Bool) async throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now + patience
        var value = try await read()
        while !done(value) && clock.now < deadline {
            try await Task.sleep(for: every)
            value = try await read()
        }
        return value
    }

    /// Checks a condition every `every` until it holds or the patience has run out; answers whether it held.
    @discardableResult
    public static func until(every: Duration = .milliseconds(100), _ condition: () async throws -> Bool) async throws -> Bool {
        try await until(every: every, condition) { $0 }
    }
}
