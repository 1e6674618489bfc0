import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `/api/v1/scorecards` and `/api/v1/reviews`: a head's scorecard, reviews of a rep's call and a test purchase with the
/// weighted score worked out, each problem named, who reviews and reads whose, the monthly trend. Both engines.
@Suite struct ReviewsAPITests {
    struct Card: Decodable { let id: Int64; let maxScore: Int }
    struct ReviewAnswer: Decodable { let id: Int64; let repId: Int64; let total: Double; let occurredOn: String; let activityId: Int64? }
    struct Reviews: Decodable { let items: [ReviewAnswer] }
    struct Trend: Decodable {
        struct Month: Decodable, Equatable { let month: String; let mean: Double; let count: Int }
        struct Rep: Decodable { let repId: Int64; let months: [Month] }
        let items: [Rep]
    }
    struct NewReview: Encodable {
        var scorecardId: Int64?
        var repId: Int64?
        var subject: String? = "call"
        var activityId: Int64?
        var occurredOn: String?
        var scores: [String: Int]? = ["Greeting": 5, "Needs": 3, "Next step": 4]
        var comment: String?
    }

    @Test(arguments: TestDatabase.engines)
    func aHeadScoresCallsAndTheTrendFollows(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let head = try await client.token(for: org.head), rep = try await client.token(for: org.rep)
            let criteria: [[String: Any]] = [["name": "Greeting", "weight": 1], ["name": "Needs", "weight": 2], ["name": "Next step", "weight": 1]]
            let made = try await PayAPITests.post(client, "/api/v1/scorecards", ["name": "Cold call", "criteria": criteria, "maxScore": 5], token: head)
            #expect(made.status == .created)
            let card = try made.json(Card.self)
            #expect(try await PayAPITests.post(client, "/api/v1/scorecards", ["name": "Mine", "criteria": criteria], token: rep).status == .forbidden)
            let bad = try await PayAPITests.post(client, "/api/v1/scorecards", ["name": "", "criteria": [["name": "A", "weight": 0], ["name": "A", "weight": 1]],
                                                                               "maxScore": 0], token: head)
            #expect(bad.status == .unprocessableContent)
            for field in ["\"name\"", "criteria[0].weight", "\"maxScore\"", "\"criteria\""] { #expect(bad.text.contains(field), "\(field)") }

            // Rita's call, scored 5, 3 and 4 on weights 1, 2, 1: (5 + 6 + 4) / 20 = 0.75.
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            struct Call: Encodable { let kind = "call"; let subject = "Call"; let accountId: Int64; let occurredAt: Date; let callDirection = "outbound"
                                     let callDisposition = "answered"; let talkSeconds = 200 }
            struct Made: Decodable { let id: Int64 }
            let call = try await client.post("/api/v1/activities", json: Call(accountId: account, occurredAt: org.clock.now), token: rep).json(Made.self).id
            let reviewed = try await client.post("/api/v1/reviews", json: NewReview(scorecardId: card.id, repId: org.rep.id.rawValue, activityId: call),
                                                 token: head)
            #expect(reviewed.status == .created)
            let review = try reviewed.json(ReviewAnswer.self)
            #expect(review.total == 0.75 && review.occurredOn == "2026-11-18" && review.activityId == call)
            // A test purchase in October, all fives.
            #expect(try await client.post("/api/v1/reviews", json: NewReview(scorecardId: card.id, repId: org.rep.id.rawValue, subject: "test_purchase",
                                                                              occurredOn: "2026-10-15",
                                                                              scores: ["Greeting": 5, "Needs": 5, "Next step": 5]),
                                          token: head).status == .created)
            // Problems, each named: another team's rep, another rep's call, a missing and an unknown criterion, a score
            // out of range, no day.
            let wrong = try await client.post("/api/v1/reviews", json: NewReview(scorecardId: card.id, repId: org.stranger.id.rawValue, activityId: call,
                                                                              scores: ["Greeting": 9, "Smile": 3]), token: head)
            #expect(wrong.status == .unprocessableContent)
            for field in ["\"repId\"", "\"activityId\"", "scores.Greeting", "scores.Smile", "scores.Needs"] { #expect(wrong.text.contains(field), "\(field)") }
            let undated = try await client.post("/api/v1/reviews", json: NewReview(scorecardId: card.id, repId: org.rep.id.rawValue), token: head)
            #expect(undated.status == .unprocessableContent && undated.text.contains("occurredOn"))
            #expect(try await client.post("/api/v1/reviews", json: NewReview(scorecardId: card.id, repId: org.rep.id.rawValue, occurredOn: "2026-11-01"),
                                          token: rep).status == .forbidden)

            // Who reads which: Rita her own, Tove none of Rita's, the director all.
            #expect(try await client.get("/api/v1/reviews", token: rep).json(Reviews.self).items.count == 2)
            #expect(try await client.get("/api/v1/reviews", token: try await client.token(for: org.teammate)).json(Reviews.self).items.isEmpty)
            #expect(try await client.get("/api/v1/reviews?rep=\(org.rep.id)&from=2026-11-01", token: try await client.token(for: org.director))
                .json(Reviews.self).items.map(\.id) == [review.id])
            let trend = try await client.get("/api/v1/reviews/trend", token: head).json(Trend.self)
            #expect(trend.items.first { $0.repId == org.rep.id.rawValue }?.months == [.init(month: "2026-10", mean: 1, count: 1),
                                                                                      .init(month: "2026-11", mean: 0.75, count: 1)])

            // A retired scorecard takes no new reviews; its reviews stay.
            #expect(try await client.post("/api/v1/scorecards/\(card.id)/retire", json: [String: String](), token: head).status == .noContent)
            let late = try await client.post("/api/v1/reviews", json: NewReview(scorecardId: card.id, repId: org.rep.id.rawValue, occurredOn: "2026-11-02"),
                                             token: head)
            #expect(late.status == .unprocessableContent && late.text.contains("scorecardId"))
            #expect(try await client.get("/api/v1/reviews", token: rep).json(Reviews.self).items.count == 2)
        }
    }
}

