import Foundation
import KvotaTestSupport
import PostgresNIO
import SQLKit
import Testing
@testable import KvotaStore

/// Reads on PostgreSQL run as named prepared statements from their second time (`PreparingPostgresDatabase`): the
/// answers are the ones the unnamed statements give, on both engines, and on PostgreSQL the connection holds exactly
/// the statements seen twice.
@Suite struct PreparedReadsTests {
    @Test(arguments: TestDatabase.engines)
    func aReadSeenTwiceIsPreparedAndAnswersAsBefore(engine: DatabaseEngine) async throws {
        try await Self.withDatabase(engine) { database in
            for round in 1...4 {
                let twice = try await database.read { sql in
                    try await sql.raw("SELECT \(bind: round) * 2 AS twice").first()?.decode(column: "twice", as: Int.self)
                }
                #expect(twice == round * 2)
            }
            // Once only: a text with its value written in.
            let once = try await database.read { sql in try await sql.raw("SELECT 41 + 1 AS answer").first()?.decode(column: "answer", as: Int.self) }
            #expect(once == 42)
            guard engine == .postgres else { return }
            let prepared = try await Self.prepared(in: database)
            #expect(prepared.contains("SELECT $1 * 2 AS twice"))
            #expect(!prepared.contains("SELECT 41 + 1 AS answer"), "a text seen once stays unnamed")
        }
    }

    /// PostgreSQL fixes a parameter's type when it prepares, so a null and a value in the same place are two statements.
    @Test(arguments: TestDatabase.engines)
    func theSameTextWithANullOrAValueAnswersEachTime(engine: DatabaseEngine) async throws {
        try await Self.withDatabase(engine) { database in
            for value in [nil, 5, nil, 7, nil, 9] as [Int?] {
                let answer = try await database.read { sql in
                    try await sql.raw("SELECT COALESCE(\(bind: value), -1) AS answer").first()?.decode(column: "answer", as: Int.self)
                }
                #expect(answer == value ?? -1)
            }
            guard engine == .postgres else { return }
            let prepared = try await Self.prepared(in: database)
            #expect(prepared.filter { $0.contains("COALESCE") }.count == 2)
        }
    }

    /// postgres-nio takes a prepared statement's name and text from its type; Kvota's type reads them from a task-local
    /// value. Many texts at once on one connection each get their own answer, which a postgres-nio that read the
    /// text outside the execution's task would break.
    @Test(arguments: TestDatabase.engines)
    func manyTextsAtOnceOnOneConnectionEachGetTheirOwnAnswer(engine: DatabaseEngine) async throws {
        try await Self.withDatabase(engine) { database in
            let answers = try await database.read { sql in
                try await withThrowingTaskGroup(of: (Int, Int, Int?).self) { group in
                    for text in 0..<20 {
                        for round in 0..<3 {
                            group.addTask {
                                let row = try await sql.raw("SELECT \(bind: round) + \(unsafeRaw: String(text * 100)) AS sum").first()
                                return (text, round, try row?.decode(column: "sum", as: Int.self))
                            }
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            #expect(answers.count == 60)
            for (text, round, sum) in answers { #expect(sum == text * 100 + round) }
        }
    }

    /// A statement that fails on the server under its name is sent unnamed from then on, and still answers.
    @Test(arguments: TestDatabase.engines)
    func aNamedStatementThatFailsIsRetiredAndStillAnswers(engine: DatabaseEngine) async throws {
        try await Self.withDatabase(engine) { database in
            func divide(by divisor: Int) async throws -> Int? {
                try await database.read { sql in
                    try await sql.raw("SELECT 60 / \(bind: divisor) AS quotient").first()?.decode(column: "quotient", as: Int.self)
                }
            }
            let before = [try await divide(by: 2), try await divide(by: 3)]
            await #expect(throws: (any Error).self) { try await divide(by: 0) }
            let after = [try await divide(by: 4), try await divide(by: 5)]
            #expect(before == [30, 20] && after == [15, 12])
            guard engine == .postgres, case .postgres(let postgres) = database.backend else { return }
            #expect(postgres.preparedNames?.count == 0, "the failed text is no longer named")
        }
    }

    @Test func withPreparingOffNothingIsPrepared() async throws {
        guard TestDatabase.engines.contains(.postgres) else { return }
        let (url, cleanup) = try await TestDatabase.make(.postgres)
        let database = try await Database.open(url, connections: 1, preparePostgresReads: false)
        for round in 1...3 {
            let value = try await database.read { sql in
                try await sql.raw("SELECT \(bind: round) AS value").first()?.decode(column: "value", as: Int.self)
            }
            #expect(value == round)
        }
        let prepared = try await Self.prepared(in: database)
        await database.close()
        try await cleanup()
        #expect(prepared.isEmpty)
    }

    /// One connection, so every read sees the statements the earlier ones prepared.
    private static func withDatabase(_ engine: DatabaseEngine, _ body: (Database) async throws -> Void) async throws {
        let (url, cleanup) = try await TestDatabase.make(engine)
        let database = try await Database.open(url, connections: 1)
        do {
            if engine == .sqlite { try await Migrator.migrate(database) }
            try await body(database)
        } catch {
            await database.close()
            try? await cleanup()
            throw error
        }
        await database.close()
        try await cleanup()
    }

    /// The statements prepared on the connection's session, by their text.
    private static func prepared(in database: Database) async throws -> [String] {
        try await database.read { sql in
            try await sql.raw("SELECT statement FROM pg_prepared_statements").all().map { try $0.decode(column: "statement", as: String.self) }
        }
    }
}

/// The names' own rules, without a database: the second sighting names a text, a name is never given twice, retired
/// texts and texts past the capacity stay unnamed, and sightings are forgotten when too many pile up.
@Suite struct PreparedStatementNamesTests {
    @Test func aTextIsNamedAtItsSecondSightingAndKeepsItsName() {
        let names = PreparedStatementNames(capacity: 2, sightings: 10)
        #expect(names.name(for: "a") == nil)
        #expect(names.name(for: "a") == "kvota_1")
        #expect(names.name(for: "a") == "kvota_1")
        #expect(names.name(for: "b") == nil)
        #expect(names.name(for: "b") == "kvota_2")
        // Past the capacity a text is never named.
        #expect(names.name(for: "c") == nil && names.name(for: "c") == nil && names.name(for: "c") == nil)
        #expect(names.count == 2)
    }

    @Test func aRetiredTextStaysUnnamedAndItsNameIsNotGivenAgain() {
        let names = PreparedStatementNames(capacity: 10, sightings: 10)
        _ = names.name(for: "a")
        #expect(names.name(for: "a") == "kvota_1")
        names.retire("a")
        #expect(names.name(for: "a") == nil && names.name(for: "a") == nil)
        _ = names.name(for: "b")
        #expect(names.name(for: "b") == "kvota_2")
    }

    @Test func sightingsAreForgottenWhenTooManyPileUp() {
        let names = PreparedStatementNames(capacity: 10, sightings: 3)
        for text in ["a", "b", "c", "d"] { #expect(names.name(for: text) == nil) }
        // "d" came when three were remembered: they were forgotten, so "a" is a first sighting again, "d" a second.
        #expect(names.name(for: "a") == nil)
        #expect(names.name(for: "d") == "kvota_1")
    }
}
