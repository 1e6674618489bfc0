import Foundation
import KvotaCore
import SQLKit

/// Ended months of `sales_account_month`, each packed into one row of `sales_account_month_packed` (migration 39): every
/// customer's sums of the month, by account, as little-endian 64-bit integers. A director's analysis of every customer
/// reads a year as twelve rows instead of 730 000 at scale L; the engine hands a row over to Swift for about a
/// microsecond, which was most of those analyses' time (docs/performance.md, "Analytics").
///
/// Exact by construction: a trigger drops a month's packed row in the transaction of any change to one of its rows, and
/// a month is packed in a transaction that keeps every writer of the roll-up out (SQLite's one writer; a SHARE lock of
/// the table on PostgreSQL). A month without its packed row is read from its rows; `kvota verify` compares the two.
enum PackedAccountMonths {
    static let table = "sales_account_month_packed"
    /// Account, orders, lines, revenue, cost, quantity.
    static let wordsPerEntry = 6

    struct Entry: Hashable, Sendable {
        let account: Int64
        let totals: SalesTotals
    }

    static func encode(_ entries: [Entry]) -> Data {
        var words: [Int64] = []
        words.reserveCapacity(entries.count * wordsPerEntry)
        for entry in entries {
            let t = entry.totals
            for word in [entry.account, t.orders, t.lines, t.revenue, t.cost, t.quantityMilli] { words.append(word.littleEndian) }
        }
        return words.withUnsafeBytes { Data($0) }
    }

    static func decode(_ data: Data, month: Int) throws -> [Entry] {
        let width = wordsPerEntry * 8
        guard data.count % width == 0 else {
            throw StoreError.query("the packed sales of month \(month) hold \(data.count) bytes, not whole entries of \(width)")
        }
        return data.withUnsafeBytes { raw in
            (0..<data.count / width).map { index in
                func word(_ at: Int) -> Int64 { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: index * width + at * 8, as: Int64.self)) }
                return Entry(account: word(0), totals: SalesTotals(revenue: word(3), cost: word(4), quantityMilli: word(5), orders: word(1), lines: word(2)))
            }
        }
    }

    /// The month's rows as entries, by account.
    static func entries(ofMonth month: Int, in sql: any SQLDatabase) async throws -> [Entry] {
        try await sql.raw("""
            SELECT account_id, orders, lines, revenue_minor, cost_minor, quantity_milli FROM sales_account_month
            WHERE month = \(bind: month) ORDER BY account_id
            """).all().map { row in
            Entry(account: try row.decode(column: "account_id", as: Int64.self),
                  totals: SalesTotals(revenue: try row.decode(column: "revenue_minor", as: Int64.self), cost: try row.decode(column: "cost_minor", as: Int64.self),
                                      quantityMilli: try row.decode(column: "quantity_milli", as: Int64.self),
                                      orders: try row.decode(column: "orders", as: Int64.self), lines: try row.decode(column: "lines", as: Int64.self)))
        }
    }

    /// Packs `month` from its rows, in the caller's transaction.
    static func pack(month: Int, in sql: any SQLDatabase, engine: DatabaseEngine) async throws {
        if engine == .postgres {
            // Waits for the roll-up's writers to finish and keeps new ones out until this commits: a row written between
            // the read and the packed row's insert would otherwise not drop a packed row that is not there yet.
            try await sql.raw("LOCK TABLE sales_account_month IN SHARE MODE").run()
        }
        let entries = try await entries(ofMonth: month, in: sql)
        try await sql.raw("DELETE FROM sales_account_month_packed WHERE month = \(bind: month)").run()
        guard !entries.isEmpty else { return }
        try await sql.raw("""
            INSERT INTO sales_account_month_packed (month, accounts, data) VALUES (\(bind: month), \(bind: entries.count), \(bind: encode(entries)))
            """).run()
    }

    /// Sums packed months the way `Database.sales` groups rows: per month (`byMonth`) or in total; per account when the
    /// key is the account (`keyed`) or the sums are asked per account (`perAccount`), else over every account.
    static func rows(_ months: [(month: Int, entries: [Entry])], byMonth: Bool, keyed: Bool, perAccount: Bool) -> [SalesRow] {
        func row(_ bucket: Int, _ entry: Entry) -> SalesRow {
            SalesRow(bucket: bucket, key: keyed ? entry.account : 0, account: perAccount ? entry.account : 0, totals: entry.totals)
        }
        switch (byMonth, keyed || perAccount) {
        case (true, true):
            return months.flatMap { month, entries in entries.map { row(month, $0) } }
        case (false, true):
            return mergedByAccount(months.map(\.entries)).map { row(0, $0) }
        case (_, false):
            let sums = months.filter { !$0.entries.isEmpty }.map { month, entries in
                SalesRow(bucket: byMonth ? month : 0, key: 0, account: 0, totals: entries.reduce(into: SalesTotals.zero) { $0 += $1.totals })
            }
            guard !byMonth, let first = sums.first else { return sums }
            return [SalesRow(bucket: 0, key: 0, account: 0, totals: sums.dropFirst().reduce(into: first.totals) { $0 += $1.totals })]
        }
    }

    /// Each account's sums over several months' entries, each list by account: walked side by side, without a hash.
    static func mergedByAccount(_ lists: [[Entry]]) -> [Entry] {
        var cursors = Array(repeating: 0, count: lists.count)
        var merged: [Entry] = []
        merged.reserveCapacity(lists.map(\.count).max() ?? 0)
        while true {
            var next: Int64?
            for (list, at) in zip(lists, cursors) where at < list.count {
                next = min(next ?? .max, list[at].account)
            }
            guard let account = next else { return merged }
            var totals = SalesTotals.zero
            for index in lists.indices where cursors[index] < lists[index].count && lists[index][cursors[index]].account == account {
                totals += lists[index][cursors[index]].totals
                cursors[index] += 1
            }
            merged.append(Entry(account: account, totals: totals))
        }
    }
}

