import KvotaCore
import SQLKit

/// The change to every sales roll-up that replacing some orders makes, summed key by key from orders already in
/// memory, for a writer that holds them all (the order import): its new orders and the old versions it read to compare.
/// `SalesRollups.takeOff` and `putOn` read the same sums back from the tables with a join and a sort per roll-up, which
/// took half of the roll-ups' share of an import (docs/performance.md, "Import"); here each table gets one net row per
/// key, in key order. The sums follow `SalesRollups`' statements exactly, and the roll-up tests hold the two to each other.
struct SalesDelta {
    private typealias Table = SalesRollups.Summed

    /// A roll-up row's key: its columns in the order of the table's primary key, unused ones 0.
    struct Key: Hashable, Comparable {
        var a: Int64, b: Int64, c: Int64 = 0, d: Int64 = 0, e: Int64 = 0, f: Int64 = 0

        static func < (l: Key, r: Key) -> Bool { (l.a, l.b, l.c, l.d, l.e, l.f) < (r.a, r.b, r.c, r.d, r.e, r.f) }

        // One word into the hasher instead of six: a million keys an import, and the hasher's rounds were a tenth of it.
        func hash(into hasher: inout Hasher) {
            hasher.combine(((((a &* 31 &+ b) &* 31 &+ c) &* 31 &+ d) &* 31 &+ e) &* 31 &+ f)
        }
    }

    struct Measures {
        var orders: Int64 = 0, lines: Int64 = 0, revenue: Int64 = 0, cost: Int64 = 0, quantity: Int64 = 0

        var isZero: Bool { orders == 0 && lines == 0 && revenue == 0 && cost == 0 && quantity == 0 }

        static func + (l: Measures, r: Measures) -> Measures {
            var sum = l
            sum += r
            return sum
        }

        static func += (l: inout Measures, r: Measures) {
            l.orders += r.orders; l.lines += r.lines; l.revenue += r.revenue; l.cost += r.cost; l.quantity += r.quantity
        }
    }

    /// Each roll-up's sums by key, at its `SalesRollups.Summed` raw value.
    private var sums = Array(repeating: [Key: Measures](), count: Table.allCases.count)
    /// Where the taken-off orders sat, for the rows they may leave empty.
    private(set) var change = SalesChange()
    /// Every account either side touched, whose customer rows are worked out again.
    private(set) var accounts = Set<Int64>()
    /// Each product's category, for the sums per category.
    private let categories: [Int64: Int64]

    /// Room for about `orders` orders with `lines` lines in all, either side: growing the tables a key at a time was
    /// most of the summing. `categories` holds the category of every product the orders' lines name.
    init(orders: Int, lines: Int, categories: [Int64: Int64]) {
        self.categories = categories
        for table in Table.allCases {
            sums[table.rawValue].reserveCapacity(table.key.contains("product_id") ? lines : orders)
        }
    }

    /// Adds an order's share (`taken` false: as it is now) or takes it off (`taken` true: as it was before it changed).
    mutating func add(_ order: Order, lines: [OrderLine], taken: Bool = false) {
        if taken { change.note(order, lines: lines) }
        accounts.insert(order.accountID.rawValue)
        guard order.status.isSale else { return }
        let sign: Int64 = taken ? -1 : 1
        let day = Int64(order.orderedOn.key), month = day / 100, account = order.accountID.rawValue
        let owner = order.ownerID?.rawValue ?? 0, region = order.regionID?.rawValue ?? 0, channel = order.channelID?.rawValue ?? 0
        var whole = Measures(orders: sign, lines: sign * Int64(lines.count))
        // An order counts once in each product's rows, however many of its lines hold the product. An order has a few
        // lines, so a list searched from the end beats a dictionary per order.
        var products: [(id: Int64, sum: Measures)] = [], inCategories: [(id: Int64, sum: Measures)] = []
        for line in lines {
            let share = Measures(lines: sign, revenue: sign * line.netBaseMinor, cost: sign * line.costBaseMinor,
                                 quantity: sign * line.quantityMilli)
            whole.revenue += share.revenue; whole.cost += share.cost; whole.quantity += share.quantity
            if let at = products.lastIndex(where: { $0.id == line.productID.rawValue }) {
                products[at].sum += share
            } else {
                products.append((line.productID.rawValue, Measures(orders: sign) + share))
            }
            let category = categories[line.productID.rawValue]!
            if let at = inCategories.lastIndex(where: { $0.id == category }) {
                inCategories[at].sum += share
            } else {
                inCategories.append((category, Measures(orders: sign) + share))
            }
        }
        sums[Table.day.rawValue][Key(a: day, b: account, c: owner, d: region, e: channel), default: Measures()] += whole
        sums[Table.ownerMonth.rawValue][Key(a: month, b: owner, c: region, d: channel), default: Measures()] += whole
        sums[Table.accountMonth.rawValue][Key(a: account, b: month), default: Measures()] += whole
        sums[Table.ownerDay.rawValue][Key(a: day, b: owner), default: Measures()] += whole
        sums[Table.regionChannelMonth.rawValue][Key(a: month, b: region, c: channel), default: Measures()] += whole
        for (product, share) in products {
            sums[Table.month.rawValue][Key(a: month, b: product, c: account, d: owner, e: region, f: channel), default: Measures()] += share
            sums[Table.productMonth.rawValue][Key(a: month, b: product), default: Measures()] += share
        }
        for (category, share) in inCategories {
            sums[Table.categoryDay.rawValue][Key(a: day, b: category, c: owner, d: region, e: channel), default: Measures()] += share
            sums[Table.categoryMonth.rawValue][Key(a: month, b: category), default: Measures()] += share
        }
    }

    /// Adds every key's net sum to its table (a key the table lacks goes in as it is), then drops the rows left holding no
    /// order and works out the touched customers again, as `SalesRollups.putOn` does.
    func apply(in sql: any SQLDatabase, bulk: BulkSink) async throws {
        try await SalesRollups.lockCustomers(accounts.union(change.accounts), in: sql)
        for table in Table.allCases {
            let key = table.key.split(separator: ", ").map(String.init)
            let rows = sums[table.rawValue].filter { !$0.value.isZero }.sorted { $0.key < $1.key }.map { k, sum -> [BulkValue] in
                ([k.a, k.b, k.c, k.d, k.e, k.f].prefix(key.count) + [sum.orders, sum.lines, sum.revenue, sum.cost, sum.quantity]).map(BulkValue.int)
            }
            try await bulk(BulkTable(name: table.table, columns: key + SalesRollups.measureColumns, rows: rows, summedBy: key))
        }
        try await SalesRollups.tidy(after: change, accounts: accounts, in: sql)
    }
}
