import Foundation
import KvotaCore
import SQLKit

/// Ended months of sales, each packed into one row holding every customer's (or product's, or owner's) sums of the
/// month as little-endian 64-bit integers (migrations 39, 40, 42 and 50). A director's analysis of every customer
/// reads a year as twelve rows instead of 730 000 at scale L; the engine hands a row over to Swift for about a
/// microsecond, which was most of those analyses' time, and grouping a year of `sales_day` by region and customer was
/// a sort of a million rows (docs/performance.md, "Analytics").
///
/// Exact by construction: a trigger drops a month's packed row in the transaction of any change to one of the rows it
/// is packed from, and a month is packed in a transaction that keeps every writer of those rows out (SQLite's one
/// writer; a SHARE lock of the table on PostgreSQL). A month without its packed row is read from its rows; `kvota
/// verify` compares the two.
enum PackedSalesMonths: CaseIterable {
    /// `sales_account_month` per account (migration 39): ABC, XYZ, concentration, migration, retention.
    case account
    /// `sales_day` per account, region and channel (migration 40): the active customers of territories and channels.
    case segment
    /// `sales_product_month` per product (migration 42): dynamics by product, product ABC, XYZ and profitability.
    case product
    /// `sales_owner_month` per owner, over regions and channels (migration 50): every rep's forecast, dynamics by rep.
    case owner

    var table: String {
        switch self {
        case .account: "sales_account_month_packed"
        case .segment: "sales_segment_month_packed"
        case .product: "sales_product_month_packed"
        case .owner: "sales_owner_month_packed"
        }
    }

    /// The table the month is packed from, which the migration's triggers watch.
    var source: String {
        switch self {
        case .account: "sales_account_month"
        case .segment: "sales_day"
        case .product: "sales_product_month"
        case .owner: "sales_owner_month"
        }
    }

    /// The key (and region and channel), then orders, lines, revenue, cost, quantity.
    var wordsPerEntry: Int { self == .segment ? 8 : 6 }

    struct Entry: Hashable, Sendable {
        /// The account; the product for `product`, the owner (0 for none) for `owner`.
        let key: Int64
        var region: Int64 = 0
        var channel: Int64 = 0
        let totals: SalesTotals
    }

    func encode(_ entries: [Entry]) -> Data {
        var words: [Int64] = []
        words.reserveCapacity(entries.count * wordsPerEntry)
        for entry in entries {
            let t = entry.totals
            let keys = self == .segment ? [entry.key, entry.region, entry.channel] : [entry.key]
            for word in keys + [t.orders, t.lines, t.revenue, t.cost, t.quantityMilli] { words.append(word.littleEndian) }
        }
        return words.withUnsafeBytes { Data($0) }
    }

