import KvotaCore
import SQLKit

/// What sales sums are grouped by besides time: nothing, or one of the keys the roll-ups hold. Teams and categories
/// are grouped by owner and product and folded in Swift, so a change of team or category needs no roll-up rewrite
/// (orders per category are the exception: a product's move to another category rewrites its orders' category sums).
public enum SalesKey: Sendable {
    case none, owner, region, channel, product, account
    /// Sums per category the orders' lines fall in, each order counted once in each: only orders counted per category
    /// need it (summed measures fold products).
    case category
}

/// How finely sums are cut in time: not at all, by month (YYYYMM), or by day (YYYYMMDD).
public enum SalesBucket: Sendable {
    case total, month, day
}

public struct SalesRow: Sendable, Equatable {
    /// YYYYMM or YYYYMMDD as the bucket asks; 0 for a total.
    public let bucket: Int
    /// The key's id; 0 when the key is `none` or the order has no owner, region or channel.
    public let key: Int64
    /// The account, when asked for per account as well; else 0.
    public let account: Int64
    public let totals: SalesTotals
}

extension Database {
    /// Sums of the orders the actor may see in `window`, under `filter`, per bucket and key (METRICS.md "Revenue").
    ///
    /// Whole months come from the narrowest roll-up that holds what the read groups and filters by: when a product is
    /// involved (a product key or a category filter), the product months for a read of every order by nothing else,
    /// else the monthly roll-up; without a product, the region and channel months when no account and no owner is
    /// involved (a few dozen rows a month), the owner months when no account is (twenty thousand at scale L), the
    /// account months for a read of every order per account, else the daily roll-up. The days of a
    /// partly covered month (and whole months cut by day) come from the owner days for a read of every order by owner
    /// or in total, else from the daily roll-up, or from the order lines themselves when a product is involved.
    /// `distinctOrders` asks for orders counted once however many of their lines match, which only the lines can say
    /// when a category filter spans several products. A category key reads the category roll-ups (whole months of every
    /// order from the monthly one, the rest from the daily one, which holds owner, region and channel), or the lines
    /// when it is asked per account.
    ///
    /// `only`: just these keys' rows (the top series of a dynamics), for a key that is a column of the sales (not none
    /// or category).
    public func sales(for actor: Actor, filter: AnalyticsFilter, window: DateWindow, bucket: SalesBucket, key: SalesKey,
                      perAccount: Bool = false, distinctOrders: Bool = false, only: [Int64]? = nil) async throws -> [SalesRow] {
        precondition(only == nil || (key != .none && key != .category), "only a key that is a column can be restricted")
        if only?.isEmpty == true { return [] }
        let product = key == .product || key == .category || filter.categoryID != nil
        let byCategory = key == .category && filter.categoryID == nil && !perAccount && filter.accountIDs == nil
        let raw = (product && distinctOrders && key != .product) || key == .category
        var parts: [(source: SalesSource, window: DateWindow)] = []
        // The part of whole months, when a packing (PackedSalesMonths) holds what it groups by.
        var packing: (kind: PackedSalesMonths, at: Int)?
        let split = window.split
        // What needs no owner column, and what only the owner, region and channel columns of the wide roll-ups can answer.
        let anyOwner = AccessPolicy.scope(actor, .list, .order) == .all && !filter.byOwner
        let everyone = anyOwner && filter.regionID == nil && filter.channelID == nil
        if byCategory {
            if let months = split.months { parts.append((everyone && bucket != .day ? .categoryMonth : .categoryDay, DateWindow(months: months))) }
            parts += split.days.map { (.categoryDay, $0) }
        } else if raw || (product && bucket == .day) {
            parts = [(.lines, window)]
        } else {
            let days: SalesSource = everyone && !perAccount && filter.accountIDs == nil && (key == .owner || key == .none) ? .ownerDay : .day
            if let months = split.months {
                let source: SalesSource = if product {
                    everyone && !perAccount && filter.accountIDs == nil && (key == .product || key == .none) ? .productMonth : .month
                } else if bucket == .day {
                    days
                } else if anyOwner && !perAccount && filter.accountIDs == nil && [.none, .region, .channel].contains(key) {
                    .regionChannelMonth
                } else if !perAccount && filter.accountIDs == nil && [.none, .owner, .region, .channel].contains(key) {
                    .ownerMonth
                } else if everyone && (key == .account || key == .none) {
                    .accountMonth
                } else {
                    .day
                }
                if source == .accountMonth {
                    packing = (.account, parts.count)
                } else if source == .productMonth, filter.categoryID == nil {
                    packing = (.product, parts.count)
                } else if source == .ownerMonth, everyone, key == .owner {
                    packing = (.owner, parts.count)
                } else if source == .day, bucket != .day, everyone, perAccount, key == .region || key == .channel, filter.accountIDs == nil {
                    packing = (.segment, parts.count)
                }
                parts.append((source, DateWindow(months: months)))
            }
            parts += split.days.map { (product ? .lines : days, $0) }
        }
        // Ended months read packed, the others from their rows.
        var packed: (kind: PackedSalesMonths, source: SalesSource, months: [(month: Int, entries: Int)])?
        if let (kind, at) = packing {
            let whole = parts[at]
            let months = try await read { sql in try await kind.listed(whole.window.from.monthKey...whole.window.through.monthKey, in: sql) }
            let listed = Set(months.map(\.month))
            let unpacked = LocalDate.monthRuns(Self.months(of: whole.window).filter { !listed.contains($0) })
            parts.replaceSubrange(at...at, with: unpacked.map { (whole.source, DateWindow(months: $0)) })
            packed = (kind, whole.source, months)
        }
        let access = RecordAccess.condition(actor, .list, .order, row: "s")
        func queries(_ parts: [(source: SalesSource, window: DateWindow)]) -> [SQLQueryString] {
            parts.map { part in
                Self.salesQuery(part.source, window: part.window, bucket: bucket, key: key, perAccount: perAccount, filter: filter, access: access,
                                only: only)
            }
        }
        let columns = ["bucket", "k", "a", "revenue", "cost", "quantity", "orders", "lines"]
        guard let (kind, source, months) = packed else { return Self.salesRows(try await integerRows(queries(parts), columns: columns)) }
        // The rows of the other parts are read while the packed months are (the days of this month per customer are
        // a third of a retention's reading at scale L on PostgreSQL).
        let rowQueries = queries(parts)
        async let rowsRead = integerRows(rowQueries, columns: columns)
        // The packed rows are most of a long window's (half a million customer-months in a year at scale L): the rows
        // read are added to them, in room made at the start for as many as the busiest month's for each month read from
        // rows, rather than copied along as they grow.
        var fold = PackedSalesRows(kind: kind, byMonth: bucket == .month, key: key, perAccount: perAccount,
                                   accounts: kind == .account ? filter.accountIDs.map(Set.init) : nil, only: only.map(Set.init))
        let busiest = months.map(\.entries).max() ?? 0
        fold.reserve(months.reduce(0) { $0 + $1.entries } + parts.reduce(0) { $0 + Self.months(of: $1.window).count } * busiest)
        let handed = try await read { sql in try await kind.each(months.map(\.month), in: sql) { fold.add(month: $0, entries: $1) } }
        var rows = try await rowsRead
        if handed.count < months.count {
            // A writer dropped a month's packing since it was listed: that month is read from its rows instead.
            let handed = Set(handed)
            let gone = LocalDate.monthRuns(months.map(\.month).filter { !handed.contains($0) })
            let more = try await integerRows(queries(gone.map { (source, DateWindow(months: $0)) }), columns: columns)
            rows.values += more.values
        }
        return fold.finish(appending: Self.salesRows(rows))
    }

