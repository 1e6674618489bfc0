import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `/api/v1/library`: scripts and regulations linked from stages, kept by heads, read by everyone; and `/api/v1/training`
/// with the onboarding checklist: a head keeps their team's records and ticks, a rep reads theirs and ticks their own
/// steps, nobody sees another team's. Both engines.
@Suite struct LibraryAPITests {
    struct Document: Decodable { let id: Int64; let kind: String; let title: String; let stageIds: [Int64]; let version: Int64 }
    struct Documents: Decodable { let items: [Document] }

    @Test(arguments: TestDatabase.engines)
    func documentsAreLinkedFromStagesAndKeptByHeads(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let head = try await client.token(for: org.head), rep = try await client.token(for: org.rep), desk = try await client.token(for: org.desk)
            let records = try await TestRecords.make(org.database)
            let offer = records.firstStageID, proposal = try await records.stage("Proposal", position: 2, outcome: "open")
            let made = try await PayAPITests.post(client, "/api/v1/library", ["kind": "script", "title": "Cold call opener",
                                                                              "body": "Hello, this is …", "stageIds": [offer, proposal]], token: head)
            #expect(made.status == .created)
            let script = try made.json(Document.self)
            #expect(script.stageIds == [offer, proposal])
            _ = try await PayAPITests.post(client, "/api/v1/library", ["kind": "regulation", "title": "Discounts over 10 %", "body": "Ask the head.",
                                                                       "stageIds": [proposal]], token: head)
            let bad = try await PayAPITests.post(client, "/api/v1/library", ["kind": "poem", "title": "", "body": "x", "stageIds": [999_999]], token: head)
            #expect(bad.status == .unprocessableContent)
            for field in ["\"kind\"", "\"title\"", "\"stageIds[0]\""] { #expect(bad.text.contains(field), "\(field)") }
            #expect(try await PayAPITests.post(client, "/api/v1/library", ["kind": "guide", "title": "Mine", "body": "x"], token: rep).status == .forbidden)

            // Everyone reads; a stage lists what it links to.
            #expect(try await client.get("/api/v1/library?stage=\(offer)", token: rep).json(Documents.self).items.map(\.title) == ["Cold call opener"])
            #expect(try await client.get("/api/v1/library?stage=\(proposal)", token: desk).json(Documents.self).items.count == 2)
            #expect(try await client.get("/api/v1/library?kind=regulation", token: rep).json(Documents.self).items.map(\.title) == ["Discounts over 10 %"])

            // Changes need the version; moving the script off the first stage unlinks it there.
            let moved = try await client.send(.patch, "/api/v1/library/\(script.id)", json: ["stageIds": [proposal]], token: head, headers: [.ifMatch: "\"1\""])
            #expect(try moved.status == .ok && moved.json(Document.self).version == 2)
            #expect(try await client.send(.patch, "/api/v1/library/\(script.id)", json: ["title": "Late"], token: head,
                                          headers: [.ifMatch: "\"1\""]).status == .preconditionFailed)
            #expect(try await client.get("/api/v1/library?stage=\(offer)", token: rep).json(Documents.self).items.isEmpty)
            #expect(try await client.delete("/api/v1/library/\(script.id)", token: rep).status == .forbidden)
            #expect(try await client.delete("/api/v1/library/\(script.id)", token: head).status == .noContent)
            #expect(try await client.get("/api/v1/library/\(script.id)", token: head).status == .notFound)
        }
    }

    struct Training: Decodable { let id: Int64; let userId: Int64; let kind: String; let result: String; let score: Int?; let version: Int64 }
    struct Trainings: Decodable { let items: [Training] }
    struct Onboarding: Decodable { struct Item: Decodable { let stepId: Int64; let doneAt: Date?; let doneBy: Int64? }; let done: Int; let total: Int; let items: [Item] }
    struct Step: Decodable { let id: Int64 }

    @Test(arguments: TestDatabase.engines)
    func trainingAndOnboardingAreTheReps(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let head = try await client.token(for: org.head), rep = try await client.token(for: org.rep)
            let stranger = try await client.token(for: org.stranger), director = try await client.token(for: org.director)
            func add(_ body: [String: Any], token: String) async throws -> TestResponse {
                try await PayAPITests.post(client, "/api/v1/training", body, token: token)
            }
            let course = try await add(["userId": org.rep.id.rawValue, "kind": "course", "title": "Negotiation basics", "startsOn": "2026-10-05",
                                        "endsOn": "2026-10-09", "result": "passed", "score": 86], token: head)
            #expect(course.status == .created)
            let mentoring = try await add(["userId": org.rep.id.rawValue, "kind": "mentoring", "title": "Calls with Hanna", "startsOn": "2026-11-02",
                                           "mentorId": org.head.id.rawValue, "result": "planned"], token: head).json(Training.self)
            let bad = try await add(["userId": org.rep.id.rawValue, "kind": "lecture", "title": "", "startsOn": "2026-11-10", "endsOn": "2026-11-01",
                                     "result": "planned", "score": 120], token: head)
            #expect(bad.status == .unprocessableContent)
            for field in ["\"kind\"", "\"title\"", "\"endsOn\"", "\"score\""] { #expect(bad.text.contains(field), "\(field)") }
            #expect(try await add(["userId": org.stranger.id.rawValue, "kind": "webinar", "title": "Not his", "startsOn": "2026-11-02",
                                   "result": "attended"], token: head).status == .forbidden)
            #expect(try await add(["userId": org.rep.id.rawValue, "kind": "webinar", "title": "Self-made", "startsOn": "2026-11-02",
                                   "result": "attended"], token: rep).status == .forbidden)

            #expect(try await client.get("/api/v1/training", token: rep).json(Trainings.self).items.map(\.kind) == ["mentoring", "course"])
            #expect(try await client.get("/api/v1/training", token: stranger).json(Trainings.self).items.isEmpty)
            #expect(try await client.get("/api/v1/training?user=\(org.rep.id)&from=2026-11-01", token: director).json(Trainings.self).items.count == 1)
            let done = try await client.send(.patch, "/api/v1/training/\(mentoring.id)", json: ["result": "attended"], token: head,
                                              headers: [.ifMatch: "\"1\""])
            #expect(try done.status == .ok && done.json(Training.self).result == "attended")
            #expect(try await client.delete("/api/v1/training/\(mentoring.id)", token: stranger).status == .notFound)

            // The checklist: heads write the steps; a rep ticks their own, a head their team's; nobody else's.
            let first = try await PayAPITests.post(client, "/api/v1/onboarding/steps", ["text": "Meet the order desk"], token: head).json(Step.self)
            let second = try await PayAPITests.post(client, "/api/v1/onboarding/steps", ["text": "20 calls reviewed"], token: head).json(Step.self)
            #expect(try await PayAPITests.post(client, "/api/v1/onboarding/steps", ["text": "Mine"], token: rep).status == .forbidden)
            let ticked = try await client.send(.put, "/api/v1/users/\(org.rep.id)/onboarding/\(first.id)", json: ["done": true], token: rep)
            #expect(ticked.status == .ok)
            let mine = try ticked.json(Onboarding.self)
            #expect(mine.done == 1 && mine.total == 2 && mine.items.first?.doneBy == org.rep.id.rawValue)
            #expect(try await client.send(.put, "/api/v1/users/\(org.teammate.id)/onboarding/\(first.id)", json: ["done": true],
                                          token: rep).status == .notFound)
            #expect(try await client.send(.put, "/api/v1/users/\(org.rep.id)/onboarding/\(second.id)", json: ["done": true],
                                          token: head).json(Onboarding.self).done == 2)
            #expect(try await client.get("/api/v1/users/\(org.rep.id)/onboarding", token: stranger).status == .notFound)
            #expect(try await client.send(.put, "/api/v1/users/\(org.rep.id)/onboarding/\(first.id)", json: ["done": false],
                                          token: head).json(Onboarding.self).done == 1)
            #expect(try await PayAPITests.post(client, "/api/v1/onboarding/steps/\(second.id)/retire", [:], token: head).status == .noContent)
            #expect(try await client.get("/api/v1/users/\(org.rep.id)/onboarding", token: rep).json(Onboarding.self).total == 1)
        }
    }
}