    func decode(_ data: Data, month: Int) throws -> [Entry] {
        let width = wordsPerEntry * 8, keys = wordsPerEntry - 5
        guard data.count % width == 0 else {
            throw StoreError.query("the packed sales of month \(month) in \(table) hold \(data.count) bytes, not whole entries of \(width)")
        }
        return data.withUnsafeBytes { raw in
            (0..<data.count / width).map { index in
                func word(_ at: Int) -> Int64 { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: index * width + at * 8, as: Int64.self)) }
                return Entry(key: word(0), region: keys == 3 ? word(1) : 0, channel: keys == 3 ? word(2) : 0,
                             totals: SalesTotals(revenue: word(keys + 2), cost: word(keys + 3), quantityMilli: word(keys + 4), orders: word(keys),
                                                 lines: word(keys + 1)))
            }
        }
    }

    /// The month's rows as entries, in key order.
    func entries(ofMonth month: Int, in sql: any SQLDatabase) async throws -> [Entry] {
        // The account or the product: the one key of those sources.
        let key = self == .product ? "product_id" : "account_id"
        let query: SQLQueryString = switch self {
        case .account, .product:
            """
            SELECT \(ident: key) AS key_id, 0 AS region_id, 0 AS channel_id, orders, lines, revenue_minor, cost_minor, quantity_milli
            FROM \(ident: source) WHERE month = \(bind: month) ORDER BY \(ident: key)
            """
        case .owner:
            """
            SELECT owner_id AS key_id, 0 AS region_id, 0 AS channel_id, CAST(SUM(orders) AS BIGINT) AS orders, CAST(SUM(lines) AS BIGINT) AS lines,
                   CAST(SUM(revenue_minor) AS BIGINT) AS revenue_minor, CAST(SUM(cost_minor) AS BIGINT) AS cost_minor,
                   CAST(SUM(quantity_milli) AS BIGINT) AS quantity_milli
            FROM sales_owner_month WHERE month = \(bind: month) GROUP BY owner_id ORDER BY owner_id
            """
        case .segment:
            """
            SELECT account_id AS key_id, region_id, channel_id, CAST(SUM(orders) AS BIGINT) AS orders, CAST(SUM(lines) AS BIGINT) AS lines,
                   CAST(SUM(revenue_minor) AS BIGINT) AS revenue_minor, CAST(SUM(cost_minor) AS BIGINT) AS cost_minor,
                   CAST(SUM(quantity_milli) AS BIGINT) AS quantity_milli
            FROM sales_day WHERE day BETWEEN \(bind: month * 100) AND \(bind: month * 100 + 99)
            GROUP BY account_id, region_id, channel_id ORDER BY account_id, region_id, channel_id
            """
        }
        return try await sql.raw(query).all().map { row in
            func value(_ column: String) throws -> Int64 { try row.decode(column: column, as: Int64.self) }
            return Entry(key: try value("key_id"), region: try value("region_id"), channel: try value("channel_id"),
                         totals: SalesTotals(revenue: try value("revenue_minor"), cost: try value("cost_minor"), quantityMilli: try value("quantity_milli"),
                                             orders: try value("orders"), lines: try value("lines")))
        }
    }

    /// The packed months among `months` (every one for nil), decoded, in month order.
    func stored(_ months: ClosedRange<Int>?, in sql: any SQLDatabase) async throws -> [(month: Int, entries: [Entry])] {
        let range: SQLQueryString = months.map { "WHERE month BETWEEN \(bind: $0.lowerBound) AND \(bind: $0.upperBound)" } ?? ""
        return try await sql.raw("SELECT month, data FROM \(ident: table) \(range) ORDER BY month").all().map { row in
            let month = try row.decode(column: "month", as: Int.self)
            return (month, try decode(try row.decode(column: "data", as: Data.self), month: month))
        }
    }

    /// Packs `month` from its rows, in the caller's transaction.
    func pack(month: Int, in sql: any SQLDatabase, engine: DatabaseEngine) async throws {
        if engine == .postgres {
            // Waits for the source's writers to finish and keeps new ones out until this commits: a row written between
            // the read and the packed row's insert would otherwise not drop a packed row that is not there yet.
            try await sql.raw("LOCK TABLE \(ident: source) IN SHARE MODE").run()
        }
        let entries = try await entries(ofMonth: month, in: sql)
        try await sql.raw("DELETE FROM \(ident: table) WHERE month = \(bind: month)").run()
        guard !entries.isEmpty else { return }
        try await sql.raw("""
            INSERT INTO \(ident: table) (month, entries, data) VALUES (\(bind: month), \(bind: entries.count), \(bind: encode(entries)))
            """).run()
    }

    /// Sums packed customer or product months the way `Database.sales` groups rows: per month (`byMonth`) or in total;
    /// per entry when the key is the entry's (`keyed`) or the sums are asked per account (`perAccount`, customer months
    /// only), else over every entry.
    static func keyedRows(_ months: [(month: Int, entries: [Entry])], byMonth: Bool, keyed: Bool, perAccount: Bool) -> [SalesRow] {
        func row(_ bucket: Int, _ entry: Entry) -> SalesRow {
            SalesRow(bucket: bucket, key: keyed ? entry.key : 0, account: perAccount ? entry.key : 0, totals: entry.totals)
        }
        switch (byMonth, keyed || perAccount) {
        case (true, true):
            // Straight into one array: a director's year of customer months is 550 000 rows at scale L, and a list per
            // month joined afterwards copied them twice.
            var rows: [SalesRow] = []
            rows.reserveCapacity(months.reduce(0) { $0 + $1.entries.count })
            for (month, entries) in months { for entry in entries { rows.append(row(month, entry)) } }
            return rows
        case (false, true):
            return mergedByKey(months.map(\.entries)).map { row(0, $0) }
        case (true, false):
            return months.filter { !$0.entries.isEmpty }.map { SalesRow(bucket: $0.month, key: 0, account: 0, totals: sum($0.entries)) }
        case (false, false):
            let entries = months.flatMap(\.entries)
            return entries.isEmpty ? [] : [SalesRow(bucket: 0, key: 0, account: 0, totals: sum(entries))]
        }
    }

    private static func sum(_ entries: [Entry]) -> SalesTotals {
        entries.reduce(into: .zero) { $0 += $1.totals }
    }

    /// Packed segment months as rows keyed by region or channel, per account: one row per entry, which the callers
    /// add up (a row per part of a window is what `sales` answers anyway).
    static func segmentRows(_ months: [(month: Int, entries: [Entry])], byMonth: Bool, key: SalesKey, perAccount: Bool) -> [SalesRow] {
        months.flatMap { month, entries in
            entries.map { entry in
                SalesRow(bucket: byMonth ? month : 0, key: key == .region ? entry.region : entry.channel, account: perAccount ? entry.key : 0,
                         totals: entry.totals)
            }
        }
    }

    /// Each key's sums over several months' entries, each list in key order: walked side by side, without a hash.
    static func mergedByKey(_ lists: [[Entry]]) -> [Entry] {
        var cursors = Array(repeating: 0, count: lists.count)
        var merged: [Entry] = []
        merged.reserveCapacity(lists.map(\.count).max() ?? 0)
        while true {
            var next: Int64?
            for (list, at) in zip(lists, cursors) where at < list.count {
                next = min(next ?? .max, list[at].key)
            }
            guard let key = next else { return merged }
            var totals = SalesTotals.zero
            for index in lists.indices where cursors[index] < lists[index].count && lists[index][cursors[index]].key == key {
                totals += lists[index][cursors[index]].totals
                cursors[index] += 1
            }
            merged.append(Entry(key: key, totals: totals))
        }
    }
}