    /// `sales`' columns read by `integerRows`, as rows.
    private static func salesRows(_ rows: IntegerRows) -> [SalesRow] {
        (0..<rows.count).map { row in
            SalesRow(bucket: Int(rows[row, 0]), key: rows[row, 1], account: rows[row, 2],
                     totals: SalesTotals(revenue: rows[row, 3], cost: rows[row, 4], quantityMilli: rows[row, 5], orders: rows[row, 6], lines: rows[row, 7]))
        }
    }

    /// The whole months of `window` (YYYYMM), in order.
    private static func months(of window: DateWindow) -> [Int] {
        Array(sequence(first: window.from.monthKey) { LocalDate.monthKey(after: $0) }.prefix { $0 <= window.through.monthKey })
    }

    /// Sums per key over the whole window (the parts it is read in added together).
    public func salesTotals(for actor: Actor, filter: AnalyticsFilter, window: DateWindow, key: SalesKey,
                            distinctOrders: Bool = false) async throws -> [Int64: SalesTotals] {
        let rows = try await sales(for: actor, filter: filter, window: window, bucket: .total, key: key, distinctOrders: distinctOrders)
        // About a row per key (a total per key from each part of the window): growing the table a doubling at a time
        // moved a director's 60 000 customers again and again.
        var totals: [Int64: SalesTotals] = [:]
        totals.reserveCapacity(rows.count)
        for row in rows {
            totals[row.key, default: .zero] += row.totals
        }
        return totals
    }

