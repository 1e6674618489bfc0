import Foundation
import HTTPTypes
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Testing

/// A JSON body with a field its operation does not have is refused with 422 naming the field, at any depth, and
/// nothing is written; custom fields (a map of the company's own keys) take any key; an unsigned request still
/// hears 401 first.
@Suite struct UnknownFieldsTests {
    struct Settings: Decodable, Equatable { let name: String; let timeZone: String }

    @Test(arguments: TestDatabase.engines)
    func aFieldTheRequestDoesNotHaveIsNamedAndNothingIsWritten(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let admin = try await client.token(for: org.admin)
            let rep = try await client.token(for: org.rep)
            let before = try await client.get("/api/v1/settings", token: admin).json(Settings.self)
            let typo = try await client.send(.patch, "/api/v1/settings", json: ["name": "Renamed", "timezone": "Europe/Kyiv"], token: admin)
            #expect(typo.status == .unprocessableContent)
            #expect(try typo.problem().errors == [.init(field: "timezone", reason: "is not a field of this request")])
            #expect(try await client.get("/api/v1/settings", token: admin).json(Settings.self) == before, "nothing changed")

            func accounts() async throws -> Int {
                try await org.database.read { sql in try await sql.raw("SELECT COUNT(*) AS n FROM accounts").first()!.decode(column: "n", as: Int.self) }
            }
            let count = try await accounts()
            let nested: JSONValue = .object([
                "name": .string("Nordhavn AB"), "ammount": .number(5),
                "addresses": .array([.object(["kind": .string("billing"), "city": .string("Malmö"), "planet": .string("Earth")])]),
            ])
            let refused = try await client.post("/api/v1/accounts", json: nested, token: rep)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.problem().errors?.map(\.field) == ["addresses[0].planet", "ammount"])
            #expect(try await accounts() == count)

            // The company's own custom fields are a map: any key is the handler's to judge, not this check's.
            let custom = try await client.post("/api/v1/accounts", json: JSONValue.object(["name": .string("Nordhavn AB"), "custom": .object([:])]),
                                               token: rep)
            #expect(custom.status == .created, "\(custom.text)")

            // Signing in is open, so it is checked too; a request not signed in hears 401 before any field.
            let signIn = try await client.post("/api/v1/auth/token", json: ["email": org.rep.email, "password": WebFixture.password, "otp": "1"])
            #expect(signIn.status == .unprocessableContent)
            #expect(try signIn.problem().errors?.map(\.field) == ["otp"])
            #expect(try await client.post("/api/v1/accounts", json: ["name": "X", "ammount": "5"]).status == .unauthorized)

            // In the person's own language.
            try await org.database.write { sql in
                try await sql.raw("UPDATE users SET language = 'sv' WHERE id = \(bind: org.rep.id.rawValue)").run()
            }
            let swedish = try await client.post("/api/v1/accounts", json: ["name": "X", "ammount": "5"], token: rep)
            #expect(try swedish.problem().errors == [.init(field: "ammount", reason: "är inte ett fält i denna begäran")])
        }
    }
}
