import KvotaCore
import SQLKit

/// One account's orders in one month: the unit the sales roll-ups are recomputed in. A change to an order names the
/// slices it touched, before and after, and those are recomputed from the orders themselves in the same transaction.
/// Recomputing rather than adding differences keeps the roll-ups exact by construction: the same statements that build
/// them from nothing (`rebuild`) rebuild a slice, and `kvota verify` compares the two.
struct SalesSlice: Hashable, Comparable, Sendable {
    let accountID: Int64
    /// YYYYMM.
    let month: Int

    init(accountID: Int64, day: Int) {
        self.accountID = accountID
        self.month = day / 100
    }

    static func < (a: SalesSlice, b: SalesSlice) -> Bool { (a.accountID, a.month) < (b.accountID, b.month) }
}

/// Keeps `sales_day`, `sales_month`, `sales_customers` (migration 14) and `sales_owner_month` (migration 16) equal to
/// what the orders say.
enum SalesRollups {
    static let tables = ["sales_day", "sales_month", "sales_customers", "sales_owner_month"]

    /// Orders that are sales (METRICS.md "Revenue": cancelled orders excluded; a draft is not a sale yet).
    static func counted(_ row: String = "o") -> SQLQueryString { "\(ident: row).status NOT IN ('draft', 'cancelled')" }

    /// Empties the roll-ups and fills them from every order (migration, demo load, `kvota verify --repair`).
    static func rebuild(in sql: any SQLDatabase) async throws {
        for table in tables { try await sql.raw("DELETE FROM \(ident: table)").run() }
        try await insert(orders: "1 = 1", in: sql)
        try await sql.raw("""
            INSERT INTO sales_owner_month (\(unsafeRaw: ownerMonthColumns)) \(ownerMonthSums(of: "1 = 1", sign: ""))
            """).run()
        // Account ranges keep the days read at once to a few hundred thousand however large the history.
        let last = try await sql.raw("SELECT MAX(account_id) AS n FROM sales_day").first()?.decode(column: "n", as: Int64?.self) ?? nil
        for start in stride(from: Int64(0), through: last ?? -1, by: 20_000) {
            try await insertCustomers("account_id BETWEEN \(bind: start) AND \(bind: start + 19_999)", in: sql)
        }
    }

    /// Recomputes the rows of `slices` from their orders.
    static func refresh(_ slices: Set<SalesSlice>, in sql: any SQLDatabase) async throws {
        // PostgreSQL takes no empty `IN ()`.
        guard !slices.isEmpty else { return }
        let ordered = slices.sorted()
        // Each slice is an index range of its own (orders by account and date, the roll-ups by account): OR-ed ranges
        // stay index lookups on both engines, where a join with a list of slices may be planned as a scan.
        for start in stride(from: 0, to: ordered.count, by: 200) {
            let chunk = ordered[start..<min(start + 200, ordered.count)]
            let days = ranges(chunk, account: "account_id", day: "day")
            // The owner months hold every account's sums: the slices' old sums come off, their new ones go on.
            try await addOwnerMonths(of: days, sign: "-", in: sql)
            try await sql.raw("DELETE FROM sales_day WHERE \(days)").run()
            try await sql.raw("DELETE FROM sales_month WHERE \(monthRanges(chunk))").run()
            try await insert(orders: ranges(chunk, account: "o.account_id", day: "o.ordered_on"), in: sql)
            try await addOwnerMonths(of: days, sign: "", in: sql)
        }
        // A sales_day row holds at least one order, so an owner month without orders holds nothing.
        let months = Set(slices.map(\.month)).sorted().map { Int64($0) }
        try await sql.raw("DELETE FROM sales_owner_month WHERE orders = 0 AND month IN \(SQLQueryString.list(months[...]))").run()
        let accounts = Set(slices.map(\.accountID)).sorted()
        for start in stride(from: 0, to: accounts.count, by: 500) {
            let list = SQLQueryString.list(accounts[start..<min(start + 500, accounts.count)])
            try await sql.raw("DELETE FROM sales_customers WHERE account_id IN \(list)").run()
            try await insertCustomers("account_id IN \(list)", in: sql)
        }
    }

