import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import Synchronization
import SQLiteKit
import SQLiteNIO

/// The one way into storage. Reads get a connection for the length of the closure; writes get a transaction that
/// commits when the closure returns and rolls back when it throws, so nothing is half-written.
///
/// SQLite: one writer connection and a few readers in WAL mode, so writes queue in order instead of spinning on
/// "database is locked", and reads never wait for writes; as many readers again hand the analyses their rows through
/// SQLite's C interface (`SQLiteRowReader`). PostgreSQL: postgres-nio's connection pool.
public final class Database: Sendable {
    public let url: DatabaseURL
    let backend: Backend
    let logger: Logger

    enum Backend: Sendable {
        case sqlite(SQLiteBackend)
        case postgres(PostgresBackend)
    }

    public var engine: DatabaseEngine { url.engine }

    init(url: DatabaseURL, backend: Backend, logger: Logger) {
        self.url = url
        self.backend = backend
        self.logger = logger
    }

    /// Opens the database and checks that it answers. Fails with `StoreError.cannotOpen` naming the database and the
    /// reason (unreachable host, wrong password, unwritable folder …). `preparePostgresReads`: reads on PostgreSQL run
    /// as named prepared statements once seen twice (`PreparingPostgresDatabase`).
    public static func open(_ url: DatabaseURL, logger: Logger = Logger(label: "kvota.store"),
                            connections: Int = 8, preparePostgresReads: Bool = true) async throws -> Database {
        switch url {
        case .sqlite(let path):
            return Database(url: url, backend: .sqlite(try await SQLiteBackend.open(path: path, readers: max(1, connections / 2),
                                                                                      logger: logger)), logger: logger)
        case .postgres(let host, let port, let user, let password, let database):
            return Database(url: url, backend: .postgres(try await PostgresBackend.open(
                host: host, port: port, user: user, password: password, database: database,
                connections: connections, prepareReads: preparePostgresReads, name: url.description, logger: logger)),
                            logger: logger)
        }
    }

    /// Runs `body` on a connection that sees the committed state. On SQLite the connection is read-only.
    public func read<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let sqlite):
            try await sqlite.readers.with { try await body($0.sql(queryLogLevel: .trace)) }
        case .postgres(let postgres):
            try await postgres.withConnection { try await body(postgres.reading(on: $0)) }
        }
    }

    /// Runs `body` in one transaction.
    public func write<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let sqlite):
            return try await sqlite.writer.with { connection in
                try await SQLiteBackend.transaction(connection) { try await body(connection.sql(queryLogLevel: .trace)) }
            }
        case .postgres(let postgres):
            return try await postgres.withTransaction(logger: logger) { try await body($0.sql(queryLogLevel: .trace)) }
        }
    }

    /// Runs schema changes in one transaction. On SQLite foreign keys are off meanwhile, because rebuilding a table
    /// (SQLite's way to change a constraint) drops a table others point at; the migrator checks the rebuilt tables'
    /// keys before committing.
    func schemaTransaction<T: Sendable>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let sqlite):
            return try await sqlite.writer.with { connection in
                // The pragma is a no-op inside a transaction, so it goes around it.
                try await connection.query("PRAGMA foreign_keys = OFF", []) { _ in }
                do {
                    let result = try await SQLiteBackend.transaction(connection) { try await body(connection.sql(queryLogLevel: .trace)) }
                    try await connection.query("PRAGMA foreign_keys = ON", []) { _ in }
                    return result
                } catch {
                    try? await connection.query("PRAGMA foreign_keys = ON", []) { _ in }
                    throw error
                }
            }
        case .postgres:
            return try await write(body)
        }
    }

    /// Closes every connection, even for a caller whose task is cancelled (a service group cancels its services when
    /// the server cannot start): cancellation cut SQLite's closes short, and sqlite-nio asserts against an open
    /// connection going away.
    public func close() async {
        let backend = backend
        await Task {
            switch backend {
            case .sqlite(let sqlite): await sqlite.close()
            case .postgres(let postgres): await postgres.close(logger: logger)
            }
        }.value
    }
}

// MARK: - SQLite

struct SQLiteBackend: Sendable {
    let writer: ConnectionGate<SQLiteConnection>
    let readers: ConnectionGate<SQLiteConnection>
    /// As many again, for the analyses' bulk reads (`integerRows`).
    let rowReaders: ConnectionGate<SQLiteRowReader>
    let threadPool: NIOThreadPool

    static func open(path: String, readers count: Int, logger: Logger) async throws -> SQLiteBackend {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.cannotOpen(database: "sqlite:\(path)", reason: "cannot create the folder \(directory)")
        }
        // A pool of its own, so a long report on one reader does not hold up the writer on NIO's shared pool.
        let threadPool = NIOThreadPool(numberOfThreads: 2 * count + 1)
        threadPool.start()
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        func connect(reader: Bool) async throws -> SQLiteConnection {
            let connection: SQLiteConnection
            do {
                connection = try await SQLiteConnection.open(storage: .file(path: path), threadPool: threadPool,
                                                             logger: logger, on: loop)
            } catch {
                throw StoreError.cannotOpen(database: "sqlite:\(path)", reason: "\(error)")
            }
            // Per-connection settings (journal_mode persists in the file, these do not). busy_timeout also replaces
            // sqlite-nio's busy handler, which retries at once and forever.
            var pragmas = ["PRAGMA busy_timeout = 10000", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = FULL"]
            if !reader { pragmas.insert("PRAGMA journal_mode = WAL", at: 0) } else { pragmas.append("PRAGMA query_only = ON") }
            do {
                for pragma in pragmas { try await connection.query(pragma, []) { _ in } }
                try await connection.install(customFunction: TextFold.sqliteFunction())
            } catch {
                try? await connection.close()
                throw StoreError.cannotOpen(database: "sqlite:\(path)", reason: "\(error)")
            }
            return connection
        }
        // Before the first connection for files that are there already (their data was exposed until now), and after
        // it for those SQLite has just made.
        try PrivateFileMode.keepPrivate(path, warning: logger)
        let writer = try await connect(reader: false)
        try PrivateFileMode.keepPrivate(path, warning: nil)
        var readers: [SQLiteConnection] = []
        for _ in 0..<count { readers.append(try await connect(reader: true)) }
        // Opened after the writer, which has put the file in WAL mode.
        let rowReaders = try (0..<count).map { _ in try SQLiteRowReader(path: path) }
        return SQLiteBackend(writer: ConnectionGate([writer]), readers: ConnectionGate(readers), rowReaders: ConnectionGate(rowReaders),
                             threadPool: threadPool)
    }

