import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

/// A CSV export longer than a page streams every row once, in the list's order: the rows the JSON list pages through.
@Suite struct CSVExportTests {
    @Test(arguments: TestDatabase.engines)
    func anExportOfManyPagesHasEveryRowOnceInTheListsOrder(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in try await Self.export(client, org) }
    }

    static func export(_ client: any TestClientProtocol, _ org: WebFixture) async throws {
        // Three pages of 500 and a bit, the names sorting otherwise than the ids.
        try await org.database.write { sql in
            for number in 1...1_234 {
                try await sql.raw("""
                    INSERT INTO accounts (name, owner_id, created_at, updated_at)
                    VALUES (\(bind: "Export \(number)"), \(bind: org.rep.id.rawValue), 0, 0)
                    """).run()
            }
        }
        let admin = try await client.token(for: org.admin)
        let query = "owner=\(org.rep.id.rawValue)&sort=name"
        let csv = try await client.get("/api/v1/accounts?format=csv&\(query)", token: admin)
        #expect(csv.status == .ok)
        let exported = csv.text.dropFirst().split(separator: "\r\n").dropFirst().map { Int64($0.prefix { $0 != "," })! }
        let listed = try await AnalyticsDrillDownTests.records(client, "accounts", query, token: admin)
        #expect(exported.count == 1_234 && Set(exported).count == 1_234)
        #expect(exported == listed)
    }
}
