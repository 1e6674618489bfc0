import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Testing

/// A NUL character in a body's text or in a query is refused with the field named: PostgreSQL keeps no NUL in text
/// and would answer an error, SQLite would keep a name that ends early in C and in exports.
@Suite struct NulCharacterTests {
    @Test(arguments: TestDatabase.engines)
    func aNulCharacterIsNamedNotStored(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let rep = try await client.token(for: org.rep)
            let body = try await client.post("/api/v1/accounts", json: ["name": "Nord\u{0}havn", "notes": "fine"], token: rep)
            #expect(body.status == .unprocessableContent, "\(body.text)")
            #expect(try body.problem().errors?.map(\.field) == ["name"])
            let nested = try await client.post("/api/v1/accounts", json: JSONValue.object(["name": .string("Nordhavn"), "tags": .array([.string("ok"), .string("b\u{0}d")])]),
                                           token: rep)
            #expect(try nested.problem().errors?.map(\.field) == ["tags[1]"])
            let query = try await client.get("/api/v1/accounts?q=Nord%00havn", token: rep)
            #expect(query.status == .unprocessableContent, "\(query.text)")
            #expect(try query.problem().errors?.map(\.field) == ["q"])
            let path = try await client.get("/api/v1/imports/acc%00ounts", token: rep)
            #expect(path.status.code < 500, "\(path.text)")
            // A page's form too; an API request not signed in hears 401 first.
            let form = try await client.postForm("/sign-in", [("email", "rita\u{0}@kvota.test"), ("password", "x")])
            #expect(form.status == .unprocessableContent)
            #expect(try await client.post("/api/v1/accounts", json: ["name": "Nord\u{0}havn"]).status == .unauthorized)
        }
    }
}
