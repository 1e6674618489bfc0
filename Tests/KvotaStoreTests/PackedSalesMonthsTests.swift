import Foundation
import KvotaCore
@testable import KvotaStore
import KvotaTestSupport
import SQLKit
import Testing

/// Ended months of sales per customer, per segment, per product and per owner are read packed (migrations 39, 40, 42
/// and 50), and a
/// packed month never says other than its rows: every read gives what the rows alone give, and any change to a month's rows drops its packing in the same
/// transaction, whatever statement makes it.
@Suite struct PackedSalesMonthsTests {
    static let options = DemoOptions(scale: .tiny, seed: 11, asOf: try! LocalDate(iso: "2026-11-20"))

    @Test func entriesSurviveTheirBytes() throws {
        let entries = [PackedSalesMonths.Entry(key: 3, totals: SalesTotals(revenue: -5, cost: 7, quantityMilli: 1_500, orders: 1, lines: 2)),
                       PackedSalesMonths.Entry(key: 1 << 40, totals: SalesTotals(revenue: .max, cost: .min, quantityMilli: 0, orders: 9, lines: 30))]
        let data = PackedSalesMonths.account.encode(entries)
        #expect(data.count == 2 * 48)
        #expect(try PackedSalesMonths.account.decode(data, month: 202_611) == entries)
        #expect(throws: StoreError.self) { try PackedSalesMonths.account.decode(data.dropLast(), month: 202_611) }
        let segments = [PackedSalesMonths.Entry(key: 3, region: 7, channel: 0, totals: SalesTotals(revenue: 12, orders: 1, lines: 1)),
                        PackedSalesMonths.Entry(key: 3, region: 8, channel: 2, totals: SalesTotals(revenue: -1, cost: 4, quantityMilli: 9, orders: 2, lines: 5))]
        #expect(PackedSalesMonths.segment.encode(segments).count == 2 * 64)
        #expect(try PackedSalesMonths.segment.decode(PackedSalesMonths.segment.encode(segments), month: 202_611) == segments)
        #expect(try PackedSalesMonths.product.decode(PackedSalesMonths.product.encode(entries), month: 202_611) == entries)
    }

    @Test func accountsAreSummedAcrossMonths() {
        func entry(_ account: Int64, _ revenue: Int64) -> PackedSalesMonths.Entry {
            PackedSalesMonths.Entry(key: account, totals: SalesTotals(revenue: revenue, orders: 1))
        }
        let merged = [[entry(1, 10), entry(4, 40)], [], [entry(2, 5), entry(4, 1), entry(9, 2)]].reduce([], PackedSalesMonths.merged)
        #expect(merged == [entry(1, 10), entry(2, 5), PackedSalesMonths.Entry(key: 4, totals: SalesTotals(revenue: 41, orders: 2)), entry(9, 2)])
        #expect(PackedSalesMonths.merged([entry(3, 1)], []) == [entry(3, 1)])
        #expect(PackedSalesMonths.merged([], []).isEmpty)
    }

    /// Every way `sales` reads the packed months, as sums per (bucket, key, account): the packed and the unpacked path
    /// split the same months differently into rows.
    static func accountReads(_ database: Database, _ actor: Actor) async throws -> [[String: SalesTotals]] {
        let windows = [try DateWindow(from: LocalDate(iso: "2025-11-01"), through: LocalDate(iso: "2026-10-31")),
                       try DateWindow(from: LocalDate(iso: "2025-02-17"), through: LocalDate(iso: "2026-11-20"))]
        let (some, category) = try await database.read { sql in
            (try await sql.raw("SELECT DISTINCT account_id FROM sales_account_month ORDER BY account_id LIMIT 7").all().map { try $0.decode(column: "account_id", as: Int64.self) },
             try await sql.raw("SELECT MIN(category_id) AS id FROM products").first()!.decode(column: "id", as: Int64.self))
        }
        var reads: [[String: SalesTotals]] = []
        for window in windows {
            for (bucket, key, perAccount, filter) in [(SalesBucket.total, SalesKey.account, false, AnalyticsFilter()), (.month, .account, false, AnalyticsFilter()),
                                                      (.total, .none, true, AnalyticsFilter()), (.month, .none, true, AnalyticsFilter(accountIDs: some)),
                                                      (.total, .account, false, AnalyticsFilter(accountIDs: some)),
                                                      (.total, .region, true, AnalyticsFilter()), (.month, .channel, true, AnalyticsFilter()),
                                                      (.total, .channel, true, AnalyticsFilter()),
                                                      (.total, .product, false, AnalyticsFilter()), (.month, .product, false, AnalyticsFilter()),
                                                      (.month, .product, false, AnalyticsFilter(categoryID: ProductCategory.ID(category))),
                                                      (.month, .owner, false, AnalyticsFilter()), (.total, .owner, false, AnalyticsFilter())] {
                var sums: [String: SalesTotals] = [:]
                for row in try await database.sales(for: actor, filter: filter, window: window, bucket: bucket, key: key, perAccount: perAccount) {
                    sums["\(row.bucket)/\(row.key)/\(row.account)", default: .zero] += row.totals
                }
                #expect(!sums.isEmpty)
                reads.append(sums)
            }
        }
        return reads
    }

