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

    /// The packed months among `months` (every one for nil) and how many entries each holds, in month order.
    func listed(_ months: ClosedRange<Int>?, in sql: any SQLDatabase) async throws -> [(month: Int, entries: Int)] {
        let range: SQLQueryString = months.map { "WHERE month BETWEEN \(bind: $0.lowerBound) AND \(bind: $0.upperBound)" } ?? ""
        return try await sql.raw("SELECT month, entries FROM \(ident: table) \(range) ORDER BY month").all().map { row in
            (try row.decode(column: "month", as: Int.self), try row.decode(column: "entries", as: Int.self))
        }
    }

    /// Each of `months` packed, read and decoded one at a time and handed to `body` in month order, so that no more
    /// than a month's bytes and entries are held at once (PackedSalesRows). A month whose packing a writer has dropped
    /// since it was listed is passed over; answers the months handed to `body`.
    func each(_ months: [Int], in sql: any SQLDatabase, _ body: (Int, [Entry]) throws -> Void) async throws -> [Int] {
        var read: [Int] = []
        // A query a month costs no more than four months a query (measured at scale L on PostgreSQL, where the time
        // goes to the bytes, not the queries) and holds a quarter of the bytes.
        for month in months {
            guard let row = try await sql.raw("SELECT data FROM \(ident: table) WHERE month = \(bind: month)").first() else { continue }
            try body(month, try decode(try row.decode(column: "data", as: Data.self), month: month))
            read.append(month)
        }
        return read
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

    /// Each key's sums over two lists of entries in key order, walked side by side, without a hash.
    static func merged(_ a: [Entry], _ b: [Entry]) -> [Entry] {
        var merged: [Entry] = []
        merged.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if a[i].key < b[j].key {
                merged.append(a[i]); i += 1
            } else if b[j].key < a[i].key {
                merged.append(b[j]); j += 1
            } else {
                merged.append(Entry(key: a[i].key, totals: a[i].totals + b[j].totals)); i += 1; j += 1
            }
        }
        merged.append(contentsOf: a[i...])
        merged.append(contentsOf: b[j...])
        return merged
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

    /// Every packed month of `kind` against its rows: `missing` counts the packed months that differ from them (a
    /// month the rows hold and nothing packs is not a fault: it is read from its rows).
    static func checkPackedSalesMonths(_ kind: PackedSalesMonths, in sql: any SQLDatabase) async throws -> RollupCheck {
        var read = 0, differing = 0
        // A month at a time: every packed month of a big company's years at once is gigabytes.
        for month in try await kind.listed(nil, in: sql).map(\.month) {
            var packed: [PackedSalesMonths.Entry]?
            read += try await kind.each([month], in: sql) { packed = $1 }.count
            if let packed, packed != (try await kind.entries(ofMonth: month, in: sql)) { differing += 1 }
        }
        return RollupCheck(table: kind.table, rows: read, missing: differing, extra: 0)
    }
}
