import Foundation
import Hummingbird
import HummingbirdTesting
import KvotaCore
import KvotaStore
import KvotaTestSupport
import Testing

/// What a deal carries beyond its stage: product lines that make its amount, and a loss reason from the admin's list.
@Suite struct DealDetailsAPITests {
    struct DealBody: Decodable { let id: Int64; let amountMinor: Int64; let currency: String; let lossReason: String?; let version: Int64 }

    struct Line: Encodable {
        let productId: Int64
        let quantityMilli: Int64
        var unitPriceMinor: Int64?
        var discountMinor: Int64?
    }

    struct LinesBody: Encodable { let lines: [Line] }

    struct Lines: Decodable {
        struct Item: Decodable { let productId: Int64; let unitPriceMinor: Int64; let netMinor: Int64 }
        let items: [Item]
    }

    @Test(arguments: TestDatabase.engines)
    func productLinesMakeTheAmount(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let account = try await records.account(owner: org.rep.id)
            let bolt = try await records.product(sku: "BOLT", priceMinor: 250, costMinor: 100)
            let crate = try await records.product(sku: "CRATE", priceMinor: 9_000, costMinor: 4_000, currency: "SEK")
            let rep = try await client.token(for: org.rep)
            let made = try await client.post("/api/v1/deals", json: NewDeal(accountId: account), token: rep).json(DealBody.self)

            let foreign = try await client.send(.put, "/api/v1/deals/\(made.id)/lines", json: LinesBody(lines: [
                Line(productId: bolt, quantityMilli: 4_000), Line(productId: crate, quantityMilli: 1_000), Line(productId: 424242, quantityMilli: 0),
            ]), token: rep)
            #expect(Set(try foreign.problem().errors?.map(\.field) ?? [])
                    == ["lines[1].unitPriceMinor", "lines[2].productId", "lines[2].quantityMilli"])
            #expect(try await client.get("/api/v1/deals/\(made.id)/lines", token: rep).json(Lines.self).items.isEmpty, "nothing half-written")

