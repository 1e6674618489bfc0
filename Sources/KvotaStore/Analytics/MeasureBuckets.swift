import KvotaCore
import SQLKit

extension Database {
    /// A measure's values per key over the plan's months and days: order measures from the sales roll-ups, deals won
    /// from the deals closed as won (by their closing day), new customers from each account's first order.
    /// `only`: just these keys (an order measure; see `sales`).
    public func buckets(_ measure: SalesMeasure, for actor: Actor, filter: AnalyticsFilter, key: SalesKey,
                        plan: SalesBuckets.Plan, only: [Int64]? = nil) async throws -> SalesBuckets {
        switch measure {
        case .revenue, .margin, .quantity, .orders:
            return try await plannedSales(for: actor, filter: filter, key: key, plan: plan, distinctOrders: measure == .orders, only: only)
                .buckets(measure, plan: plan)
        case .dealsWon, .newCustomers:
            try Self.refuseProductSplit(measure.rawValue, filter: filter, key: key)
            precondition(only == nil, "deals and first orders are read for every key")
            var buckets = SalesBuckets(plan: plan)
            let windows = plan.months.map { (DateWindow(months: $0), true) } + plan.days.map { ($0, false) }
            for (window, byMonth) in windows {
                let rows = measure == .dealsWon
                    ? try await dealsWon(for: actor, filter: filter, window: window, key: key)
                    : try await newCustomers(for: actor, filter: filter, window: window, key: key)
                for row in rows {
                    if byMonth { buckets.add(month: row.day / 100, key: row.key, row.count) } else { buckets.add(day: row.day, key: row.key, row.count) }
                }
            }
            buckets.finish()
            return buckets
        }
    }

    /// The order sums a plan reads, whole months by month and the days it reads by day, every measure at once: for an
    /// analysis that needs a window's totals and a measure's buckets, read once (product profitability). The plan's
    /// windows are read side by side: one after the other, a year of products by month at scale L on PostgreSQL waited
    /// for its three cut months' lines in turn (60 + 64 + 155 ms).
    public func plannedSales(for actor: Actor, filter: AnalyticsFilter, key: SalesKey, plan: SalesBuckets.Plan,
                             distinctOrders: Bool = false, only: [Int64]? = nil) async throws -> PlannedSales {
        let windows = plan.months.map { (DateWindow(months: $0), SalesBucket.month) } + plan.days.map { ($0, SalesBucket.day) }
        let read = try await withThrowingTaskGroup(of: (Int, [SalesRow]).self) { group in
            for (index, (window, bucket)) in windows.enumerated() {
                group.addTask {
                    (index, try await self.sales(for: actor, filter: filter, window: window, bucket: bucket, key: key, distinctOrders: distinctOrders,
                                          only: only))
                }
            }
            var read = [[SalesRow]](repeating: [], count: windows.count)
            for try await (index, rows) in group { read[index] = rows }
            return read
        }
        var planned = PlannedSales()
        // The first list is taken as it is: appending it to an empty one copied a director's 550 000 customer months.
        func join(_ list: inout [SalesRow], _ more: [SalesRow]) { if list.isEmpty { list = more } else { list += more } }
        for (index, rows) in read.enumerated() {
            if windows[index].1 == .month { join(&planned.months, rows) } else { join(&planned.days, rows) }
        }
        return planned
    }

    /// Deals and first orders are not split by product: a category filter or a product key would count a whole
    /// deal or customer under a part of it.
    static func refuseProductSplit(_ what: String, filter: AnalyticsFilter, key: SalesKey) throws {
        var errors = ValidationFailure.Collector()
        errors.check(filter.categoryID == nil, "category", "\(what) is not split by product category")
        errors.check(key != .product && key != .category, "by", "\(what) is not split by product or category")
        try errors.finish()
    }

    /// Deals won per closing day (company time zone) and key. A deal's region and channel are its account's.
    func dealsWon(for actor: Actor, filter: AnalyticsFilter, window: DateWindow, key: SalesKey) async throws -> [(day: Int, key: Int64, count: Int64)] {
        let keyExpression: SQLQueryString = switch key {
        case .none, .product, .category: "0"
        case .owner: "d.owner_id"
        case .region: "COALESCE(a.region_id, 0)"
        case .channel: "COALESCE(a.channel_id, 0)"
        case .account: "d.account_id"
        }
        var conditions: [SQLQueryString] = [
            RecordAccess.condition(actor, .list, .deal, row: "d"), "d.status = 'won'",
            "d.closed_on BETWEEN \(bind: window.from.key) AND \(bind: window.through.key)",
        ]
        conditions += Self.ownerFilters(filter, owner: "d.owner_id")
        if let region = filter.regionID { conditions.append("a.region_id IN (\(Self.regionSubtree(region)))") }
        if let channel = filter.channelID { conditions.append("a.channel_id = \(bind: channel.rawValue)") }
        if let accounts = filter.accountIDs { conditions.append("d.account_id IN \(SQLQueryString.list(accounts[...]))") }
        // A literal 0 in GROUP BY would be read as a column position by SQLite.
        let grouping: SQLQueryString = key == .none ? "d.closed_on" : "d.closed_on, \(keyExpression)"
        return try await read { sql in
            try await sql.raw("""
                SELECT d.closed_on AS day, \(keyExpression) AS k, COUNT(*) AS n
                FROM deals d \(Self.accountJoin(needed: key == .region || key == .channel || filter.regionID != nil || filter.channelID != nil))
                WHERE \(conditions.joined(separator: " AND ")) GROUP BY \(grouping)
                """).all().map {
                (try $0.decode(column: "day", as: Int.self), try $0.decode(column: "k", as: Int64.self), try $0.decode(column: "n", as: Int64.self))
            }
        }
    }

