/// Lends a fixed set of connections to one task at a time each, queueing the rest in arrival order. The web app lends
/// permits through one too (`AnalysisGate`): a permit is a connection to nothing.
///
/// Written by hand because async-kit's pool is built on event-loop futures, is not `Sendable`, and cannot express
/// SQLite's shape: one writer connection plus several readers (see docs/storage.md).
public actor ConnectionGate<Connection: Sendable> {
    private var idle: [Connection]
    private var waiters: [CheckedContinuation<Connection, Never>] = []
    private var waiterHead = 0
    let all: [Connection]
    public nonisolated let meter: PoolMeter

    public init(_ connections: [Connection]) {
        precondition(!connections.isEmpty)
        idle = connections
        all = connections
        meter = PoolMeter(size: connections.count)
    }

    func acquire() async -> Connection {
        if let connection = idle.popLast() { return connection }
        return await withCheckedContinuation { waiters.append($0) }
    }

    func release(_ connection: Connection) {
        if waiterHead < waiters.count {
            let next = waiters[waiterHead]
            waiterHead += 1
            if waiterHead > 64 && waiterHead * 2 > waiters.count {
                waiters.removeFirst(waiterHead)
                waiterHead = 0
            }
            next.resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    /// Runs `body` with a connection, returning it to the gate however `body` ends.
    public nonisolated func with<T: Sendable>(_ body: (Connection) async throws -> T) async throws -> T {
        try await meter.measure { got in
            let connection = await acquire()
            got()
            do {
                let result = try await body(connection)
                await release(connection)
                return result
            } catch {
                await release(connection)
                throw error
            }
        }
    }
}
