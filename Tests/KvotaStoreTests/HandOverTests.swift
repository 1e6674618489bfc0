import Foundation
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// Handing a leaving rep's work over, on both engines.
@Suite struct HandOverTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    struct Company {
        let team: Team
        let other: Team
        let head: User, leaver: User, ann: User, bo: User, stranger: User
        let director: Actor
    }

    static func company(_ database: Database) async throws -> Company {
        let team = try await database.addTeam(TeamDraft(name: "North", kind: .acquisition), by: nil, at: now)
        let other = try await database.addTeam(TeamDraft(name: "South", kind: .acquisition), by: nil, at: now)
        func add(_ name: String, _ role: Role, _ team: Team?) async throws -> User {
            try await database.addUser(UserDraft(name: name, email: "\(name)@example.com", role: role, teamID: team?.id),
                                       passwordHash: nil, by: nil, at: now)
        }
        let head = try await add("head", .head, team)
        _ = try await database.updateTeam(team.id, TeamDraft(name: "North", kind: .acquisition, headID: head.id),
                                          expectedVersion: nil, by: nil, at: now)
        let director = try await add("director", .director, nil)
        return Company(team: team, other: other, head: head, leaver: try await add("leaver", .rep, team),
                       ann: try await add("ann", .rep, team), bo: try await add("bo", .rep, team),
                       stranger: try await add("stranger", .rep, other),
                       director: Actor(userID: director.id, role: .director, teamID: nil))
    }

    @Test(arguments: TestDatabase.engines)
    func spreadingEvenlyKeepsEachCustomerWithOnePerson(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let c = try await Self.company(database)
            let records = try await TestRecords.make(database)
            var accounts: [Int64] = []
            var deals: [Int64] = []
            for n in 0..<4 {
                let account = try await records.account(owner: c.leaver.id, name: "Customer \(n)")
                accounts.append(account)
                deals.append(try await records.deal(account: account, owner: c.leaver.id))
            }
            let won = try await records.deal(account: accounts[0], owner: c.leaver.id, status: "won")
            let accountTask = try await records.task(owner: c.leaver.id, account: accounts[1])
            let doneTask = try await records.task(owner: c.leaver.id, account: accounts[1], done: true)
            let openLead = try await records.lead(owner: c.leaver.id)
            let convertedLead = try await records.lead(owner: c.leaver.id, status: "converted")
            let someoneElses = try await records.account(owner: c.ann.id)

            let (_, head) = try #require(try await database.signedInUser(c.head.id))
            let summary = try await database.handOver(from: c.leaver.id, to: [c.ann.id, c.bo.id], by: head, at: Self.now)
            #expect(summary.accounts == 4 && summary.deals == 4 && summary.leads == 1 && summary.tasks == 1)

            var owners: [User.ID: Int] = [:]
            for (account, deal) in zip(accounts, deals) {
                let owner = try #require(try await records.owner("accounts", account))
                owners[owner, default: 0] += 1
                #expect(try await records.owner("deals", deal) == owner, "an open deal goes with its account")
            }
            #expect(owners == [c.ann.id: 2, c.bo.id: 2])
            #expect(try await records.owner("activities", accountTask) == records.owner("accounts", accounts[1]))
            #expect(try await records.owner("deals", won) == c.leaver.id, "closed deals keep their history")
            #expect(try await records.owner("activities", doneTask) == c.leaver.id)
            #expect(try await records.owner("leads", convertedLead) == c.leaver.id)
            #expect([c.ann.id, c.bo.id].contains(try await records.owner("leads", openLead)))
            #expect(try await records.owner("accounts", someoneElses) == c.ann.id)

            let trail = try await database.auditTrail(entity: "deal", id: deals[0])
            #expect(trail.last?.changes.first?.field == "owner" && trail.last?.changes.first?.old == c.leaver.id.description)
            let handOver = try await database.auditTrail(entity: "user", id: c.leaver.id.rawValue).last
            #expect(handOver?.action == "hand_over" && handOver?.actorID == c.head.id)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aHeadHandsOverOnlyWithinTheTeamAndARepNotAtAll(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let c = try await Self.company(database)
            let records = try await TestRecords.make(database)
            let account = try await records.account(owner: c.leaver.id)
            let (_, head) = try #require(try await database.signedInUser(c.head.id))
            await #expect(throws: AccessDenied.forbidden(.update, .account)) {
                try await database.handOver(from: c.leaver.id, to: [c.stranger.id], by: head, at: Self.now)
            }
            await #expect(throws: AccessDenied.notFound(.user, id: c.stranger.id.rawValue)) {
                try await database.handOver(from: c.stranger.id, to: [c.ann.id], by: head, at: Self.now)
            }
            let rep = Actor(userID: c.leaver.id, role: .rep, teamID: c.team.id)
            await #expect(throws: AccessDenied.forbidden(.update, .account)) {
                try await database.handOver(from: c.leaver.id, to: [c.ann.id], by: rep, at: Self.now)
            }
            #expect(try await records.owner("accounts", account) == c.leaver.id, "nothing moved")

            // A director may hand over across teams, but only to active reps and heads.
            _ = try await database.setActive(email: c.bo.email, false, by: nil, at: Self.now)
            await #expect(throws: ValidationFailure.self) {
                try await database.handOver(from: c.leaver.id, to: [c.bo.id], by: c.director, at: Self.now)
            }
            _ = try await database.handOver(from: c.leaver.id, to: [c.stranger.id], by: c.director, at: Self.now)
            #expect(try await records.owner("accounts", account) == c.stranger.id)
        }
    }
}
