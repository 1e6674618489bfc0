import Foundation
import HTTPTypes
import HummingbirdTesting
import KvotaStore
import KvotaTestSupport
import SQLKit
@testable import KvotaWeb
import Testing

/// An API address asked with a method it does not take answers 405 and names the ones it does (`Allow`), at every
/// documented address; an address that is not the API's, or a record that does not exist, is still 404.
@Suite struct MethodNotAllowedTests {
    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete, .trace]

    @Test(arguments: TestDatabase.engines)
    func everyAddressNamesTheMethodsItTakes(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let admin = try await client.token(for: org.admin)
            var documented: [String: Set<String>] = [:]
            for operation in APIOperations.all { documented[operation.path, default: []].insert(operation.method) }
            for (path, methods) in documented {
                // Ids and texts as a client would send them; the address then matches its own pattern.
                let concrete = path.replacing(/\{[a-z]+\}/, with: "1")
                for method in Self.methods where !methods.contains(method.rawValue) {
                    let answer = try await client.execute(uri: concrete, method: method, headers: HTTPFields().with(admin))
                    #expect(answer.status == .methodNotAllowed, "\(method) \(concrete): \(answer.status)")
                    let allow = Set((answer.headers[.allow] ?? "").split(separator: ", ").map(String.init))
                    #expect(allow == methods, "\(method) \(concrete): Allow \(allow)")
                    #expect(answer.headers[.contentType] == "application/problem+json")
                }
            }

            let swedish = try await client.execute(uri: "/api/v1/deals", method: .trace, headers: [.acceptLanguage: "sv"])
            #expect(try swedish.problem().detail == "den här adressen tar bara emot GET, POST")
            #expect(swedish.headers[.allow] == "GET, POST")
            // Signed in, the person's own language wins over the header, as in every other answer of theirs.
            try await org.database.write { sql in try await sql.raw("UPDATE users SET language = 'uk' WHERE id = \(bind: org.admin.id.rawValue)").run() }
            let ukrainian = try await client.execute(uri: "/api/v1/deals", method: .trace, headers: HTTPFields([.init(name: .acceptLanguage, value: "sv")]).with(admin))
            #expect(try ukrainian.problem().detail == "ця адреса приймає лише GET, POST")
            #expect(ukrainian.headers[.allow] == "GET, POST")
            // Not the API's address, or no such record: still 404.
            #expect(try await client.execute(uri: "/api/v1/no-such-thing", method: .trace, headers: [:]).status == .notFound)
            #expect(try await client.get("/api/v1/deals/999999", token: admin).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/deals/1/no-such-thing", method: .get, headers: HTTPFields().with(admin)).status
                    == .notFound)
        }
    }

    @Test func anAddressIsResolvedAsTheRouterDoesALiteralBeforeAParameter() {
        let addresses = APIAddresses([
            APIOperation(method: "GET", path: "/api/v1/deals/{id}", summary: "", tag: ""),
            APIOperation(method: "PATCH", path: "/api/v1/deals/{id}", summary: "", tag: ""),
            APIOperation(method: "POST", path: "/api/v1/deals/merge", summary: "", tag: ""),
        ])
        #expect(addresses.methods(at: "/api/v1/deals/merge") == ["POST"])
        #expect(addresses.methods(at: "/api/v1/deals/7") == ["GET", "PATCH"])
        #expect(addresses.methods(at: "/api/v1/deals/7/lines").isEmpty)
        #expect(addresses.methods(at: "/somewhere/else").isEmpty)
    }
}
