import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit

/// A read's connection on PostgreSQL that runs each statement it has seen before as a named prepared statement, so
/// PostgreSQL parses and plans it once per connection instead of on every request (docs/performance.md, "Reads
/// prepared on PostgreSQL"). Anything it cannot name (first sightings, a bind postgres-nio cannot encode itself) goes
/// the ordinary SQLKit way, unnamed.
///
/// Reads only: a read runs outside a transaction, so a preparation never meets an aborted transaction, whose error
/// postgres-nio would keep for the name for the connection's life.
struct PreparingPostgresDatabase: SQLDatabase {
    let connection: PostgresConnection
    let names: PreparedStatementNames
    private let plain: any SQLDatabase

    init(connection: PostgresConnection, names: PreparedStatementNames) {
        self.connection = connection
        self.names = names
        self.plain = connection.sql(queryLogLevel: .trace)
    }

    var logger: Logger { connection.logger }
    var eventLoop: any EventLoop { connection.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { nil }
    var dialect: any SQLDialect { plain.dialect }
    var queryLogLevel: Logger.Level? { .trace }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await self.execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        guard let (bindings, types) = try Self.encode(binds) else { return try await plain.execute(sql: query, onRow) }
        let key = types.isEmpty ? sql : sql + "\u{0}" + types.map { "\($0.rawValue)" }.joined(separator: ",")
        guard let name = names.name(for: key) else { return try await plain.execute(sql: query, onRow) }
        logger.trace("Executing prepared query", metadata: ["sql": .string(sql), "name": .string(name)])
        do {
            try await NamedStatement.$text.withValue(NamedStatement.Text(name: name, sql: sql, types: types)) {
                for try await row in try await connection.execute(NamedStatement(bindings: bindings), logger: logger) {
                    onRow(row.sql())
                }
            }
        } catch let error as PSQLError where error.code == .server {
            names.retire(key)
            throw error
        }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    /// The binds as postgres-nio sends them and their types, or nil when one needs PostgresKit's own `Encodable`
    /// translation (then the statement goes unnamed through PostgresKit, which encodes it the same way as always).
    private static func encode(_ binds: [any Encodable & Sendable]) throws -> (PostgresBindings, [PostgresDataType])? {
        var bindings = PostgresBindings(capacity: binds.count)
        var types: [PostgresDataType] = []
        types.reserveCapacity(binds.count)
        for bind in binds {
            guard let type = try append(bind, to: &bindings) else { return nil }
            types.append(type)
        }
        return (bindings, types)
    }

    /// The same first two steps as PostgresKit's `PostgresDataTranslation.encode`: a nil is a null, a value that
    /// encodes itself for PostgreSQL does so; an optional's value is its own (PostgresKit gets there through
    /// `Encodable`, to the same type).
    private static func append(_ value: Any, to bindings: inout PostgresBindings) throws -> PostgresDataType? {
        var value = value
        while let optional = value as? any OptionalBind {
            guard let wrapped = optional.wrappedValue else {
                bindings.appendNull()
                return .null
            }
            value = wrapped
        }
        guard let encodable = value as? any PostgresThrowingDynamicTypeEncodable else { return nil }
        try bindings.append(encodable, context: .default)
        return encodable.psqlType
    }
}

private protocol OptionalBind {
    var wrappedValue: Any? { get }
}

extension Optional: OptionalBind {
    var wrappedValue: Any? { self.map { $0 } }
}

/// postgres-nio prepares a statement only through a type whose name and SQL are static (`PostgresPreparedStatement`),
/// for statements known when Kvota is built; Kvota's are made at run time by SQLKit. So the type reads them from a
/// task-local value set around each execution: postgres-nio reads them once, in `execute`, before anything else runs.
/// `PreparedReadsTests` runs different texts at once on one connection to catch a version that reads them
/// later.
private struct NamedStatement: PostgresPreparedStatement {
    struct Text: Sendable {
        let name: String
        let sql: String
        let types: [PostgresDataType]
    }

    typealias Row = PostgresRow

    @TaskLocal static var text: Text?

    static var name: String { current.name }
    static var sql: String { current.sql }
    static var bindingDataTypes: [PostgresDataType] { current.types }

    private static var current: Text {
        guard let text else { preconditionFailure("a prepared statement's text was read outside its execution") }
        return text
    }

    let bindings: PostgresBindings

    func makeBindings() throws -> PostgresBindings { bindings }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}
