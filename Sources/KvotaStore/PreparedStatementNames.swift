import Synchronization

/// Which reads PostgreSQL keeps prepared, by name, on each of one pool's connections (docs/performance.md, "Reads
/// prepared on PostgreSQL"). A statement is named the second time its text and bind types come: a text seen once (a
/// one-off with its values written in) stays unnamed, so nothing is prepared for it on every connection.
///
/// Names are never reused, so a connection cannot hold an old statement under a new text; a name whose statement
/// failed on the server is retired (postgres-nio keeps a failed preparation's error for the connection's life) and
/// its text goes unnamed from then on.
final class PreparedStatementNames: Sendable {
    /// At most this many texts are ever named: PostgreSQL keeps each one's plan in each connection's memory.
    let capacity: Int
    /// Texts seen once are remembered up to this many, then forgotten all at once. By their hash: a text can be
    /// kilobytes, and a collision only names a text at its first sighting instead of its second.
    let sightings: Int
    private let state = Mutex(State())

    private struct State {
        var names: [String: String] = [:]
        var seenOnce: Set<Int> = []
        var retired: Set<String> = []
        var named = 0
    }

    init(capacity: Int = 1_000, sightings: Int = 10_000) {
        self.capacity = capacity
        self.sightings = sightings
    }

    /// The name to prepare and run the statement under, or nil to send it unnamed this time. `key` is its text and the
    /// types of its binds: the same text with other types is another statement, as PostgreSQL fixes a parameter's
    /// type when it prepares.
    func name(for key: String) -> String? {
        state.withLock { state in
            if let name = state.names[key] { return name }
            guard state.named < capacity, !state.retired.contains(key) else { return nil }
            let hash = key.hashValue
            guard state.seenOnce.remove(hash) != nil else {
                if state.seenOnce.count >= sightings { state.seenOnce.removeAll(keepingCapacity: true) }
                state.seenOnce.insert(hash)
                return nil
            }
            state.named += 1
            let name = "kvota_\(state.named)"
            state.names[key] = name
            return name
        }
    }

    /// The statement failed on the server under its name: run it unnamed from now on.
    func retire(_ key: String) {
        state.withLock { state in
            if state.names.removeValue(forKey: key) != nil { state.retired.insert(key) }
        }
    }

    /// How many texts are named now.
    var count: Int { state.withLock { $0.names.count } }
}