extension Database {
    /// Packs every month before `month` (YYYYMM) that has sales and no packed row, each in a transaction of its own so
    /// that writers wait for one month at most; answers how many it packed.
    @discardableResult
    public func packAccountMonths(before month: Int) async throws -> Int {
        let due = try await read { sql in
            try await sql.raw("""
                SELECT DISTINCT month FROM sales_owner_month
                WHERE month < \(bind: month) AND month NOT IN (SELECT month FROM sales_account_month_packed) ORDER BY month
                """).all().map { try $0.decode(column: "month", as: Int.self) }
        }
        for month in due {
            try await write { sql in try await PackedAccountMonths.pack(month: month, in: sql, engine: engine) }
        }
        return due.count
    }

    /// The packed rows among `months` (YYYYMM), by month.
    func packedAccountMonths(_ months: ClosedRange<Int>) async throws -> [Int: [PackedAccountMonths.Entry]] {
        let stored = try await read { sql in
            try await sql.raw("SELECT month, data FROM sales_account_month_packed WHERE month BETWEEN \(bind: months.lowerBound) AND \(bind: months.upperBound)")
                .all().map { (try $0.decode(column: "month", as: Int.self), try $0.decode(column: "data", as: Data.self)) }
        }
        var result: [Int: [PackedAccountMonths.Entry]] = [:]
        for (month, data) in stored { result[month] = try PackedAccountMonths.decode(data, month: month) }
        return result
    }

    /// Every packed month against its rows: `missing` counts the packed months that differ from them (a month the
    /// rows hold and nothing packs is not a fault: it is read from its rows).
    static func checkPackedAccountMonths(in sql: any SQLDatabase) async throws -> RollupCheck {
        let stored = try await sql.raw("SELECT month, data FROM sales_account_month_packed ORDER BY month").all()
            .map { (try $0.decode(column: "month", as: Int.self), try $0.decode(column: "data", as: Data.self)) }
        var differing = 0
        for (month, data) in stored where try PackedAccountMonths.decode(data, month: month) != (try await PackedAccountMonths.entries(ofMonth: month, in: sql)) {
            differing += 1
        }
        return RollupCheck(table: PackedAccountMonths.table, rows: stored.count, missing: differing, extra: 0)
    }
}