    /// `sales_customers`' rows for the accounts meeting `condition`: first and last order day and the rhythm, from
    /// their `sales_day` days (the median is worked out here; neither engine has one that both share).
    private static func insertCustomers(_ condition: SQLQueryString, in sql: any SQLDatabase) async throws {
        let rows = try await sql.raw("""
            SELECT account_id, day FROM sales_day WHERE \(condition) GROUP BY account_id, day ORDER BY account_id, day
            """).all()
        var days: [Int64: [LocalDate]] = [:]
        for row in rows { days[try row.decode(column: "account_id", as: Int64.self), default: []].append(try LocalDate(key: try row.decode(column: "day", as: Int.self))) }
        let customers = days.keys.sorted().map { account in customer(account, days: days[account]!) }
        for start in stride(from: 0, to: customers.count, by: 500) {
            let values = customers[start..<min(start + 500, customers.count)].map { c -> SQLQueryString in
                "(\(bind: c.account), \(bind: c.first), \(bind: c.last), \(bind: c.medianGap))"
            }
            try await sql.raw("INSERT INTO sales_customers (\(unsafeRaw: customerColumns)) VALUES \(values.joined(separator: ", "))").run()
        }
    }

    struct CustomerRow: Hashable, Sendable {
        let account: Int64
        let first: Int
        let last: Int
        let medianGap: Double?
    }

    /// One customer's row from their order days, ascending (never empty: a customer has at least one).
    static func customer(_ account: Int64, days: [LocalDate]) -> CustomerRow {
        CustomerRow(account: account, first: days.first!.key, last: days.last!.key, medianGap: Retention.medianGap(days))
    }