    /// `BEGIN IMMEDIATE` takes the write lock up front, so a transaction never fails half-way on a lock upgrade.
    static func transaction<T>(_ connection: SQLiteConnection, _ body: () async throws -> T) async throws -> T {
        try await connection.query("BEGIN IMMEDIATE", []) { _ in }
        do {
            let result = try await body()
            try await connection.query("COMMIT", []) { _ in }
            return result
        } catch {
            try? await connection.query("ROLLBACK", []) { _ in }
            throw error
        }
    }

    func close() async {
        for connection in readers.all + writer.all { try? await connection.close() }
        for reader in rowReaders.all { reader.close() }
        try? await threadPool.shutdownGracefully()
    }
}

// MARK: - PostgreSQL

struct PostgresBackend: Sendable {
    let client: PostgresClient
    let runner: Task<Void, Never>
    let meter: PoolMeter
    /// nil when reads go unnamed (`KVOTA_POSTGRES_PREPARE=off`, for a pooler that cannot keep prepared statements).
    let preparedNames: PreparedStatementNames?

    /// A read's view of its connection: prepared statements for what it has seen before (`PreparingPostgresDatabase`).
    func reading(on connection: PostgresConnection) -> any SQLDatabase {
        guard let preparedNames else { return connection.sql(queryLogLevel: .trace) }
        return PreparingPostgresDatabase(connection: connection, names: preparedNames)
    }

    /// Every lease goes through here or `withTransaction`, so that the meter sees it.
    func withConnection<T>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await meter.measure { got in
            try await client.withConnection { connection in
                got()
                return try await body(connection)
            }
        }
    }

    /// One transaction; throws the closure's own error, not postgres-nio's wrapper around it.
    func withTransaction<T>(logger: Logger, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await meter.measure { got in
            do {
                return try await client.withTransaction(logger: logger) { connection in
                    got()
                    return try await body(connection)
                }
            } catch let error as PostgresTransactionError {
                throw error.underlying
            }
        }
    }

    static func open(host: String, port: Int, user: String, password: String?, database: String, connections: Int,
                     prepareReads: Bool, name: String, logger: Logger) async throws -> PostgresBackend {
        // One direct connection first: the pool would retry a wrong password or a closed port forever, and the
        // person starting Kvota needs the reason now.
        do {
            let probe = try await PostgresConnection.connect(
                configuration: PostgresConnection.Configuration(
                    host: host, port: port, username: user, password: password, database: database, tls: .disable),
                id: 0, logger: logger)
            try await probe.close()
        } catch {
            throw StoreError.cannotOpen(database: name, reason: StoreError.describe(error))
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: .disable)
        configuration.options.maximumConnections = connections
        configuration.options.minimumConnections = 0
        // PostgreSQL compiles a query whose estimated cost is high (an analysis over a roll-up at scale L) before running
        // it: 50 ms to 1.4 s of compiling for queries that run in 10 to 300 ms (docs/storage.md, "PostgreSQL settings").
        configuration.options.additionalStartupParameters = [("jit", "off")]
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        // Leasing before run() has begun works but logs a warning; wait for the runner task to reach run().
        var runner: Task<Void, Never>!
        await withCheckedContinuation { (started: CheckedContinuation<Void, Never>) in
            runner = Task {
                started.resume()
                await client.run()
            }
        }
        return PostgresBackend(client: client, runner: runner, meter: PoolMeter(size: connections),
                               preparedNames: prepareReads ? PreparedStatementNames() : nil)
    }

    /// Cancels the pool and waits for it to close its connections, for ten seconds at most. postgres-nio's `run()`
    /// returns once cancelled, but twice a whole test run (once on CI) stopped for good, one test apparently in its
    /// database's close with no connection left open; a pool that does not return in time is left behind instead.
    func close(logger: Logger) async {
        runner.cancel()
        let runner = runner
        let ended = await withCheckedContinuation { (first: CheckedContinuation<Bool, Never>) in
            let answer = FirstAnswer(first)
            Task { await runner.value; answer.give(true) }
            Task { try? await Task.sleep(for: .seconds(10)); answer.give(false) }
        }
        if !ended { logger.warning("the PostgreSQL pool did not close within 10 s; left behind") }
    }
}

/// Resumes a continuation with the first answer given; later ones are dropped.
private final class FirstAnswer<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, Never>?>

    init(_ continuation: CheckedContinuation<T, Never>) { self.continuation = Mutex(continuation) }

    func give(_ value: T) {
        continuation.withLock { waiting in
            waiting?.resume(returning: value)
            waiting = nil
        }
    }
}

extension PostgresTransactionError {
    /// The error callers see: their own (a validation failure, say), not postgres-nio's wrapper around it.
    var underlying: any Error { closureError ?? beginError ?? commitError ?? rollbackError ?? self }
}
