import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Testing

/// A head's adjustment of a rep's commit: set by the head for their members (not themselves, not by the rep), only
/// for a month that has not ended, guarded by its version; the forecast keeps it beside the rep's own number and
/// rolls it into the team's adjusted commit.
@Suite struct ForecastAdjustmentAPITests {
    struct Adjustment: Decodable { let userId: Int64; let month: String; let amountMinor: Int64; let note: String?; let version: Int64 }
    struct Body: Encodable { let amountMinor: Int64; let note: String }
    struct Items: Decodable { let items: [Adjustment] }
    struct Listed: Decodable { let userId: Int64; let month: String; let amountMinor: Int64; let commitMinor: Int64 }
    struct Answer: Decodable {
        struct Month: Decodable { let month: String; let commit: Int64?; let adjusted: Int64? }
        let months: [Month]
        let adjustments: [Listed]
    }

    @Test(arguments: TestDatabase.engines)
    func aHeadAdjustsAMembersCommit(engine: DatabaseEngine) async throws {
        try await AnalyticsFixture.run(engine) { client, fixture in
            let head = try await client.token(for: fixture.head)
            let rep = try await client.token(for: fixture.rep)
            let director = try await client.token(for: fixture.director)
            let team = try #require(fixture.head.teamID)
            let path = "/api/v1/forecast/adjustments/\(fixture.rep.id)/2026-11"

            let own = try await client.get("/api/v1/forecast?scope=user:\(fixture.rep.id)&horizon=2&past=0", token: head).json(Answer.self)
            let repCommit = try #require(own.months.first?.commit)
            let before = try await client.get("/api/v1/forecast?scope=team:\(team)&horizon=2&past=0", token: head).json(Answer.self)
            let teamCommit = try #require(before.months.first?.commit)
            #expect(before.months.first?.adjusted == teamCommit, "nothing adjusted yet")

            let set = try await client.send(.put, path, json: ["amountMinor": 1_234_500], token: head)
            #expect(set.status == .ok && set.headers[.eTag] == "\"1\"")
            #expect(try set.json(Adjustment.self).amountMinor == 1_234_500)
            let after = try await client.get("/api/v1/forecast?scope=team:\(team)&horizon=2&past=0", token: head).json(Answer.self)
            #expect(after.months.first?.commit == teamCommit, "the unadjusted number stays")
            #expect(after.months.first?.adjusted == teamCommit - repCommit + 1_234_500)
            #expect(after.adjustments.map(\.commitMinor) == [repCommit] && after.adjustments.map(\.userId) == [fixture.rep.id.rawValue])
            let repView = try await client.get("/api/v1/forecast?scope=user:\(fixture.rep.id)&horizon=2&past=0", token: rep).json(Answer.self)
            #expect(repView.months.first?.adjusted == 1_234_500 && repView.months.first?.commit == repCommit, "the rep sees both numbers")

            // Who may: the rep reads but does not set; a head does not set their own; a past month is history.
            #expect(try await client.send(.put, path, json: ["amountMinor": 1], token: rep).status == .forbidden)
            let self_ = try await client.send(.put, "/api/v1/forecast/adjustments/\(fixture.head.id)/2026-11", json: ["amountMinor": 1], token: head)
            #expect(self_.status == .forbidden)
            let past = try await client.send(.put, "/api/v1/forecast/adjustments/\(fixture.rep.id)/2026-10", json: ["amountMinor": 1], token: head)
            let pastFields = try past.problem().errors?.map(\.field)
            #expect(past.status == .unprocessableContent && pastFields == ["month"])
            let badMonth = try await client.send(.put, "/api/v1/forecast/adjustments/\(fixture.rep.id)/soon", json: ["amountMinor": 1], token: head)
            let badFields = try badMonth.problem().errors?.map(\.field)
            #expect(badMonth.status == .badRequest && badFields == ["month"])
            let negative = try await client.send(.put, path, json: ["amountMinor": -5], token: director)
            #expect((try negative.problem().errors?.map(\.field)) == ["amountMinor"])

            // A stale version changes nothing; the right one does.
            let stale = try await client.send(.put, path, json: ["amountMinor": 7], token: director, headers: [.ifMatch: "\"5\""])
            #expect(stale.status == .preconditionFailed)
            let changed = try await client.send(.put, path, json: Body(amountMinor: 900_000, note: "Lost the big one"),
                                                token: director, headers: [.ifMatch: "\"1\""])
            let version = try changed.json(Adjustment.self).version
            #expect(changed.status == .ok && version == 2)
            let listed = try await client.get("/api/v1/forecast/adjustments?from=2026-11&to=2026-12", token: rep).json(Items.self)
            #expect(listed.items.map(\.amountMinor) == [900_000] && listed.items.first?.note == "Lost the big one")

            #expect(try await client.delete(path, token: head).status == .noContent)
            let cleared = try await client.get("/api/v1/forecast?scope=team:\(team)&horizon=2&past=0", token: head).json(Answer.self)
            #expect(cleared.months.first?.adjusted == teamCommit && cleared.adjustments.isEmpty)
            let trail = try await fixture.database.auditTrail(entity: "forecast adjustment", id: fixture.rep.id.rawValue)
            #expect(trail.map(\.action) == ["create", "update", "delete"])
        }
    }
}