    /// Accounts whose first order ever falls on each day (METRICS.md "new (first order ever in the period)"), by the
    /// owner, region and channel of that first order. An account whose first day had orders under two owners counts
    /// once, under the lowest key. A count of every order's customers reads the keys `sales_customers` keeps for the
    /// first day; a filtered one looks at the first day's orders, for the lowest key among those the filter keeps.
    func newCustomers(for actor: Actor, filter: AnalyticsFilter, window: DateWindow, key: SalesKey) async throws -> [(day: Int, key: Int64, count: Int64)] {
        if AccessPolicy.scope(actor, .list, .order) == .all && !filter.byOwner && filter.regionID == nil
            && filter.channelID == nil && filter.accountIDs == nil {
            let keyExpression: SQLQueryString = switch key {
            case .none, .product, .category: "0"
            case .owner: "first_owner_id"
            case .region: "first_region_id"
            case .channel: "first_channel_id"
            case .account: "account_id"
            }
            let rows = try await integerRows(["""
                SELECT first_day AS day, \(keyExpression) AS k, COUNT(*) AS n FROM sales_customers
                WHERE first_day BETWEEN \(bind: window.from.key) AND \(bind: window.through.key)
                GROUP BY first_day\(unsafeRaw: key == .none || key == .product || key == .category ? "" : ", k")
                """], columns: ["day", "k", "n"])
            return (0..<rows.count).map { (Int(rows[$0, 0]), rows[$0, 1], rows[$0, 2]) }
        }
        let keyExpression: SQLQueryString = switch key {
        case .none, .product, .category: "0"
        case .owner: "s.owner_id"
        case .region: "s.region_id"
        case .channel: "s.channel_id"
        case .account: "s.account_id"
        }
        let conditions = Self.firstDayConditions(for: actor, filter: filter, window: window)
        return try await read { sql in
            try await sql.raw("""
                SELECT day, k, COUNT(*) AS n FROM (
                    SELECT c.first_day AS day, c.account_id, MIN(\(keyExpression)) AS k
                    FROM sales_customers c JOIN sales_day s ON s.account_id = c.account_id AND s.day = c.first_day
                    WHERE \(conditions.joined(separator: " AND ")) GROUP BY c.first_day, c.account_id
                ) f GROUP BY day, k
                """).all().map {
                (try $0.decode(column: "day", as: Int.self), try $0.decode(column: "k", as: Int64.self), try $0.decode(column: "n", as: Int64.self))
            }
        }
    }

    /// How many customers had their first order ever in the window under each of the filter's managers
    /// (`managerIDs`), as `newCustomers` counts them with each one alone as the filter: a customer whose first day had
    /// orders under two of them is new to both (`newCustomers` by owner would count it once, under the lower id).
    func newCustomersOfEachManager(for actor: Actor, filter: AnalyticsFilter, window: DateWindow) async throws -> [Int64: Int64] {
        precondition(filter.managerIDs != nil, "the managers to count for")
        let conditions = Self.firstDayConditions(for: actor, filter: filter, window: window)
        let rows = try await integerRows(["""
            SELECT s.owner_id AS k, COUNT(DISTINCT c.account_id) AS n
            FROM sales_customers c JOIN sales_day s ON s.account_id = c.account_id AND s.day = c.first_day
            WHERE \(conditions.joined(separator: " AND ")) GROUP BY s.owner_id
            """], columns: ["k", "n"])
        return Dictionary(uniqueKeysWithValues: (0..<rows.count).map { (rows[$0, 0], rows[$0, 1]) })
    }

    /// The conditions on a customer's first day (`c`) and that day's sales (`s`) a filtered count of new customers reads.
    private static func firstDayConditions(for actor: Actor, filter: AnalyticsFilter, window: DateWindow) -> [SQLQueryString] {
        var conditions: [SQLQueryString] = [
            RecordAccess.condition(actor, .list, .order, row: "s"),
            "c.first_day BETWEEN \(bind: window.from.key) AND \(bind: window.through.key)",
        ]
        conditions += ownerFilters(filter, owner: "s.owner_id")
        if let region = filter.regionID { conditions.append("s.region_id IN (\(regionSubtree(region)))") }
        if let channel = filter.channelID { conditions.append("s.channel_id = \(bind: channel.rawValue)") }
        if let accounts = filter.accountIDs { conditions.append("s.account_id IN \(SQLQueryString.list(accounts[...]))") }
        return conditions
    }

