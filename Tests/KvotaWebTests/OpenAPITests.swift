import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Logging
import Testing

/// The OpenAPI document names every operation the router has and no other, is a valid OpenAPI 3.1 document, and
/// (through `WebFixture`) every answer in the API tests matches its schemas.
@Suite struct OpenAPITests {
    @Test func theDocumentAndTheRouterNameTheSameOperations() async throws {
        try await TestDatabase.with(.sqlite) { database in
            let router = buildRouter(database: database, config: AppConfig(logLevel: .critical), logger: Logger(label: "kvota.test"))
            let routed = Set(router.routes.filter { "\($0.path)".hasPrefix("/api/v1/") }.map { "\($0.method) \($0.path)" })
            #expect(routed.subtracting(OpenAPIDocument.routes).sorted() == [], "routes missing from the document")
            #expect(OpenAPIDocument.routes.subtracting(routed).sorted() == [], "operations the router does not have")
            #expect(routed.count > 80)
        }
    }

    @Test func theDocumentIsServedAndValid() async throws {
        try await WebFixture.run(.sqlite) { client, _ in
            let response = try await client.get("/api/v1/openapi.json")
            #expect(response.status == .ok && Data(buffer: response.body) == OpenAPIDocument.data, "served without signing in")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kvota-openapi-\(UUID().uuidString).json")
        try OpenAPIDocument.data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        // openapi-spec-validator (PyPI) knows the OpenAPI 3.1 rules; .ci/run installs it, so CI always runs this.
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import sys; from openapi_spec_validator import validate; from openapi_spec_validator.readers import read_from_filename; validate(read_from_filename(sys.argv[1])[0])", file.path]
        let errors = Pipe()
        check.standardError = errors
        try check.run()
        check.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if message.contains("No module named 'openapi_spec_validator'"), ProcessInfo.processInfo.environment["CI"] == nil { return }
        #expect(check.terminationStatus == 0, "\(message.suffix(2_000))")
    }

    @Test func theConformanceCheckCatchesADriftingAnswer() {
        let wrong = Data(#"{"id": 1, "name": "Acme", "colour": "red"}"#.utf8)
        let problems = OpenAPIDocument.problems(method: "GET", path: "/api/v1/regions/1", status: 200, contentType: "application/json", body: wrong)
        #expect(problems == ["GET /api/v1/regions/1 is not in the OpenAPI document"])
        let region = OpenAPIDocument.problems(method: "POST", path: "/api/v1/regions", status: 201, contentType: "application/json", body: wrong)
        #expect(Set(region) == ["POST /api/v1/regions 201: $.code: missing", "POST /api/v1/regions 201: $.colour: not in the schema"])
    }
}