extension Database {
    /// Packs every month before `month` (YYYYMM) that has sales and is not packed, of each kind, each in a transaction
    /// of its own so that writers wait for one month at most; answers how many months it packed.
    @discardableResult
    public func packSalesMonths(before month: Int) async throws -> Int {
        var packed = 0
        for kind in PackedSalesMonths.allCases {
            let due = try await read { sql in
                try await sql.raw("""
                    SELECT DISTINCT month FROM sales_owner_month
                    WHERE month < \(bind: month) AND month NOT IN (SELECT month FROM \(ident: kind.table)) ORDER BY month
                    """).all().map { try $0.decode(column: "month", as: Int.self) }
            }
            for month in due {
                try await write { sql in try await kind.pack(month: month, in: sql, engine: engine) }
            }
            packed += due.count
        }
        return packed
    }

    /// The packed rows of `kind` among `months` (YYYYMM), by month.
    func packedSalesMonths(_ kind: PackedSalesMonths, _ months: ClosedRange<Int>) async throws -> [Int: [PackedSalesMonths.Entry]] {
        let stored = try await read { sql in try await kind.stored(months, in: sql) }
        return Dictionary(uniqueKeysWithValues: stored.map { ($0.month, $0.entries) })
    }

    /// Every packed month of `kind` against its rows: `missing` counts the packed months that differ from them (a
    /// month the rows hold and nothing packs is not a fault: it is read from its rows).
    static func checkPackedSalesMonths(_ kind: PackedSalesMonths, in sql: any SQLDatabase) async throws -> RollupCheck {
        let stored = try await kind.stored(nil, in: sql)
        var differing = 0
        for (month, entries) in stored where entries != (try await kind.entries(ofMonth: month, in: sql)) { differing += 1 }
        return RollupCheck(table: kind.table, rows: stored.count, missing: differing, extra: 0)
    }
}
