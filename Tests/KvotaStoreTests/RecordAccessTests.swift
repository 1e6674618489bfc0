import Foundation
import KvotaCore
import KvotaTestSupport
import Testing
@testable import KvotaStore

/// The access policy applied in SQL: which rows each role's queries see, and 404 versus 403 for one record, on both
/// engines. Team A: head Hanna, reps Rita and Tove; team B: rep Sven.
@Suite struct RecordAccessTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    struct World {
        var actors: [String: Actor] = [:]
        /// Per kind, the record ids owned by rita, tove, sven and nobody (where a kind allows no owner).
        var records: [RecordKind: [String: Int64]] = [:]
    }

    static func world(_ database: Database) async throws -> World {
        let teamA = try await database.addTeam(TeamDraft(name: "A", kind: .acquisition), by: nil, at: now)
        let teamB = try await database.addTeam(TeamDraft(name: "B", kind: .acquisition), by: nil, at: now)
        var users: [String: User] = [:]
        for (name, role, team) in [("hanna", Role.head, teamA), ("rita", .rep, teamA), ("tove", .rep, teamA), ("sven", .rep, teamB),
                                   ("olle", .orderDesk, nil), ("alva", .analyst, nil), ("dmitri", .director, nil)] as [(String, Role, Team?)] {
            users[name] = try await database.addUser(UserDraft(name: name, email: "\(name)@example.com", role: role, teamID: team?.id),
                                                     passwordHash: nil, by: nil, at: now)
        }
        _ = try await database.updateTeam(teamA.id, TeamDraft(name: "A", kind: .acquisition, headID: users["hanna"]!.id),
                                          expectedVersion: nil, by: nil, at: now)
        var world = World()
        for name in users.keys { world.actors[name] = try #require(try await database.signedInUser(users[name]!.id)).1 }

        let records = try await TestRecords.make(database)
        for owner in ["rita", "tove", "sven", "olle"] {
            let id = users[owner]!.id
            let account = try await records.account(owner: id, name: owner)
            world.records[.account, default: [:]][owner] = account
            world.records[.contact, default: [:]][owner] = try await records.contact(account: account)
            world.records[.deal, default: [:]][owner] = try await records.deal(account: account, owner: id)
            world.records[.lead, default: [:]][owner] = try await records.lead(owner: id)
            world.records[.activity, default: [:]][owner] = try await records.task(owner: id, account: account)
            world.records[.order, default: [:]][owner] = try await records.order(account: account, owner: id)
        }
        let unowned = try await records.account(owner: nil, name: "nobody")
        world.records[.account]!["nobody"] = unowned
        world.records[.contact]!["nobody"] = try await records.contact(account: unowned)
        return world
    }

    /// Whose records each actor lists, per kind (owners by name; "all" = every record).
    static let listed: [String: [RecordKind: Set<String>]] = {
        let all: Set<String> = ["all"]
        let everything: [RecordKind: Set<String>] = [.account: all, .contact: all, .lead: all, .deal: all, .activity: all, .order: all]
        return [
            "rita": [.account: ["rita"], .contact: ["rita"], .lead: ["rita"], .deal: ["rita"], .activity: ["rita"], .order: ["rita"]],
            "hanna": [.account: ["rita", "tove"], .contact: ["rita", "tove"], .lead: ["rita", "tove"], .deal: ["rita", "tove"],
                      .activity: ["rita", "tove"], .order: ["rita", "tove"]],
            "olle": [.account: all, .contact: all, .lead: [], .deal: all, .activity: ["olle"], .order: all],
            "alva": everything,
            "dmitri": everything,
        ]
    }()

    @Test(arguments: TestDatabase.engines)
    func eachRoleListsExactlyTheRecordsItMaySee(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let world = try await Self.world(database)
            for (name, kinds) in Self.listed {
                for (kind, owners) in kinds {
                    let expected = owners == ["all"] ? Set(world.records[kind]!.values)
                        : Set(owners.compactMap { world.records[kind]![$0] })
                    let seen = Set(try await database.accessibleIDs(world.actors[name]!, .list, kind))
                    #expect(seen == expected, "\(name) lists \(kind)")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func oneRecordAnswersNotFoundWhenHiddenAndForbiddenWhenOnlyReadable(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let world = try await Self.world(database)
            let rita = world.actors["rita"]!, hanna = world.actors["hanna"]!, alva = world.actors["alva"]!
            let svensDeal = world.records[.deal]!["sven"]!, tovesContact = world.records[.contact]!["tove"]!

            await #expect(throws: AccessDenied.notFound(.deal, id: svensDeal)) {
                try await database.requireAccess(rita, .read, .deal, id: svensDeal)
            }
            await #expect(throws: AccessDenied.notFound(.contact, id: tovesContact), "a contact belongs to its account's owner") {
                try await database.requireAccess(rita, .update, .contact, id: tovesContact)
            }
            try await database.requireAccess(hanna, .update, .contact, id: tovesContact)
            await #expect(throws: AccessDenied.notFound(.deal, id: svensDeal)) {
                try await database.requireAccess(hanna, .read, .deal, id: svensDeal)
            }
            await #expect(throws: AccessDenied.forbidden(.update, .deal)) {
                try await database.requireAccess(alva, .update, .deal, id: svensDeal)
            }
            await #expect(throws: AccessDenied.forbidden(.delete, .deal), "reps close deals as lost instead") {
                try await database.requireAccess(rita, .delete, .deal, id: world.records[.deal]!["rita"]!)
            }
            await #expect(throws: AccessDenied.notFound(.deal, id: 999_999)) {
                try await database.requireAccess(world.actors["dmitri"]!, .read, .deal, id: 999_999)
            }
        }
    }
}