    private static func addOwnerMonths(of days: SQLQueryString, sign: String, in sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO sales_owner_month (\(unsafeRaw: ownerMonthColumns)) \(ownerMonthSums(of: days, sign: sign))
            ON CONFLICT (month, owner_id, region_id, channel_id) DO UPDATE SET
                orders = sales_owner_month.orders + excluded.orders, lines = sales_owner_month.lines + excluded.lines,
                revenue_minor = sales_owner_month.revenue_minor + excluded.revenue_minor,
                cost_minor = sales_owner_month.cost_minor + excluded.cost_minor,
                quantity_milli = sales_owner_month.quantity_milli + excluded.quantity_milli
            """).run()
    }

    /// The slices the orders `ids` sit in now (read before a change and after it).
    static func slices(ofOrders ids: some Collection<Int64>, in sql: any SQLDatabase) async throws -> Set<SalesSlice> {
        var slices = Set<SalesSlice>()
        let ids = Array(ids)
        for start in stride(from: 0, to: ids.count, by: 500) {
            let rows = try await sql.raw("""
                SELECT DISTINCT account_id, ordered_on FROM orders WHERE id IN \(SQLQueryString.list(ids[start..<min(start + 500, ids.count)]))
                """).all()
            for row in rows {
                slices.insert(SalesSlice(accountID: try row.decode(column: "account_id", as: Int64.self),
                                         day: try row.decode(column: "ordered_on", as: Int.self)))
            }
        }
        return slices
    }

    /// The slices of every order of `accounts` (a merge moves them all).
    static func slices(ofAccounts accounts: [Int64], in sql: any SQLDatabase) async throws -> Set<SalesSlice> {
        guard !accounts.isEmpty else { return [] }
        let rows = try await sql.raw("""
            SELECT DISTINCT account_id, ordered_on FROM orders WHERE account_id IN \(SQLQueryString.list(accounts[...]))
            """).all()
        return Set(try rows.map {
            SalesSlice(accountID: try $0.decode(column: "account_id", as: Int64.self), day: try $0.decode(column: "ordered_on", as: Int.self))
        })
    }

    // MARK: - Statements

    static let dayColumns = "day, account_id, owner_id, region_id, channel_id, orders, lines, revenue_minor, cost_minor, quantity_milli"
    static let monthColumns = """
        month, product_id, account_id, owner_id, region_id, channel_id, orders, lines, revenue_minor, cost_minor, quantity_milli
        """
    static let customerColumns = "account_id, first_day, last_day, median_gap_days"
    static let ownerMonthColumns = "month, owner_id, region_id, channel_id, orders, lines, revenue_minor, cost_minor, quantity_milli"

    /// `sales_day`'s rows meeting `condition` summed per month, owner, region and channel (`sign` "-" to take them off).
    static func ownerMonthSums(of condition: SQLQueryString, sign: String) -> SQLQueryString {
        let sum = { (column: String) -> SQLQueryString in "CAST(\(unsafeRaw: sign)SUM(\(unsafeRaw: column)) AS BIGINT)" }
        return """
            SELECT day / 100, owner_id, region_id, channel_id, \(sum("orders")), \(sum("lines")), \(sum("revenue_minor")),
                   \(sum("cost_minor")), \(sum("quantity_milli"))
            FROM sales_day WHERE \(condition) GROUP BY day / 100, owner_id, region_id, channel_id
            """
    }

    private static let dims: SQLQueryString = "o.account_id, COALESCE(o.owner_id, 0), COALESCE(o.region_id, 0), COALESCE(o.channel_id, 0)"
    // PostgreSQL sums BIGINT into NUMERIC; the casts keep both engines' sums 64-bit integers.
    private static let sums: SQLQueryString = """
        CAST(COALESCE(SUM(l.net_base_minor), 0) AS BIGINT), CAST(COALESCE(SUM(l.cost_base_minor), 0) AS BIGINT),
        CAST(COALESCE(SUM(l.quantity_milli), 0) AS BIGINT)
        """

    /// `sales_day`'s rows for the orders meeting `condition`, from the orders and their lines.
    static func daySelect(_ condition: SQLQueryString) -> SQLQueryString {
        """
        SELECT o.ordered_on, \(dims), COUNT(DISTINCT o.id), COUNT(l.id), \(sums)
        FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
        WHERE \(counted()) AND (\(condition))
        GROUP BY o.ordered_on, \(dims)
        """
    }

    /// `sales_month`'s rows for the orders meeting `condition`.
    static func monthSelect(_ condition: SQLQueryString) -> SQLQueryString {
        """
        SELECT o.ordered_on / 100, l.product_id, \(dims), COUNT(DISTINCT o.id), COUNT(l.id), \(sums)
        FROM orders o JOIN order_lines l ON l.order_id = o.id
        WHERE \(counted()) AND (\(condition))
        GROUP BY o.ordered_on / 100, l.product_id, \(dims)
        """
    }

    /// `sales_owner_month`'s rows straight from the orders (the checker's side).
    static let ownerMonthSelect: SQLQueryString = """
        SELECT o.ordered_on / 100, COALESCE(o.owner_id, 0), COALESCE(o.region_id, 0), COALESCE(o.channel_id, 0), COUNT(DISTINCT o.id),
               COUNT(l.id), \(sums)
        FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
        WHERE \(counted())
        GROUP BY o.ordered_on / 100, COALESCE(o.owner_id, 0), COALESCE(o.region_id, 0), COALESCE(o.channel_id, 0)
        """

    private static func insert(orders condition: SQLQueryString, in sql: any SQLDatabase) async throws {
        try await sql.raw("INSERT INTO sales_day (\(unsafeRaw: dayColumns)) \(daySelect(condition))").run()
        try await sql.raw("INSERT INTO sales_month (\(unsafeRaw: monthColumns)) \(monthSelect(condition))").run()
    }

    /// `(account = ? AND day BETWEEN first AND last of the month) OR …` over the day-keyed columns given.
    private static func ranges(_ slices: ArraySlice<SalesSlice>, account: String, day: String) -> SQLQueryString {
        slices.map { slice -> SQLQueryString in
            "(\(unsafeRaw: account) = \(bind: slice.accountID) AND \(unsafeRaw: day) BETWEEN \(bind: slice.month * 100) AND \(bind: slice.month * 100 + 99))"
        }.joined(separator: " OR ")
    }

    private static func monthRanges(_ slices: ArraySlice<SalesSlice>) -> SQLQueryString {
        slices.map { slice -> SQLQueryString in "(account_id = \(bind: slice.accountID) AND month = \(bind: slice.month))" }
            .joined(separator: " OR ")
    }
}

extension SQLQueryString {
    /// `(?, ?, …)` binding each id.
    static func list(_ ids: ArraySlice<Int64>) -> SQLQueryString {
        "\(SQLGroupExpression(SQLList(ids.map { SQLBind($0) })))"
    }
}
