import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `Idempotency-Key` on POST: a retry gets the first answer and creates nothing twice.
@Suite struct IdempotencyTests {
    struct AccountBody: Decodable { let id: Int64; let name: String }

    static let key = HTTPField.Name("Idempotency-Key")!

    @Test(arguments: TestDatabase.engines)
    func aRetryGetsTheFirstAnswerAndCreatesNothingTwice(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let rep = try await client.token(for: org.rep)
            let first = try await client.post("/api/v1/accounts", json: ["name": "Acme"], token: rep, headers: [Self.key: "order-7f3a"])
            #expect(first.status == .created)
            let made = try first.json(AccountBody.self)
            let retry = try await client.post("/api/v1/accounts", json: ["name": "Acme"], token: rep, headers: [Self.key: "order-7f3a"])
            #expect(retry.status == .created && retry.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(try retry.json(AccountBody.self).id == made.id && retry.headers[.eTag] == first.headers[.eTag])
            #expect(try await Self.accounts(org) == 1)

            let other = try await client.post("/api/v1/accounts", json: ["name": "Acme AB"], token: rep, headers: [Self.key: "order-7f3a"])
            #expect(try other.problem().errors?.map(\.field) == ["Idempotency-Key"], "one key, one request")
            let teammate = try await client.token(for: org.teammate)
            let theirs = try await client.post("/api/v1/accounts", json: ["name": "Acme"], token: teammate, headers: [Self.key: "order-7f3a"])
            #expect(try theirs.json(AccountBody.self).id != made.id, "keys are per caller")

            let invalid = try await client.post("/api/v1/accounts", json: ["name": " "], token: rep, headers: [Self.key: "fix-me"])
            #expect(invalid.status == .unprocessableContent)
            let corrected = try await client.post("/api/v1/accounts", json: ["name": "Globex"], token: rep, headers: [Self.key: "fix-me"])
            #expect(corrected.status == .created, "a failed request keeps nothing, so the key can be used for the fix")
            #expect(try await client.post("/api/v1/accounts", json: ["name": "X"], token: rep, headers: [Self.key: "bad key"])
                .problem().errors?.map(\.field) == ["Idempotency-Key"])

            _ = try await org.database.claimIdempotencyKey("running", user: org.rep.id.rawValue, fingerprint: "x", at: org.clock.now)
            let busy = try await client.post("/api/v1/accounts", json: ["name": "Initech"], token: rep, headers: [Self.key: "running"])
            #expect(busy.status == .conflict)

            org.clock.advance(25 * 3_600)
            let fresh = try await client.token(for: org.rep)
            let later = try await client.post("/api/v1/accounts", json: ["name": "Acme"], token: fresh, headers: [Self.key: "order-7f3a"])
            #expect(try later.json(AccountBody.self).id != made.id, "answers are kept for a day")
            #expect(try await Self.accounts(org) == 4)
        }
    }

    static func accounts(_ org: WebFixture) async throws -> Int {
        try await org.database.read { sql in
            try await sql.raw("SELECT COUNT(*) AS n FROM accounts").first()!.decode(column: "n", as: Int.self)
        }
    }
}

extension IdempotencyTests {
    @Test(arguments: TestDatabase.engines)
    func retriesRacingEachOtherCreateOneRecord(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let rep = try await client.token(for: org.rep)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await client.post("/api/v1/accounts", json: ["name": "Acme"], token: rep, headers: [Self.key: "race"]).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .created || $0 == .conflict } && statuses.contains(.created), "\(statuses)")
            #expect(try await Self.accounts(org) == 1)
        }
    }
}
