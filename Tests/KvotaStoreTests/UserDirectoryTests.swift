import Foundation
import KvotaCore
import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

@Suite struct UserDirectoryTests {
    static let now = Date(epochMilliseconds: 1_795_000_000_000)

    static func count(_ table: String, in database: Database) async throws -> Int {
        try await database.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? -1
        }
    }

    static func team(in database: Database) async throws -> Team.ID {
        try await database.write { sql in
            let row = try await sql.raw("INSERT INTO teams (name, kind) VALUES ('North', 'acquisition') RETURNING id").first()
            return Team.ID(try row!.decode(column: "id", as: Int64.self))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func addingAUserStartsTheirHistoryAndAuditTrail(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let team = try await Self.team(in: database)
            let user = try await database.addUser(
                UserDraft(name: "  Anna Berg ", email: "Anna.Berg@Example.com", role: .rep, teamID: team, language: .sv,
                          phoneExtension: "101"),
                passwordHash: "$2b$04$hash", by: nil, at: Self.now)
            #expect(user.name == "Anna Berg")
            #expect(try await database.user(email: "anna.berg@example.COM") == user)
            #expect(try await database.users() == [user])
            #expect(try await database.passwordHash(of: user.id) == "$2b$04$hash")

            let assignment = try await database.read { sql in
                try await sql.raw("SELECT team_id, role, valid_from, valid_to FROM user_assignments WHERE user_id = \(bind: user.id.rawValue)").first()
            }
            #expect(try assignment?.decode(column: "team_id", as: Int64.self) == team.rawValue)
            #expect(try assignment?.decode(column: "valid_from", as: Int64.self) == Self.now.epochMilliseconds)
            #expect(try assignment?.decode(column: "valid_to", as: Int64?.self) == nil)

            let trail = try await database.auditTrail(entity: "user", id: user.id.rawValue)
            #expect(trail.count == 1)
            #expect(trail.first?.action == "create")
            #expect(trail.first?.at == Self.now)
            #expect(trail.first?.changes.contains(.init("email", old: nil, new: "Anna.Berg@Example.com")) == true)
            #expect(trail.first?.changes.contains(.init("extension", old: nil, new: "101")) == true)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func everyProblemIsReportedAtOnceAndNothingIsWritten(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            _ = try await database.addUser(UserDraft(name: "Anna", email: "anna@example.com", role: .rep, phoneExtension: "101"),
                                           passwordHash: nil, by: nil, at: Self.now)
            let failure = await #expect(throws: ValidationFailure.self) {
                try await database.addUser(
                    UserDraft(name: " ", email: "ANNA@example.com", role: .rep, teamID: 999, managerID: 998,
                              phoneExtension: "101"),
                    passwordHash: nil, by: nil, at: Self.now)
            }
            #expect(failure?.errors.map(\.field) == ["name", "email", "extension", "team", "manager"])
            #expect(failure?.errors.dropFirst().first?.description == "email: 'ANNA@example.com' is already used by another user")
            #expect(try await Self.count("users", in: database) == 1)
            #expect(try await Self.count("user_assignments", in: database) == 1)
            #expect(try await Self.count("audit_log", in: database) == 1)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func disablingEndsSessionsAndRevokesTokens(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let user = try await database.addUser(UserDraft(name: "Bo", email: "bo@example.com", role: .head),
                                                  passwordHash: "h", by: nil, at: Self.now)
            try await database.write { sql in
                try await sql.raw("""
                    INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at, last_seen_at)
                    VALUES ('s1', \(bind: user.id.rawValue), 'c', 0, 9, 0)
                    """).run()
                try await sql.raw("""
                    INSERT INTO api_tokens (user_id, name, kind, scope, token_hash, created_at)
                    VALUES (\(bind: user.id.rawValue), 'cli', 'access', 'read', 't1', 0)
                    """).run()
            }
            let later = Self.now.addingTimeInterval(60)
            let disabled = try await database.setActive(email: "BO@example.com", false, by: nil, at: later)
            #expect(!disabled.active)
            #expect(try await database.passwordHash(of: user.id) == nil, "a disabled user cannot sign in")
            #expect(try await Self.count("sessions", in: database) == 0)
            let revoked = try await database.read { sql in
                try await sql.raw("SELECT revoked_at FROM api_tokens").first()?.decode(column: "revoked_at", as: Int64?.self)
            }
            #expect(revoked == later.epochMilliseconds)
            let trail = try await database.auditTrail(entity: "user", id: user.id.rawValue)
            #expect(trail.map(\.action) == ["create", "update"])
            #expect(trail.last?.changes == [.init("active", old: "true", new: "false")])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func passwordChangesAreAuditedWithoutTheHash(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let user = try await database.addUser(UserDraft(name: "Cia", email: "cia@example.com", role: .analyst),
                                                  passwordHash: nil, by: nil, at: Self.now)
            try await database.setPasswordHash(email: "cia@example.com", "$2b$new", by: user.id, at: Self.now)
            #expect(try await database.passwordHash(of: user.id) == "$2b$new")
            let last = try #require(try await database.auditTrail(entity: "user", id: user.id.rawValue).last)
            #expect(last.action == "password_changed")
            #expect(last.actorID == user.id)
            #expect(last.changes.isEmpty)
            await #expect(throws: ValidationFailure.self) {
                try await database.setPasswordHash(email: "nobody@example.com", "x", by: nil, at: Self.now)
            }
        }
    }
}
