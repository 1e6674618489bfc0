import KvotaCore

/// What `sales` answers from packed months, gathered a month at a time as each is read and decoded, the way it groups
/// rows: per month or in total; per entry when the key is the entry's or the sums are asked per account, else over
/// every entry. A director's year of customers is 32 MB packed and 43 MB of rows at scale L: every month's bytes, their
/// entries and the rows made of them, all held at once, were 120 MB of a retention and two retentions at once took the
/// server past its 500 MB on PostgreSQL (docs/performance.md, "Packed months a month at a time").
struct PackedSalesRows {
    let kind: PackedSalesMonths
    let byMonth: Bool
    let key: SalesKey
    let perAccount: Bool
    /// The customers the filter keeps (customer months only); nil for all.
    let accounts: Set<Int64>?
    /// `sales`' `only`: just these keys' rows; nil for all.
    let only: Set<Int64>?
    /// The rows made so far, or, for totals per key, made at the end from `merged`.
    private(set) var rows: [SalesRow] = []
    /// Each key's sums so far, in key order, for one total per key.
    private var merged: [PackedSalesMonths.Entry] = []
    private var total: SalesTotals?

    init(kind: PackedSalesMonths, byMonth: Bool, key: SalesKey, perAccount: Bool, accounts: Set<Int64>?, only: Set<Int64>?) {
        self.kind = kind
        self.byMonth = byMonth
        self.key = key
        self.perAccount = perAccount
        self.accounts = accounts
        self.only = only
    }

    /// Whether the entry's key is the key asked for.
    private var keyed: Bool {
        switch kind {
        case .account: key == .account
        case .product: key == .product
        case .owner, .segment: true
        }
    }

    /// Sums per account, which only customer months hold.
    private var perAccountRows: Bool { kind == .account && perAccount }

    /// Whether each entry is a row of its own (or, in total, a key of its own).
    private var perEntry: Bool { keyed || perAccountRows }

    private func kept(_ row: SalesRow) -> Bool { only?.contains(row.key) ?? true }

    /// Room for `count` rows, so that the rows of a long window are not moved as they grow.
    mutating func reserve(_ count: Int) {
        if byMonth || kind == .segment { rows.reserveCapacity(count) }
    }

    mutating func add(month: Int, entries: [PackedSalesMonths.Entry]) {
        let bucket = byMonth ? month : 0
        if kind == .segment {
            // One row per entry, which the callers add up (a row per part of a window is what `sales` answers anyway).
            for entry in entries {
                let row = SalesRow(bucket: bucket, key: key == .region ? entry.region : entry.channel, account: perAccount ? entry.key : 0,
                                   totals: entry.totals)
                if kept(row) { rows.append(row) }
            }
            return
        }
        var entries = entries
        if let accounts { entries.removeAll { !accounts.contains($0.key) } }
        switch (byMonth, perEntry) {
        case (true, true):
            for entry in entries {
                let row = self.row(bucket, entry)
                if kept(row) { rows.append(row) }
            }
        case (false, true):
            merged = PackedSalesMonths.merged(merged, entries)
        case (true, false):
            guard !entries.isEmpty else { return }
            let row = SalesRow(bucket: month, key: 0, account: 0, totals: Self.sum(entries))
            if kept(row) { rows.append(row) }
        case (false, false):
            guard !entries.isEmpty else { return }
            total = (total ?? .zero) + Self.sum(entries)
        }
    }

    /// The rows of every month added, with `more` after them. Taken out rather than copied: the fold is a variable a
    /// closure captured, and a copy of its rows (43 MB for a director's year of customers) was a fifth of a retention.
    mutating func finish(appending more: [SalesRow]) -> [SalesRow] {
        if !byMonth && kind != .segment {
            if perEntry {
                rows.reserveCapacity(merged.count + more.count)
                for entry in merged {
                    let row = self.row(0, entry)
                    if kept(row) { rows.append(row) }
                }
            } else if let total, kept(SalesRow(bucket: 0, key: 0, account: 0, totals: total)) {
                rows.append(SalesRow(bucket: 0, key: 0, account: 0, totals: total))
            }
        }
        rows.append(contentsOf: more)
        var taken: [SalesRow] = []
        swap(&taken, &rows)
        return taken
    }

    private func row(_ bucket: Int, _ entry: PackedSalesMonths.Entry) -> SalesRow {
        SalesRow(bucket: bucket, key: keyed ? entry.key : 0, account: perAccountRows ? entry.key : 0, totals: entry.totals)
    }

    private static func sum(_ entries: [PackedSalesMonths.Entry]) -> SalesTotals {
        entries.reduce(into: .zero) { $0 += $1.totals }
    }
}