    /// New customers per key over the window (each account once, under its first order's key).
    public func newCustomerCounts(for actor: Actor, filter: AnalyticsFilter, window: DateWindow, key: SalesKey) async throws -> [Int64: Int] {
        var counts: [Int64: Int] = [:]
        for row in try await newCustomers(for: actor, filter: filter, window: window, key: key) { counts[row.key, default: 0] += Int(row.count) }
        return counts
    }

    /// The deal's account, joined only when its region or channel is asked about: a lookup per deal otherwise wasted.
    static func accountJoin(needed: Bool) -> SQLQueryString {
        needed ? "JOIN accounts a ON a.id = d.account_id" : ""
    }

    /// The manager and team filters over an owner column.
    static func ownerFilters(_ filter: AnalyticsFilter, owner: String) -> [SQLQueryString] {
        var conditions: [SQLQueryString] = []
        if let manager = filter.managerID { conditions.append("\(unsafeRaw: owner) = \(bind: manager.rawValue)") }
        if let managers = filter.managerIDs { conditions.append("\(unsafeRaw: owner) IN \(SQLQueryString.list(managers.map(\.rawValue)[...]))") }
        if let team = filter.teamID { conditions.append("\(unsafeRaw: owner) IN (SELECT id FROM users WHERE team_id = \(bind: team.rawValue))") }
        return conditions
    }
}

/// The rows of `Database.plannedSales`: sums per key and whole month (`months`, bucket YYYYMM) and per key and day of
/// the days the plan reads by day (`days`, bucket YYYYMMDD).
public struct PlannedSales: Sendable {
    public var months: [SalesRow] = []
    public var days: [SalesRow] = []

    /// One measure's buckets, as `Database.buckets` reads them.
    public func buckets(_ measure: SalesMeasure, plan: SalesBuckets.Plan) -> SalesBuckets {
        var buckets = SalesBuckets(plan: plan)
        for row in months { buckets.add(month: row.bucket, key: row.key, row.totals.value(measure)) }
        for row in days { buckets.add(day: row.bucket, key: row.key, row.totals.value(measure)) }
        buckets.finish()
        return buckets
    }

    /// Each key's values of `measure` over `ranges`, the parts of a window's calendar months in order (range `i` inside
    /// the `i`-th month from the first), read by the plan of exactly those ranges: a whole month's row falls in its
    /// month's range, a day's row in its month's range when the range holds it. The values `buckets(measure,
    /// plan:).series(key, over: ranges)` gives, summed straight into one table instead of a list of points per key and a
    /// search per range: an XYZ of every customer at scale L is 60 000 customers × 13 months. Keys in order; nil when
    /// the ranges are not such parts.
    public func monthlySeries(_ measure: SalesMeasure, over ranges: [DateWindow]) -> [(id: Int64, monthly: [Int64])]? {
        guard let first = ranges.first?.from.monthKey else { return [] }
        func place(ofMonth month: Int) -> Int { (month / 100 - first / 100) * 12 + month % 100 - first % 100 }
        guard ranges.enumerated().allSatisfy({ place(ofMonth: $1.from.monthKey) == $0 && $1.through.monthKey == $1.from.monthKey }) else {
            return nil
        }
        let width = ranges.count
        // About as many keys as a month holds, twice over: growing a table of 60 000 × 13 a doubling at a time was a tenth.
        let keys = 2 * (months.count + days.count) / width + 16
        var lowest = Int64.max, highest = Int64.min
        for row in months { lowest = min(lowest, row.key); highest = max(highest, row.key) }
        for row in days { lowest = min(lowest, row.key); highest = max(highest, row.key) }
        var slots = KeySlots(lowest: lowest, highest: highest, expected: keys), values: [Int64] = []
        values.reserveCapacity(keys * width)
        func add(_ key: Int64, at place: Int, _ value: Int64) {
            let (slot, new) = slots.slot(of: key)
            if new { values.append(contentsOf: repeatElement(0, count: width)) }
            values[slot * width + place] += value
        }
        for row in months {
            let at = place(ofMonth: row.bucket)
            if ranges.indices.contains(at) { add(row.key, at: at, row.totals.value(measure)) }
        }
        for row in days {
            let at = place(ofMonth: row.bucket / 100)
            if ranges.indices.contains(at) && row.bucket >= ranges[at].from.key && row.bucket <= ranges[at].through.key {
                add(row.key, at: at, row.totals.value(measure))
            }
        }
        return slots.inKeyOrder().map { key, slot in (key, Array(values[slot * width..<(slot + 1) * width])) }
    }

    /// Every key's sums over `window`, which must be the union of the ranges of `plan`: its whole months and the days
    /// inside it of the other months. The same keys and sums as `Database.salesTotals` over the window.
    public func totals(over window: DateWindow, plan: SalesBuckets.Plan) -> [Int64: SalesTotals] {
        var totals: [Int64: SalesTotals] = [:]
        for row in months { totals[row.key, default: .zero] += row.totals }
        let from = window.from.key, through = window.through.key
        for row in days where row.bucket >= from && row.bucket <= through && !plan.months.contains(where: { $0.contains(row.bucket / 100) }) {
            totals[row.key, default: .zero] += row.totals
        }
        return totals
    }
}