            let replaced = try await client.send(.put, "/api/v1/deals/\(made.id)/lines", json: LinesBody(lines: [
                Line(productId: bolt, quantityMilli: 4_000, discountMinor: 100), Line(productId: crate, quantityMilli: 1_500, unitPriceMinor: 800),
            ]), token: rep, headers: [.ifMatch: "\"\(made.version)\""])
            #expect(replaced.status == .ok && replaced.headers[.eTag] == "\"\(made.version + 1)\"")
            #expect(try replaced.json(Lines.self).items.map(\.netMinor) == [900, 1_200])
            let after = try await client.get("/api/v1/deals/\(made.id)", token: rep).json(DealBody.self)
            #expect(after.amountMinor == 2_100, "the amount is the sum of the lines")
            let typed = try await client.send(.patch, "/api/v1/deals/\(made.id)", json: ["amountMinor": 5_000], token: rep)
            #expect(try typed.problem().errors?.map(\.field) == ["amountMinor"], "no amount by hand while lines make it")
            let stale = try await client.send(.put, "/api/v1/deals/\(made.id)/lines", json: LinesBody(lines: []), token: rep,
                                              headers: [.ifMatch: "\"\(made.version)\""])
            #expect(stale.status == .preconditionFailed)
            let stranger = try await client.token(for: org.stranger)
            #expect(try await client.get("/api/v1/deals/\(made.id)/lines", token: stranger).status == .notFound)
            #expect(try await client.send(.put, "/api/v1/deals/\(made.id)/lines", json: LinesBody(lines: []), token: stranger).status
                    == .notFound)
            let desk = try await client.token(for: org.desk)
            #expect(try await client.send(.put, "/api/v1/deals/\(made.id)/lines", json: LinesBody(lines: []), token: desk).status
                    == .forbidden, "the desk reads deals, it does not change them")
        }
    }

    struct NewDeal: Encodable {
        var title = "Bolts"
        let accountId: Int64
        var currency = "EUR"
    }

    struct Reason: Decodable { let id: Int64; let appliesTo: String; let name: String; let active: Bool }

    struct Reasons: Decodable { let items: [Reason] }

    struct Lost: Encodable { let stageId: Int64; let lossReason: String }

    @Test(arguments: TestDatabase.engines)
    func aLostDealTakesAReasonFromTheAdminsList(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let lost = try await records.stage("Lost", position: 9, outcome: "lost", probability: 0)
            let account = try await records.account(owner: org.rep.id)
            let rep = try await client.token(for: org.rep)
            let admin = try await client.token(for: org.admin)
            let seeded = try await client.get("/api/v1/loss-reasons?for=deal", token: rep).json(Reasons.self).items
            #expect(seeded.first?.name == "price" && seeded.allSatisfy { $0.appliesTo == "deal" && $0.active })
            #expect(try await client.get("/api/v1/loss-reasons?for=sale", token: rep).problem().errors?.map(\.field) == ["for"])

            let deal = try await client.post("/api/v1/deals", json: NewDeal(accountId: account), token: rep).json(DealBody.self)
            let unknown = try await client.send(.patch, "/api/v1/deals/\(deal.id)", json: Lost(stageId: lost, lossReason: "Too pricey"), token: rep)
            let problem = try unknown.problem().errors?.first
            #expect(problem?.field == "lossReason" && problem?.reason.contains("price, competitor") == true, "the list is named")

            #expect(try await client.post("/api/v1/loss-reasons", json: ["appliesTo": "deal", "name": "Too pricey"], token: rep).status
                    == .forbidden)
            let duplicate = try await client.post("/api/v1/loss-reasons", json: ["appliesTo": "deal", "name": "PRICE"], token: admin)
            #expect(try duplicate.problem().errors?.map(\.field) == ["name"])
            let added = try await client.post("/api/v1/loss-reasons", json: ["appliesTo": "deal", "name": "Too pricey"], token: admin)
            #expect(added.status == .created)
            let reason = try added.json(Reason.self)
            let closed = try await client.send(.patch, "/api/v1/deals/\(deal.id)", json: Lost(stageId: lost, lossReason: "too PRICEY"), token: rep)
            #expect(try closed.json(DealBody.self).lossReason == "Too pricey", "stored as the list spells it")

            let retired = try await client.send(.patch, "/api/v1/loss-reasons/\(reason.id)", json: ["active": false], token: admin)
            #expect(try retired.json(Reason.self).active == false)
            let other = try await client.post("/api/v1/deals", json: NewDeal(accountId: account), token: rep).json(DealBody.self)
            let refused = try await client.send(.patch, "/api/v1/deals/\(other.id)", json: Lost(stageId: lost, lossReason: "Too pricey"), token: rep)
            #expect(try refused.problem().errors?.map(\.field) == ["lossReason"], "a retired reason is not offered")
            #expect(try await client.get("/api/v1/deals/\(deal.id)", token: rep).json(DealBody.self).lossReason == "Too pricey",
                    "deals closed with it keep it")

            let lead = try await records.lead(owner: org.rep.id)
            let disqualified = try await client.send(.patch, "/api/v1/leads/\(lead)", json: ["status": "disqualified", "disqualifyReason": "price"],
                                                     token: rep)
            #expect(try disqualified.problem().errors?.map(\.field) == ["disqualifyReason"], "leads have their own list")
            let spam = try await client.send(.patch, "/api/v1/leads/\(lead)", json: ["status": "disqualified", "disqualifyReason": "Spam"],
                                             token: rep)
            #expect(spam.status == .ok)
        }
    }

    struct OrderBody: Decodable { let id: Int64; let channelId: Int64?; let regionId: Int64? }

    struct Orders: Decodable { let items: [OrderBody] }

    struct NewOrder: Encodable {
        let accountId: Int64
        var channelId: Int64?
    }

    @Test(arguments: TestDatabase.engines)
    func anOrderCountsTowardItsAccountsRegionAndChannel(engine: DatabaseEngine) async throws {
        try await WebFixture.run(engine) { client, org in
            let records = try await TestRecords.make(org.database)
            let admin = try await client.token(for: org.admin)
            let desk = try await client.token(for: org.desk)
            struct Region: Decodable { let id: Int64 }
            let sweden = try await client.post("/api/v1/regions", json: ["code": "SE", "name": "Sweden"], token: admin).json(Region.self)
            let north = try await client.post("/api/v1/regions", json: RegionsChild(code: "SE-N", name: "North", parentId: sweden.id),
                                              token: admin).json(Region.self)
            let (dealers, retail) = try await org.database.write { sql in
                (try await sql.raw("INSERT INTO channels (code, name, kind) VALUES ('dealer', 'Dealers', 'dealer') RETURNING id").first()!
                    .decode(column: "id", as: Int64.self),
                 try await sql.raw("INSERT INTO channels (code, name, kind) VALUES ('retail', 'Retail', 'retail') RETURNING id").first()!
                    .decode(column: "id", as: Int64.self))
            }
            let account = try await records.account(owner: org.rep.id)
            try await org.database.write { sql in
                try await sql.raw("UPDATE accounts SET region_id = \(bind: north.id), channel_id = \(bind: dealers)").run()
            }
            let placed = try await client.post("/api/v1/orders", json: NewOrder(accountId: account), token: desk).json(OrderBody.self)
            #expect(placed.regionId == north.id && placed.channelId == dealers, "the account's, by default")
            let chosen = try await client.post("/api/v1/orders", json: NewOrder(accountId: account, channelId: retail), token: desk)
                .json(OrderBody.self)
            #expect(chosen.channelId == retail)
            let bad = try await client.post("/api/v1/orders", json: NewOrder(accountId: account, channelId: 424242), token: desk)
            #expect(try bad.problem().errors?.map(\.field) == ["channelId"])

            let inSweden = try await client.get("/api/v1/orders?region=\(sweden.id)", token: desk).json(Orders.self).items
            #expect(Set(inSweden.map(\.id)) == [placed.id, chosen.id], "a region covers its sub-regions")
            #expect(try await client.get("/api/v1/orders?channel=\(retail)", token: desk).json(Orders.self).items.map(\.id) == [chosen.id])
            struct Accounts: Decodable { struct Item: Decodable { let id: Int64 }; let items: [Item] }
            #expect(try await client.get("/api/v1/accounts?region=\(sweden.id)", token: desk).json(Accounts.self).items.map(\.id) == [account])
        }
    }

    struct RegionsChild: Encodable { let code: String; let name: String; let parentId: Int64 }
}
