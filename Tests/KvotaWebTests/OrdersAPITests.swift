import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `/api/v1/orders`: lines priced and converted to the base currency at the rate of the order's date.
@Suite struct OrdersAPITests {
    struct OrderBody: Decodable {
        let id: Int64
        let number: String
        let ownerId: Int64?
        let currency: String
        let totalMinor: Int64
        let totalBaseMinor: Int64
    }

    struct Lines: Decodable {
        struct Line: Decodable { let netMinor: Int64; let netBaseMinor: Int64; let costBaseMinor: Int64; let unitPriceMinor: Int64 }
        let items: [Line]
    }

    struct NewLine: Encodable {
        let productId: Int64
        let quantityMilli: Int64
        var unitPriceMinor: Int64?
        var discountMinor: Int64?
    }

    struct NewOrder: Encodable {
        var accountId: Int64?
        var orderedOn: String? = "2026-11-20"
        var currency: String?
        var lines: [NewLine] = []
    }

    @Test(arguments: TestDatabase.engines)
    func linesArePricedAndConvertedAtTheRateOfTheOrdersDate(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            let bolt = try await records.product(sku: "BOLT", priceMinor: 250, costMinor: 100)
            let crate = try await records.product(sku: "CRATE", priceMinor: 10_000, costMinor: 40_000, currency: "SEK")
            try await records.exchangeRate("USD", from: 20260101, baseMicros: 900_000)
            try await records.exchangeRate("USD", from: 20261101, baseMicros: 950_000)
            try await records.exchangeRate("SEK", from: 20260101, baseMicros: 90_000)
            let desk = try await client.token(for: org.desk)

            let eur = try await client.post("/api/v1/orders", json: NewOrder(accountId: account, lines: [
                NewLine(productId: bolt, quantityMilli: 4_000), NewLine(productId: bolt, quantityMilli: 1_500, unitPriceMinor: 200, discountMinor: 50),
            ]), token: desk)
            #expect(eur.status == .created)
            let order = try eur.json(OrderBody.self)
            #expect(order.number == "SO-\(order.id)" && order.ownerId == org.rep.id.rawValue, "the account owner's sale")
            #expect(order.currency == "EUR" && order.totalMinor == 1_000 + 250 && order.totalBaseMinor == 1_250)

            let usd = try await client.post("/api/v1/orders", json: NewOrder(accountId: account, currency: "USD", lines: [
                NewLine(productId: crate, quantityMilli: 2_000, unitPriceMinor: 100_000),
            ]), token: desk).json(OrderBody.self)
            #expect(usd.totalMinor == 200_000 && usd.totalBaseMinor == 190_000, "November's rate, 0.95")
            let lines = try await client.get("/api/v1/orders/\(usd.id)/lines", token: desk).json(Lines.self)
            #expect(lines.items.first?.costBaseMinor == 7_200, "2 × 400.00 SEK at 0.09")

            let noRate = try await client.post("/api/v1/orders", json: NewOrder(accountId: account, currency: "GBP", lines: [
                NewLine(productId: bolt, quantityMilli: 1_000),
            ]), token: desk)
            let problems = try noRate.problem().errors ?? []
            #expect(problems.contains(.init(field: "currency", reason: "no exchange rate for GBP on 2026-11-20")))
            #expect(problems.contains { $0.field == "lines[0].unitPriceMinor" }, "the EUR list price does not fit a GBP order")

            let moved = try await client.send(.patch, "/api/v1/orders/\(order.id)", json: ["currency": "USD"], token: desk)
            #expect(try moved.problem().errors?.map(\.field) == ["lines"])
            let rep = try await client.token(for: org.rep)
            #expect(try await client.get("/api/v1/orders/\(order.id)", token: rep).status == .ok, "the rep reads their sale")
            #expect(try await client.send(.patch, "/api/v1/orders/\(order.id)", json: ["status": "paid"], token: rep).status == .forbidden)
        }
    }
}