/// The reviews page: a head makes a scorecard, scores a member's call, sees the month's score; a bad criteria text
/// comes back named; a rep has no such page.
@Suite struct ReviewPagesTests {
    @Test(arguments: TestDatabase.engines)
    func aHeadScoresOnTheWeb(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let head = try await PlanPagesTests.Browser.signIn(client, org.head)
            #expect(try await head.get("/team").text.contains("/team/reviews?team=\(org.teamA.id)"))
            let empty = try await head.get("/team/reviews")
            #expect(empty.status == .ok && empty.text.contains("No reviews yet.") && !empty.text.contains(#"name="repId""#))
            let bad = try await head.post("/scorecards", [("team", String(org.teamA.id.rawValue)), ("name", "Cold call"), ("criteria", "Greeting"),
                                                         ("maxScore", "5")])
            #expect(bad.status == .unprocessableContent && bad.text.contains("Expected one criterion a line"))
            let card = try await head.post("/scorecards", [("team", String(org.teamA.id.rawValue)), ("name", "Cold call"),
                                                          ("criteria", "Greeting 1\nNeeds found 2"), ("maxScore", "5")])
            #expect(card.status == .seeOther)
            let form = try await head.get("/team/reviews")
            #expect(form.text.contains(#"name="score.Needs found""#) && form.text.contains(#"name="repId""#))
            let cardID = try #require(try await org.database.scorecards(for: Actor(userID: org.director.id, role: .director, teamID: nil)).first?.id)
            let saved = try await head.post("/team/reviews?team=\(org.teamA.id)", [("scorecardId", String(cardID.rawValue)), ("repId", String(org.rep.id.rawValue)),
                                                                                  ("subject", "call"), ("occurredOn", "2026-11-17"),
                                                                                  ("score.Greeting", "5"), ("score.Needs found", "2"),
                                                                                  ("comment", "Ask more about needs")])
            #expect(saved.status == .seeOther)
            // (5 + 4) / 15 = 60 %.
            let page = try await head.get("/team/reviews")
            #expect(page.text.contains("2026-11") && page.text.contains("Ask more about needs") && page.text.contains("60"))
            #expect(try await PlanPagesTests.Browser.signIn(client, org.rep).get("/team/reviews").status == .forbidden)
        }
    }
}