    static func packedMonths(_ database: Database, _ kind: PackedSalesMonths = .account) async throws -> [Int] {
        try await database.read { sql in
            try await sql.raw("SELECT month FROM \(ident: kind.table) ORDER BY month").all().map { try $0.decode(column: "month", as: Int.self) }
        }
    }

    @Test(arguments: TestDatabase.engines)
    func packedMonthsReadAsTheirRowsAndAnyChangeUnpacksThem(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            _ = try await DemoLoader.load(Self.options, into: database)
            let admin = try #require(try await database.users().first { $0.role == .admin })
            let actor = try #require(try await database.signedInUser(admin.id)).1

            // The demo load packs every month with sales before the one it ends in.
            let packed = try await Self.packedMonths(database)
            let ended = try await database.read { sql in
                try await sql.raw("SELECT DISTINCT month FROM sales_account_month WHERE month < 202611 ORDER BY month").all()
                    .map { try $0.decode(column: "month", as: Int.self) }
            }
            #expect(ended.count >= 24 && ended.last == 202_610 && [202_501, 202_502, 202_603, 202_604].allSatisfy(ended.contains))
            #expect(packed == ended)
            #expect(try await Self.packedMonths(database, .segment) == ended)
            #expect(try await Self.packedMonths(database, .product) == ended)
            #expect(try await Self.packedMonths(database, .owner) == ended)
            let fromPacked = try await Self.accountReads(database, actor)
            try await database.write { sql in
                try await sql.raw("DELETE FROM sales_account_month_packed").run()
                try await sql.raw("DELETE FROM sales_segment_month_packed").run()
                try await sql.raw("DELETE FROM sales_product_month_packed").run()
                try await sql.raw("DELETE FROM sales_owner_month_packed").run()
            }
            let fromRows = try await Self.accountReads(database, actor)
            #expect(fromPacked == fromRows)
            #expect(try await database.packSalesMonths(before: 202_611) == 4 * ended.count)
            #expect(try await database.packSalesMonths(before: 202_611) == 0)

            // An order in a packed month drops that month's packing and no other, in its own transaction.
            let ids = try await database.read { sql in
                (try await sql.raw("SELECT id FROM accounts ORDER BY id LIMIT 1").first()!.decode(column: "id", as: Int64.self),
                 try await sql.raw("SELECT id FROM products WHERE currency = 'EUR' ORDER BY id LIMIT 1").first()!.decode(column: "id", as: Int64.self))
            }
            var patch = OrderPatch()
            patch.accountID = Account.ID(ids.0)
            patch.orderedOn = try LocalDate(iso: "2026-03-14")
            patch.lines = [OrderLineDraft(productID: Product.ID(ids.1), quantityMilli: 2_000)]
            let order = try await database.addOrder(patch, by: actor, at: Date(timeIntervalSince1970: 1_795_000_000))
            #expect(try await Self.packedMonths(database) == packed.filter { $0 != 202_603 })
            #expect(try await Self.packedMonths(database, .segment) == packed.filter { $0 != 202_603 })
            #expect(try await Self.packedMonths(database, .product) == packed.filter { $0 != 202_603 })
            #expect(try await Self.packedMonths(database, .owner) == packed.filter { $0 != 202_603 })
            let afterOrder = try await Self.accountReads(database, actor)
            #expect(afterOrder != fromRows)
            #expect(try await database.packSalesMonths(before: 202_611) == 4)
            #expect(try await Self.accountReads(database, actor) == afterOrder)

            try await database.deleteOrder(order.id, expectedVersion: nil, by: actor, at: Date(timeIntervalSince1970: 1_795_000_000))
            #expect(try await Self.packedMonths(database) == packed.filter { $0 != 202_603 })
            #expect(try await Self.accountReads(database, actor) == fromRows)

            // Whatever statement writes a row: an update, a delete.
            try await database.write { sql in
                try await sql.raw("UPDATE sales_account_month SET lines = lines WHERE month = 202501").run()
                try await sql.raw("DELETE FROM sales_account_month WHERE month = 202502 AND account_id = (SELECT MIN(account_id) FROM sales_account_month WHERE month = 202502)").run()
                try await sql.raw("UPDATE sales_day SET lines = lines WHERE day BETWEEN 20250401 AND 20250430").run()
                try await sql.raw("DELETE FROM sales_day WHERE day = (SELECT MIN(day) FROM sales_day WHERE day BETWEEN 20250501 AND 20250531)").run()
                try await sql.raw("UPDATE sales_product_month SET lines = lines WHERE month = 202506").run()
                try await sql.raw("UPDATE sales_owner_month SET lines = lines WHERE month = 202507").run()
                try await sql.raw("DELETE FROM sales_owner_month WHERE month = 202508 AND owner_id = (SELECT MIN(owner_id) FROM sales_owner_month WHERE month = 202508)").run()
            }
            #expect(try await Self.packedMonths(database) == packed.filter { ![202_501, 202_502, 202_603].contains($0) })
            #expect(try await Self.packedMonths(database, .segment) == packed.filter { ![202_504, 202_505, 202_603].contains($0) })
            #expect(try await Self.packedMonths(database, .product) == packed.filter { ![202_506, 202_603].contains($0) })
            #expect(try await Self.packedMonths(database, .owner) == packed.filter { ![202_507, 202_508, 202_603].contains($0) })
            let broken = try await database.checkRollups().filter { !$0.exact }.map(\.table)
            #expect(Set(broken) == ["sales_day", "sales_account_month", "sales_owner_month"])

            // `kvota verify` catches a packed month that differs from its rows, and its repair packs nothing stale.
            try await database.rebuildRollups()
            let left = try await Self.packedMonths(database) + Self.packedMonths(database, .segment) + Self.packedMonths(database, .product)
                + Self.packedMonths(database, .owner)
            #expect(left.isEmpty)
            #expect(try await database.packSalesMonths(before: 202_611) == 4 * ended.count)
            try await database.write { sql in
                try await sql.raw("""
                    UPDATE sales_account_month_packed SET data = \(bind: PackedSalesMonths.account.encode([])) WHERE month = 202604
                    """).run()
            }
            let check = try #require(try await database.checkRollups().first { $0.table == "sales_account_month_packed" })
            #expect(check.rows == ended.count && check.missing == 1 && !check.exact)

            // Reads take what is packed (which is why it must never be stale): a customer month packed empty by hand
            // changes the customer reads and no others; a segment month so packed, the region and channel reads; a
            // product month, the product reads but the one under a category filter, which reads rows.
            func split(_ reads: [[String: SalesTotals]]) -> (account: [[String: SalesTotals]], segment: [[String: SalesTotals]],
                                                             product: [[String: SalesTotals]], category: [[String: SalesTotals]],
                                                             owner: [[String: SalesTotals]]) {
                let perWindow = reads.count / 2
                let at = { (range: Range<Int>) in reads.indices.filter { range.contains($0 % perWindow) }.map { reads[$0] } }
                return (at(0..<5), at(5..<8), at(8..<10), at(10..<11), at(11..<13))
            }
            let repaired = split(fromRows)
            let emptiedAccount = split(try await Self.accountReads(database, actor))
            #expect(emptiedAccount.account != repaired.account && emptiedAccount.segment == repaired.segment
                    && emptiedAccount.product == repaired.product && emptiedAccount.owner == repaired.owner)
            try await database.write { sql in
                try await sql.raw("""
                    UPDATE sales_segment_month_packed SET data = \(bind: PackedSalesMonths.segment.encode([])) WHERE month = 202604
                    """).run()
            }
            let emptiedSegment = split(try await Self.accountReads(database, actor))
            #expect(emptiedSegment.segment != repaired.segment && emptiedSegment.product == repaired.product)
            try await database.write { sql in
                try await sql.raw("""
                    UPDATE sales_product_month_packed SET data = \(bind: PackedSalesMonths.product.encode([])) WHERE month = 202604
                    """).run()
            }
            let emptiedProduct = split(try await Self.accountReads(database, actor))
            #expect(emptiedProduct.product != repaired.product && emptiedProduct.category == repaired.category
                    && emptiedProduct.owner == repaired.owner)
            try await database.write { sql in
                try await sql.raw("""
                    UPDATE sales_owner_month_packed SET data = \(bind: PackedSalesMonths.owner.encode([])) WHERE month = 202604
                    """).run()
            }
            let emptiedOwner = split(try await Self.accountReads(database, actor))
            #expect(emptiedOwner.owner != repaired.owner && emptiedOwner.account == emptiedProduct.account)
        }
    }

    /// Packed months are read one at a time after they are listed (`PackedSalesRows`): one whose packing a writer drops
    /// in between is passed over, for `sales` to read from its rows, and the others come whole and in month order.
    @Test(arguments: TestDatabase.engines)
    func aMonthUnpackedAfterItWasListedIsPassedOver(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            _ = try await DemoLoader.load(Self.options, into: database)
            let listed = try await database.read { sql in try await PackedSalesMonths.account.listed(202_501...202_503, in: sql) }
            #expect(listed.map(\.month) == [202_501, 202_502, 202_503])
            #expect(listed.allSatisfy { $0.entries > 0 })
            try await database.write { sql in try await sql.raw("UPDATE sales_account_month SET lines = lines WHERE month = 202502").run() }
            let (handed, expected) = try await database.read { sql in
                var handed: [(month: Int, entries: [PackedSalesMonths.Entry])] = []
                let months = try await PackedSalesMonths.account.each(listed.map(\.month), in: sql) { handed.append(($0, $1)) }
                #expect(months == [202_501, 202_503])
                return (handed.map { [$0.month: $0.entries] }, [[202_501: try await PackedSalesMonths.account.entries(ofMonth: 202_501, in: sql)],
                                                               [202_503: try await PackedSalesMonths.account.entries(ofMonth: 202_503, in: sql)]])
            }
            #expect(handed == expected)
            #expect(handed.map { $0.values.first!.count } == [listed[0].entries, listed[2].entries])
        }
    }
}
