import Synchronization

/// How busy one set of connections is, for `GET /metrics` (docs/deployment.md, "Metrics"): how many are lent out, how
/// many callers wait for one, and how long the lent ones were waited for. Counted by Kvota around every lease because
/// neither pool tells: `ConnectionGate` is Kvota's own, and postgres-nio's `PostgresClient` keeps its observability
/// delegate internal.
public final class PoolMeter: Sendable {
    /// The connections the pool may lend at once.
    public let size: Int
    private let lent = Atomic<Int>(0)
    private let waiting = Atomic<Int>(0)
    private let leases = Atomic<Int>(0)
    private let waitedNanoseconds = Atomic<Int>(0)

    init(size: Int) { self.size = size }

    /// Runs `lease`, which gets a connection, calls `got` once it has it and then uses it: the caller counts as waiting
    /// until `got`, as holding a connection from then until `lease` returns or throws.
    func measure<T>(_ lease: (_ got: () -> Void) async throws -> T) async throws -> T {
        let asked = ContinuousClock.now
        waiting.add(1, ordering: .relaxed)
        var holding = false
        defer {
            if holding { lent.subtract(1, ordering: .relaxed) } else { waiting.subtract(1, ordering: .relaxed) }
        }
        return try await lease {
            guard !holding else { return }
            let waited = asked.duration(to: .now)
            holding = true
            waiting.subtract(1, ordering: .relaxed)
            lent.add(1, ordering: .relaxed)
            leases.add(1, ordering: .relaxed)
            waitedNanoseconds.add(Int(waited.components.seconds) * 1_000_000_000 + Int(waited.components.attoseconds / 1_000_000_000),
                                  ordering: .relaxed)
        }
    }

    public var reading: PoolUse {
        PoolUse(size: size, lent: lent.load(ordering: .relaxed), waiting: waiting.load(ordering: .relaxed),
                leases: leases.load(ordering: .relaxed), waitedSeconds: Double(waitedNanoseconds.load(ordering: .relaxed)) / 1e9)
    }
}

/// One reading of a `PoolMeter`.
public struct PoolUse: Sendable, Equatable {
    public let size: Int
    /// Connections in use now.
    public let lent: Int
    /// Callers waiting for a connection now.
    public let waiting: Int
    /// Connections lent since the server started…
    public let leases: Int
    /// …and the time their callers waited for them, in all.
    public let waitedSeconds: Double
}

extension Database {
    /// Each of the database's connection pools by name: on SQLite `writer`, `readers` and `row_readers` (the analyses'
    /// bulk reads); on PostgreSQL `connections`.
    public var pools: [(name: String, meter: PoolMeter)] {
        switch backend {
        case .sqlite(let sqlite):
            [("writer", sqlite.writer.meter), ("readers", sqlite.readers.meter), ("row_readers", sqlite.rowReaders.meter)]
        case .postgres(let postgres):
            [("connections", postgres.meter)]
        }
    }
}
