import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `/api/v1/swot`: boards per scope and period, items with impact and owner, the period before for comparison, a task
/// spawned from an item into its owner's day, and who keeps and reads which board. Both engines.
@Suite struct SwotAPITests {
    struct Item: Decodable { let id: Int64; let quadrant: String; let impact: Int; let ownerId: Int64?; let taskIds: [Int64]; let version: Int64 }
    struct Board: Decodable { let id: Int64; let scope: String; let period: String; let items: [Item]; let previousId: Int64? }
    struct Answer: Decodable { let board: Board; let previous: Board? }
    struct Spawned: Decodable { let activityId: Int64; let ownerId: Int64 }
    struct Summaries: Decodable { struct Summary: Decodable { let id: Int64; let scope: String }; let items: [Summary] }

    @Test(arguments: TestDatabase.engines)
    func boardsItemsTasksAndWhoKeepsThem(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let director = try await client.token(for: org.director), head = try await client.token(for: org.head)
            func board(_ scope: String, _ period: String, token: String) async throws -> TestResponse {
                try await client.post("/api/v1/swot", json: ["scope": scope, "period": period, "title": "Review"], token: token)
            }
            let q3 = try await board("company", "2026-Q3", token: director).json(Board.self)
            let q4 = try await board("company", "2026-Q4", token: director)
            #expect(q4.status == .created)
            let company = try q4.json(Board.self)
            #expect(try await board("team:\(org.teamA.id)", "2026-Q4", token: head).status == .created)
            #expect(try await board("company", "2026-Q1", token: head).status == .forbidden)
            #expect(try await board("team:\(org.teamB.id)", "2026-Q4", token: head).status == .forbidden)
            let twice = try await board("company", "2026-Q4", token: director)
            #expect(twice.status == .unprocessableContent && twice.text.contains("\"period\""))
            let bad = try await client.post("/api/v1/swot", json: ["scope": "planet:3", "period": "autumn"], token: director)
            #expect(bad.status == .unprocessableContent && bad.text.contains("\"scope\"") && bad.text.contains("\"period\""))

            struct NewItem: Encodable { let quadrant: String; let text: String?; let impact: Int?; let ownerId: Int64? }
            func add(_ item: NewItem, to id: Int64 = company.id, token: String) async throws -> TestResponse {
                try await client.post("/api/v1/swot/\(id)/items", json: item, token: token)
            }
            #expect(try await add(NewItem(quadrant: "strengths", text: "Fast delivery", impact: 5, ownerId: nil), token: director).status == .created)
            let threat = try await add(NewItem(quadrant: "threats", text: "A rival cuts prices", impact: 2, ownerId: org.rep.id.rawValue), token: director)
                .json(Item.self)
            let wrong = try await add(NewItem(quadrant: "luck", text: nil, impact: 9, ownerId: nil), token: director)
            #expect(wrong.status == .unprocessableContent)
            for field in ["\"quadrant\"", "\"text\"", "\"impact\""] { #expect(wrong.text.contains(field), "\(field)") }
            #expect(try await add(NewItem(quadrant: "threats", text: "x", impact: 1, ownerId: nil), token: head).status == .forbidden)

            // The board with the quarter before; a head reads the company's; a rep sees none.
            let read = try await client.get("/api/v1/swot/\(company.id)", token: head).json(Answer.self)
            #expect(read.board.items.map(\.quadrant).sorted() == ["strengths", "threats"] && read.previous?.id == q3.id && read.board.previousId == q3.id)
            #expect(try await client.get("/api/v1/swot?scope=company", token: head).json(Summaries.self).items.count == 2)
            #expect(try await client.get("/api/v1/swot", token: try await client.token(for: org.rep)).status == .forbidden)

            // A change needs the current version.
            let raised = try await client.send(.patch, "/api/v1/swot/items/\(threat.id)", json: ["impact": 4], token: director, headers: [.ifMatch: "\"1\""])
            #expect(raised.status == .ok)
            #expect(try raised.json(Item.self).impact == 4)
            #expect(try await client.send(.patch, "/api/v1/swot/items/\(threat.id)", json: ["impact": 3], token: director,
                                           headers: [.ifMatch: "\"1\""]).status == .preconditionFailed)

            // A task from the threat goes to its owner, Rita, as a task of her own; the item lists it.
            let spawned = try await client.post("/api/v1/swot/items/\(threat.id)/tasks", json: ["subject": "Check the rival's prices"], token: director)
            #expect(spawned.status == .created)
            let task = try spawned.json(Spawned.self)
            #expect(task.ownerId == org.rep.id.rawValue)
            #expect(try await client.get("/api/v1/activities/\(task.activityId)", token: try await client.token(for: org.rep)).status == .ok)
            let withTask = try await client.get("/api/v1/swot/\(company.id)", token: director).json(Answer.self)
            #expect(withTask.board.items.first { $0.id == threat.id }?.taskIds == [task.activityId])
            // Deleting the item keeps the task.
            #expect(try await client.delete("/api/v1/swot/items/\(threat.id)", token: director).status == .noContent)
            #expect(try await client.get("/api/v1/activities/\(task.activityId)", token: director).status == .ok)
        }
    }
}

/// The SWOT pages: a director opens a board, adds items in the four quadrants and makes a task of one; a head reads
/// the company's board without forms; a bad item comes back with its reason.
@Suite struct SwotPagesTests {
    @Test(arguments: TestDatabase.engines)
    func aDirectorKeepsABoardOnTheWeb(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let director = try await PlanPagesTests.Browser.signIn(client, org.director)
            let list = try await director.get("/swot")
            #expect(list.status == .ok && list.text.contains("No SWOT boards yet.") && list.text.contains(#"value="2026-Q4""#))
            let made = try await director.post("/swot", [("scope", "company"), ("period", "2026-Q4"), ("title", "Q4 review")])
            #expect(made.status == .seeOther)
            let location = try #require(made.headers[.location])
            let added = try await director.post(location, [("quadrant", "threats"), ("text", "A rival cuts prices"), ("impact", "4"),
                                                           ("ownerId", String(org.rep.id.rawValue))])
            #expect(added.status == .seeOther)
            let bad = try await director.post(location, [("quadrant", "strengths"), ("text", ""), ("impact", "3"), ("ownerId", "")])
            #expect(bad.status == .unprocessableContent && bad.text.contains("expected 1 to 1000 characters"))
            let board = try await director.get(location)
            #expect(board.text.contains("SWOT · Company · 2026-Q4") && board.text.contains("A rival cuts prices") && board.text.contains("Rita"))
            let token = try await client.token(for: org.director)
            let id = try #require(try await client.get("/api/v1\(location)", token: token).json(SwotAPITests.Answer.self).board.items.first?.id)
            #expect(try await director.post("/swot/items/\(id)/task", []).status == .seeOther)
            #expect(try await director.get(location).text.contains("1 task(s)"))
            // The head reads it, with no forms; a rep has no SWOT at all.
            let head = try await PlanPagesTests.Browser.signIn(client, org.head)
            let read = try await head.get(location)
            #expect(read.status == .ok && read.text.contains("A rival cuts prices") && !read.text.contains("Make a task"))
            #expect(try await head.post("/swot/items/\(id)/delete", []).status == .forbidden)
            #expect(try await PlanPagesTests.Browser.signIn(client, org.rep).get("/swot").status == .forbidden)
        }
    }
}
