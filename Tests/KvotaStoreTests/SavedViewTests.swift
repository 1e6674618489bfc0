import Foundation
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// Saved views, on both engines: each user's own alone (a head does not see the team's), a name saved again replaces
/// the query, and the limits and problems are named by field.
@Suite struct SavedViewTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    @Test(arguments: TestDatabase.engines)
    func viewsAreTheirOwnersAloneAndANameSavedAgainReplacesIt(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let team = try await database.addTeam(TeamDraft(name: "North", kind: .acquisition), by: nil, at: Self.now)
            let rep = try await database.addUser(UserDraft(name: "Rita", email: "rita@example.com", role: .rep, teamID: team.id),
                                                 passwordHash: nil, by: nil, at: Self.now)
            let head = try await database.addUser(UserDraft(name: "Hanna", email: "hanna@example.com", role: .head, teamID: team.id),
                                                  passwordHash: nil, by: nil, at: Self.now)
            _ = try await database.updateTeam(team.id, TeamDraft(name: "North", kind: .acquisition, headID: head.id),
                                              expectedVersion: nil, by: nil, at: Self.now)
            let rita = try #require(try await database.signedInUser(rep.id)).1
            let hanna = try #require(try await database.signedInUser(head.id)).1

            let open = try await database.saveView(of: .deal, name: "  Open, biggest first ", query: "status=open&sort=-amount",
                                                   by: rita, at: Self.now)
            #expect(open.name == "Open, biggest first")
            _ = try await database.saveView(of: .deal, name: "closing soon", query: "sort=close", by: rita, at: Self.now)
            _ = try await database.saveView(of: .account, name: "mine", query: "", by: rita, at: Self.now)
            let again = try await database.saveView(of: .deal, name: "OPEN, BIGGEST FIRST", query: "status=open&sort=-title",
                                                    by: rita, at: Self.now)
            #expect(again.id == open.id && again.name == "Open, biggest first", "same name in any case: the query is replaced")

            let ritas = try await database.savedViews(of: .deal, for: rita)
            #expect(ritas.map(\.name) == ["closing soon", "Open, biggest first"])
            #expect(ritas.last?.query == "status=open&sort=-title")
            #expect(try await database.savedViews(of: .deal, for: hanna).isEmpty, "a head does not see the team's views")
            await #expect(throws: AccessDenied.notFound(.savedView, id: open.id.rawValue)) {
                try await database.deleteSavedView(open.id, by: hanna)
            }
            try await database.deleteSavedView(open.id, by: rita)
            #expect(try await database.savedViews(of: .deal, for: rita).map(\.name) == ["closing soon"])

            let bad = await #expect(throws: ValidationFailure.self) {
                try await database.saveView(of: .deal, name: " ", query: String(repeating: "x", count: SavedView.maximumQueryLength + 1),
                                            by: rita, at: Self.now)
            }
            #expect(bad?.errors.map(\.field) == ["name", "query"])
            await #expect(throws: AccessDenied.forbidden(.list, .user)) {
                try await database.saveView(of: .user, name: "people", query: "", by: rita, at: Self.now)
            }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aListKeepsAtMostFiftyViewsPerUser(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let user = try await database.addUser(UserDraft(name: "Dina", email: "dina@example.com", role: .director, teamID: nil),
                                                  passwordHash: nil, by: nil, at: Self.now)
            let dina = try #require(try await database.signedInUser(user.id)).1
            for number in 1...SavedView.maximumPerList {
                _ = try await database.saveView(of: .order, name: "view \(number)", query: "status=paid", by: dina, at: Self.now)
            }
            let full = await #expect(throws: ValidationFailure.self) {
                try await database.saveView(of: .order, name: "one more", query: "", by: dina, at: Self.now)
            }
            #expect(full?.errors.map(\.field) == ["name"])
            _ = try await database.saveView(of: .order, name: "view 7", query: "status=draft", by: dina, at: Self.now)
            #expect(try await database.savedViews(of: .order, for: dina).count == SavedView.maximumPerList, "replacing needs no room")
        }
    }
}