    /// `salesTotals` as a list in key order, for an analysis that walks every customer beside another list of them: a
    /// dictionary of a director's 100 000 customers, built and then probed, was a tenth of a category migration at
    /// scale L. (The packed months come in key order, so the sort has one long run to merge the rest into.)
    public func salesTotalsInKeyOrder(for actor: Actor, filter: AnalyticsFilter, window: DateWindow, key: SalesKey)
        async throws -> [(key: Int64, totals: SalesTotals)] {
        var rows = try await sales(for: actor, filter: filter, window: window, bucket: .total, key: key)
        rows.sort { $0.key < $1.key }
        var totals: [(key: Int64, totals: SalesTotals)] = []
        totals.reserveCapacity(rows.count)
        for row in rows {
            if totals.last?.key == row.key { totals[totals.count - 1].totals += row.totals } else { totals.append((row.key, row.totals)) }
        }
        return totals
    }

    /// The sums of one part of a window, from one source: the columns `sales` reads.
    private static func salesQuery(_ source: SalesSource, window: DateWindow, bucket: SalesBucket, key: SalesKey, perAccount: Bool,
                                   filter: AnalyticsFilter, access: SQLQueryString, only: [Int64]?) -> SQLQueryString {
        let day: SQLQueryString = source == .lines ? "s.ordered_on" : "s.day"
        let bucketExpression: SQLQueryString = switch (bucket, source) {
        case (.total, _): "0"
        case (.month, .month), (.month, .ownerMonth), (.month, .productMonth), (.month, .accountMonth), (.month, .categoryMonth),
             (.month, .regionChannelMonth): "s.month"
        case (.month, _): "\(day) / 100"
        case (.day, _): day
        }
        let keyExpression: SQLQueryString = switch key {
        case .none: "0"
        case .owner: "s.owner_id"
        case .region: "s.region_id"
        case .channel: "s.channel_id"
        case .product: source == .lines ? "l.product_id" : "s.product_id"
        case .account: "s.account_id"
        case .category: source == .lines ? "(SELECT p.category_id FROM products p WHERE p.id = l.product_id)" : "s.category_id"
        }
        var conditions: [SQLQueryString] = [access]
        switch source {
        case .month, .ownerMonth, .productMonth, .accountMonth, .categoryMonth, .regionChannelMonth:
            conditions.append("s.month BETWEEN \(bind: window.from.year * 100 + window.from.month) AND \(bind: window.through.year * 100 + window.through.month)")
        case .day, .ownerDay, .categoryDay, .lines:
            conditions.append("\(day) BETWEEN \(bind: window.from.key) AND \(bind: window.through.key)")
        }
        if source == .lines { conditions.append(SalesRollups.counted("s")) }
        conditions += ownerFilters(filter, owner: "s.owner_id")
        if let region = filter.regionID { conditions.append("s.region_id IN (\(regionSubtree(region)))") }
        if let channel = filter.channelID { conditions.append("s.channel_id = \(bind: channel.rawValue)") }
        if let accounts = filter.accountIDs { conditions.append("s.account_id IN \(SQLQueryString.list(accounts[...]))") }
        // On the order lines, a unary plus keeps the index by product from serving the list: the top products by
        // quantity are on a twentieth of all lines each, and SQLite walked all of them (1.4 s at scale L), not the days' lines.
        if let only { conditions.append("\(unsafeRaw: source == .lines ? "+" : "")\(keyExpression) IN \(SQLQueryString.list(only[...]))") }
        if let category = filter.categoryID {
            let product: SQLQueryString = source == .lines ? "l.product_id" : "s.product_id"
            conditions.append("\(product) IN (SELECT id FROM products WHERE category_id IN (\(categorySubtree(category))))")
        }
        let from: SQLQueryString
        let sums: SQLQueryString
        switch source {
        case .lines:
            // The roll-ups store a missing owner, region or channel as 0; so do these sums.
            from = """
                (SELECT o.id, o.ordered_on, o.account_id, COALESCE(o.owner_id, 0) AS owner_id, COALESCE(o.region_id, 0) AS region_id,
                        COALESCE(o.channel_id, 0) AS channel_id, o.status FROM orders o) s
                JOIN order_lines l ON l.order_id = s.id
                """
            sums = """
                COUNT(DISTINCT s.id) AS orders, COUNT(*) AS lines, CAST(SUM(l.net_base_minor) AS BIGINT) AS revenue,
                CAST(SUM(l.cost_base_minor) AS BIGINT) AS cost, CAST(SUM(l.quantity_milli) AS BIGINT) AS quantity
                """
        case .day, .ownerDay, .month, .ownerMonth, .productMonth, .accountMonth, .categoryDay, .categoryMonth, .regionChannelMonth:
            from = switch source {
            case .day: "sales_day s"
            case .ownerDay: "sales_owner_day s"
            case .month: "sales_month s"
            case .productMonth: "sales_product_month s"
            case .accountMonth: "sales_account_month s"
            case .categoryDay: "sales_category_day s"
            case .categoryMonth: "sales_category_month s"
            case .regionChannelMonth: "sales_region_channel_month s"
            default: "sales_owner_month s"
            }
            sums = """
                CAST(SUM(s.orders) AS BIGINT) AS orders, CAST(SUM(s.lines) AS BIGINT) AS lines, CAST(SUM(s.revenue_minor) AS BIGINT) AS revenue,
                CAST(SUM(s.cost_minor) AS BIGINT) AS cost, CAST(SUM(s.quantity_milli) AS BIGINT) AS quantity
                """
        }
        let account: SQLQueryString = perAccount ? "s.account_id" : "0"
        // A roll-up whose key is the very group asked for already holds one row per group: its rows are taken as they
        // are. Summing each into a group of its own was most of a year of weeks by rep at scale L (300 000 owner-days).
        let rowPerGroup = switch (source, bucket, key, perAccount) {
        case (.ownerDay, .day, .owner, false), (.productMonth, .month, .product, false), (.accountMonth, .month, .account, false),
             (.categoryMonth, .month, .category, false): true
        default: false
        }
        if rowPerGroup {
            return """
                SELECT \(bucketExpression) AS bucket, \(keyExpression) AS k, \(account) AS a, s.orders AS orders, s.lines AS lines,
                       s.revenue_minor AS revenue, s.cost_minor AS cost, s.quantity_milli AS quantity
                FROM \(from) WHERE \(conditions.joined(separator: " AND "))
                """
        }
        // SQLite reads a literal number in GROUP BY as a column position, so constant parts are left out of it; an empty
        // group is then the whole, which HAVING drops when no row matched.
        let groups = [(bucket != .total, bucketExpression), (key != .none, keyExpression), (perAccount, account)].filter(\.0).map(\.1)
        let grouping: SQLQueryString = groups.isEmpty ? "" : "GROUP BY \(groups.joined(separator: ", "))"
        return """
            SELECT \(bucketExpression) AS bucket, \(keyExpression) AS k, \(account) AS a, \(sums)
            FROM \(from) WHERE \(conditions.joined(separator: " AND ")) \(grouping) HAVING COUNT(*) > 0
            """
    }

    /// A subquery for the ids of `category` and every category under it.
    static func categorySubtree(_ category: ProductCategory.ID) -> SQLQueryString {
        """
        WITH RECURSIVE subtree (id) AS (
            SELECT id FROM product_categories WHERE id = \(bind: category.rawValue)
            UNION ALL SELECT c.id FROM product_categories c JOIN subtree s ON c.parent_id = s.id
        ) SELECT id FROM subtree
        """
    }
}

/// Where a part of a window is read from.
private enum SalesSource {
    case day, ownerDay, month, ownerMonth, productMonth, accountMonth, categoryDay, categoryMonth, regionChannelMonth, lines
}
