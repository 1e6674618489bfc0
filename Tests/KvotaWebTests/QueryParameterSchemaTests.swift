import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Testing

/// Every query parameter the OpenAPI document gives a type is read as typed: a value outside its schema is refused
/// with an error naming the parameter, and a value inside it is not refused for its shape. The fuzz test's negative
/// cases and a client generated from the document both rely on the two agreeing.
@Suite struct QueryParameterSchemaTests {
    /// A value of the wrong shape and values of the right one for a schema; nil for free text.
    static func samples(_ schema: JSONSchema, today: String) -> (outside: [String], inside: [String])? {
        switch schema {
        case .integer: (["x", "1.5", ""], ["1", "-1"])
        case .bounded(let range): (["\(range.lowerBound - 1)", "\(range.upperBound + 1)", "x"], ["\(range.lowerBound)", "\(range.upperBound)"])
        case .string(format: "date"): (["2026-13-45", "today", ""], [today])
        case .string(format: "date-time"): (["yesterday", today], ["\(today)T09:00:00Z"])
        case .boolean: (["maybe", ""], ["true", "false"])
        case .oneOf(let values): (["no-such-value"] + (values.contains("") ? [] : [""]), values)
        default: nil
        }
    }

    @Test(arguments: TestDatabase.engines)
    func typedQueryParametersAreReadAsDocumented(engine: DatabaseEngine) async throws {
        try await DemoSite.run(engine) { client, site in try await Self.check(client, site) }
    }

    static func check(_ client: any TestClientProtocol, _ site: DemoSite) async throws {
        let admin = try await client.token(for: try #require(site.people.first { $0.0 == .admin }?.1))
        let today = LocalDate(AnalyticsFixture.now, in: TimeZone(identifier: "UTC")!).iso
        var checked = 0
        var wrong: [String] = []
        // Only GETs: the one other operation with a query (an import) needs a file. Path parameters are filled with
        // records of the demo company, as the SQL injection test does.
        for operation in APIOperations.all where operation.method == "GET" && !operation.query.isEmpty {
            let path = try await SQLInjectionTests.resolve(operation, client: client, token: admin)
            for parameter in operation.query {
                guard let (outside, inside) = samples(parameter.schema, today: today) else { continue }
                checked += 1
                for value in outside {
                    let response = try await client.get("\(path)?\(parameter.name)=\(FormEncoding.escape(value))", token: admin)
                    let named = response.status.code < 400 ? false : try? response.problem().errors?.contains { $0.field == parameter.name }
                    if named != true { wrong.append("\(path) \(parameter.name)=\(value): \(response.status.code), not refused by name") }
                }
                for value in inside {
                    let response = try await client.get("\(path)?\(parameter.name)=\(FormEncoding.escape(value))", token: admin)
                    #expect(response.status.code < 500, "\(path) \(parameter.name)=\(value)")
                    guard response.status.code >= 400, let errors = try? response.problem().errors else { continue }
                    // The readers' words for a value of the wrong shape; a value of the right shape may still name
                    // a record that is not there, or a window the other end of which is out of order.
                    if let error = errors.first(where: { $0.field == parameter.name && $0.reason.hasPrefix("expected") }) {
                        wrong.append("\(path) \(parameter.name)=\(value): refused, \(error.reason)")
                    }
                }
            }
        }
        #expect(checked > 100, "the typed parameters are found (\(checked))")
        #expect(wrong.isEmpty, "\(wrong.count) disagreements:\n\(wrong.joined(separator: "\n"))")
    }
}
