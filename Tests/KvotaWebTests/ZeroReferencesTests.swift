import Foundation
import HummingbirdTesting
import KvotaStore
import KvotaTestSupport
@testable import KvotaWeb
import Testing

/// A change that points a record at id 0 names the field, where it used to reach the database's foreign key and
/// answer 500: the stores read 0 as "not given", which holds only for a new record (schemathesis found it with
/// `PATCH /orders/{id} {"accountId": 0}`).
@Suite struct ZeroReferencesTests {
    @Test(arguments: TestDatabase.engines)
    func aChangeToIdZeroIsRefusedNamingTheField(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            let order = try await records.order(account: account, owner: org.rep.id)
            let deal = try await records.deal(account: account, owner: org.rep.id)
            let product = try await records.product(sku: "Z-1", priceMinor: 100, costMinor: 50)
            let admin = try await client.token(for: org.admin)
            let changes: [(String, String)] = [("/api/v1/orders/\(order)", "accountId"), ("/api/v1/deals/\(deal)", "accountId"),
                                               ("/api/v1/deals/\(deal)", "ownerId"), ("/api/v1/products/\(product)", "categoryId")]
            for (path, field) in changes {
                let before = try await client.get(path, token: admin).text
                let answer = try await client.send(.patch, path, json: [field: 0], token: admin)
                #expect(answer.status == .unprocessableContent, "\(path) \(field): \(answer.status) \(answer.text)")
                #expect(try answer.problem().errors?.map(\.field) == [field], "\(path)")
                #expect(try await client.get(path, token: admin).text == before, "\(path) is unchanged")
            }
        }
    }
}