/// The library and training pages: a head writes a script for a stage and the deal page at that stage offers it; the
/// head adds an onboarding step and records a rep's course; the rep reads both, ticks their own step, and cannot
/// open a stranger's page.
@Suite struct LibraryPagesTests {
    @Test(arguments: TestDatabase.engines)
    func aHeadWritesTheLibraryAndARepUsesIt(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            let deal = try await records.deal(account: account, owner: org.rep.id)
            let head = try await PlanPagesTests.Browser.signIn(client, org.head)
            let bad = try await head.post("/library", [("kind", "script"), ("title", ""), ("body", "Hello"), ("stage", String(records.firstStageID))])
            #expect(bad.status == .unprocessableContent && bad.text.contains("expected 1 to 200 characters"))
            let made = try await head.post("/library", [("kind", "script"), ("title", "Offer call"), ("body", "Say the price last."),
                                                        ("stage", String(records.firstStageID))])
            #expect(made.status == .seeOther)
            let location = try #require(made.headers[.location])
            let document = try await head.get(location)
            #expect(document.text.contains("Say the price last.") && document.text.contains("Sales · Offer"))
            #expect(try await head.post("/onboarding-steps", [("step", "Meet the order desk")]).status == .seeOther)

            let rep = try await PlanPagesTests.Browser.signIn(client, org.rep)
            let dealPage = try await rep.get("/deals/\(deal)")
            #expect(dealPage.text.contains("From the library") && dealPage.text.contains(location))
            let library = try await rep.get("/library")
            #expect(library.text.contains("Offer call") && library.text.contains("Meet the order desk") && !library.text.contains("New document"))
            #expect(try await rep.post("/library", [("kind", "guide"), ("title", "Mine"), ("body", "x")]).status == .forbidden)

            // The head records Rita's course; Rita ticks her step.
            let course = try await head.post("/team/reps/\(org.rep.id)/training", [("kind", "course"), ("title", "Negotiation"), ("startsOn", "2026-11-02"),
                                                                                   ("endsOn", ""), ("mentorId", ""), ("result", "passed"), ("score", "90"),
                                                                                   ("notes", "")])
            #expect(course.status == .seeOther)
            let wrong = try await head.post("/team/reps/\(org.rep.id)/training", [("kind", "course"), ("title", "X"), ("startsOn", "2026-11-02"),
                                                                                  ("result", "planned"), ("score", "50")])
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("a planned training has no score yet"))
            let mine = try await rep.get("/team/reps/\(org.rep.id)/training")
            #expect(mine.text.contains("Negotiation") && mine.text.contains("90 %") && mine.text.contains("Onboarding: 0 of 1")
                    && !mine.text.contains("Record a training"))
            let step = try #require(mine.text.range(of: #"/onboarding/\d+""#, options: .regularExpression).map { String(mine.text[$0].dropLast()) })
            #expect(try await rep.post("/team/reps/\(org.rep.id)\(step)", [("done", "true")]).status == .seeOther)
            #expect(try await rep.get("/team/reps/\(org.rep.id)/training").text.contains("Onboarding: 1 of 1"))
            #expect(try await rep.get("/team/reps/\(org.stranger.id)/training").status == .notFound)
        }
    }
}
