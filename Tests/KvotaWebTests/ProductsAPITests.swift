import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// `/api/v1/products` and `/product-categories`: the catalogue everyone reads and directors keep, with its price
/// history and category tree.
@Suite struct ProductsAPITests {
    struct ProductBody: Decodable {
        let id: Int64
        let sku: String
        let name: String
        let categoryId: Int64
        let priceMinor: Int64
        let costMinor: Int64
        let currency: String
        let active: Bool
        let version: Int64
    }

    struct Products: Decodable { let items: [ProductBody] }

    struct Category: Decodable { let id: Int64; let parentId: Int64?; let name: String }

    struct Categories: Decodable { let items: [Category] }

    struct Prices: Decodable {
        struct Price: Decodable { let validFrom: String; let priceMinor: Int64; let costMinor: Int64 }
        let items: [Price]
    }

    struct NewProduct: Encodable {
        var sku: String?
        var name: String?
        var categoryId: Int64?
        var unit: String?
        var priceMinor: Int64?
        var costMinor: Int64?
        var currency: String?
    }

    @Test(arguments: TestDatabase.engines)
    func directorsKeepTheCatalogueAndEveryoneReadsIt(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let director = try await client.token(for: org.director)
            let rep = try await client.token(for: org.rep)
            let fasteners = try await client.post("/api/v1/product-categories", json: ["name": "Fasteners"], token: director).json(Category.self)
            let bolts = try await client.post("/api/v1/product-categories", json: NewCategory(name: "Bolts", parentId: fasteners.id),
                                              token: director).json(Category.self)
            let tools = try await client.post("/api/v1/product-categories", json: ["name": "Tools"], token: director).json(Category.self)

            let made = try await client.post("/api/v1/products", json: NewProduct(sku: "M8-40", name: "Hex bolt M8×40", categoryId: bolts.id,
                                                                                  priceMinor: 250, costMinor: 90, currency: "EUR"), token: director)
            #expect(made.status == .created && made.headers[.eTag] == "\"1\"")
            let bolt = try made.json(ProductBody.self)
            _ = try await client.post("/api/v1/products", json: NewProduct(sku: "HAMMER", name: "Hammer", categoryId: tools.id, priceMinor: 1_900,
                                                                           currency: "EUR"), token: director)

            #expect(try await client.post("/api/v1/products", json: NewProduct(sku: "X", name: "X", categoryId: tools.id, priceMinor: 1,
                                                                               currency: "EUR"), token: rep).status == .forbidden)
            let underFasteners = try await client.get("/api/v1/products?category=\(fasteners.id)", token: rep).json(Products.self)
            #expect(underFasteners.items.map(\.sku) == ["M8-40"], "a category filter covers its sub-categories")
            #expect(try await client.get("/api/v1/products?q=m8-40", token: rep).json(Products.self).items.isEmpty,
                    "the SKU matches exactly, the name in any case")
            #expect(try await client.get("/api/v1/products?q=hex", token: rep).json(Products.self).items.map(\.id) == [bolt.id])

            let bad = try await client.post("/api/v1/products", json: NewProduct(sku: "m8-40", name: " ", categoryId: 424242, priceMinor: -1,
                                                                                 currency: "EURO"), token: director)
            #expect(Set(try bad.problem().errors?.map(\.field) ?? []) == ["sku", "name", "categoryId", "priceMinor", "currency"])
            let missing = try await client.post("/api/v1/products", json: NewProduct(), token: director)
            #expect(Set(try missing.problem().errors?.map(\.field) ?? []) == ["sku", "name", "categoryId", "priceMinor", "currency"])

            let loop = try await client.send(.patch, "/api/v1/product-categories/\(fasteners.id)", json: ["parentId": bolts.id], token: director)
            #expect(try loop.problem().errors?.map(\.field) == ["parentId"], "a category cannot move under its own child")
            let tree = try await client.get("/api/v1/product-categories", token: rep).json(Categories.self)
            #expect(tree.items.map(\.name) == ["Fasteners", "Bolts", "Tools"], "parents before children")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aPriceChangeIsKeptInTheHistoryAndAProductThatWasSoldIsArchivedNotDeleted(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            var admin = try await client.token(for: org.admin)
            let records = try await TestRecords.make(org.database)
            let category = try await client.post("/api/v1/product-categories", json: ["name": "Bolts"], token: admin).json(Category.self)
            let made = try await client.post("/api/v1/products", json: NewProduct(sku: "M8", name: "Bolt", categoryId: category.id,
                                                                                  priceMinor: 250, costMinor: 90, currency: "EUR"), token: admin)
            let bolt = try made.json(ProductBody.self)
            org.clock.advance(3 * 86_400)
            admin = try await client.token(for: org.admin)  // the first one has expired meanwhile
            let repriced = try await client.send(.patch, "/api/v1/products/\(bolt.id)", json: ["priceMinor": 275], token: admin,
                                                 headers: [.ifMatch: "\"1\""])
            #expect(try repriced.json(ProductBody.self).priceMinor == 275 && repriced.headers[.eTag] == "\"2\"")
            let stale = try await client.send(.patch, "/api/v1/products/\(bolt.id)", json: ["name": "Bolt M8"], token: admin,
                                              headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .preconditionFailed)
            let prices = try await client.get("/api/v1/products/\(bolt.id)/prices", token: admin).json(Prices.self).items
            #expect(prices.map(\.priceMinor) == [275, 250] && prices.allSatisfy { $0.costMinor == 90 }, "newest first")
            #expect(prices[0].validFrom > prices[1].validFrom)

            let account = try await records.account(owner: org.rep.id)
            let order = try await records.order(account: account, owner: org.rep.id)
            try await org.database.write { sql in
                try await sql.raw("""
                    INSERT INTO order_lines (order_id, product_id, quantity_milli, unit_price_minor, net_minor, net_base_minor, cost_base_minor)
                    VALUES (\(bind: order), \(bind: bolt.id), 1000, 250, 250, 250, 90)
                    """).run()
            }
            let refused = try await client.delete("/api/v1/products/\(bolt.id)", token: admin)
            #expect(refused.status == .unprocessableContent)
            #expect(try refused.problem().errors?.map(\.reason) == ["the product keeps its history: order lines (1); it cannot be deleted",
                                                                    "set it to false to take the product off sale instead"])
            let archived = try await client.send(.patch, "/api/v1/products/\(bolt.id)", json: ["active": false], token: admin)
            #expect(try archived.json(ProductBody.self).active == false)
            #expect(try await client.get("/api/v1/products?active=true", token: admin).json(Products.self).items.isEmpty)
            #expect(try await client.get("/api/v1/products?active=maybe", token: admin).problem().errors?.map(\.field) == ["active"])
            let trail = try await org.database.auditTrail(entity: "product", id: bolt.id)
            #expect(trail.map(\.action) == ["create", "update", "update"])
        }
    }

    struct NewCategory: Encodable { let name: String; let parentId: Int64 }
}
