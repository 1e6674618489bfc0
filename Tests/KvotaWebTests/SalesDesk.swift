import Foundation
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// What the plan and pay tests sell with: a bolt at 10.00 (cost 6.00), a customer of Rita's, and the order desk.
struct SalesDesk {
    let client: any TestClientProtocol
    let records: TestRecords
    let token: String
    let product: Int64
    let account: Int64

    static func open(_ client: any TestClientProtocol, _ org: WebFixture) async throws -> SalesDesk {
        let records = try await TestRecords.make(org.database)
        return SalesDesk(client: client, records: records, token: try await client.token(for: org.desk),
                         product: try await records.product(sku: "BOLT", priceMinor: 1_000, costMinor: 600),
                         account: try await records.account(owner: org.rep.id))
    }

    /// An order of `units` bolts (10.00 each) credited to `owner`, dated `day`, for the desk's customer or another; its id.
    @discardableResult
    func sell(_ units: Int64, by owner: User, on day: String, to customer: Int64? = nil) async throws -> Int64 {
        struct Line: Encodable { let productId: Int64; let quantityMilli: Int64 }
        struct NewOrder: Encodable { let accountId: Int64; let ownerId: Int64; let orderedOn: String; let lines: [Line] }
        struct Made: Decodable { let id: Int64 }
        let made = try await client.post("/api/v1/orders", json: NewOrder(accountId: customer ?? account, ownerId: owner.id.rawValue, orderedOn: day,
                                                                          lines: [Line(productId: product, quantityMilli: units * 1_000)]),
                                         token: token)
        #expect(made.status == .created, "selling \(units) on \(day)")
        return try made.json(Made.self).id
    }
}
