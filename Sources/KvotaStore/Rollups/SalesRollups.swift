import KvotaCore
import SQLKit

/// What taking orders' share off the roll-ups touched: where rows may have come to hold no order, and whose customer
/// rows to work out again.
struct SalesChange: Sendable {
    fileprivate(set) var accounts = Set<Int64>()
    fileprivate(set) var owners = Set<Int64>()
    fileprivate(set) var months = Set<Int64>()
    fileprivate(set) var days = Set<Int64>()
    fileprivate(set) var products = Set<Int64>()

    /// Notes where an order held in memory sits, as `SalesRollups.takeOff` does for orders it reads.
    mutating func note(_ order: Order, lines: [OrderLine]) {
        accounts.insert(order.accountID.rawValue)
        owners.insert(order.ownerID?.rawValue ?? 0)
        days.insert(Int64(order.orderedOn.key))
        months.insert(Int64(order.orderedOn.key) / 100)
        for line in lines { products.insert(line.productID.rawValue) }
    }
}

/// Keeps `sales_day`, `sales_month`, `sales_customers` (migration 14), `sales_owner_month` (migration 16),
/// `sales_product_month`, `sales_account_month` (migration 32), `sales_owner_day` (migration 34), `sales_category_day`,
/// `sales_category_month` (migration 41) and `sales_region_channel_month` (migration 43) equal to what the orders say,
/// in the transaction that changes the orders, by difference: a change takes the changed orders' share off every sum
/// before it writes (`takeOff`) and puts the orders' share back on after (`putOn`). Every sum is additive over orders (an order sits in one day, account, owner,
/// region and channel; a line in one product), so the difference is exact, and it reads only the orders that changed:
/// recomputing whole account-months from all their orders took two thirds of an import's time (docs/performance.md,
/// "Import"). The share is worked out by the same statements that build the tables from nothing (`rebuild`), and
/// `kvota verify` compares the two. The order import, which holds every order it changes in memory, sums the same
/// difference itself (`SalesDelta`).
enum SalesRollups {
    /// The tables of migrations 14 and 16, then the narrower sums of every order added since (32, 34 and 43), and the
    /// sums per product category (41).
    static let wideTables = ["sales_day", "sales_month", "sales_customers", "sales_owner_month"]
    static let tables = wideTables + ["sales_product_month", "sales_account_month", "sales_owner_day", "sales_region_channel_month"]
        + categoryTables
    static let categoryTables = ["sales_category_day", "sales_category_month"]

    /// The roll-ups summed over orders, each with its key (its primary key's columns) and the statement that sums it
    /// for some orders: the one list the statements' difference (`add`), the import's (`SalesDelta`) and `kvota verify`
    /// (`checkRollups`) go through.
    enum Summed: Int, CaseIterable {
        case day, month, ownerMonth, productMonth, accountMonth, ownerDay, categoryDay, categoryMonth, regionChannelMonth

        /// The sums per category an order's lines fall in: the only ones a product's move to another category changes.
        static let ofCategories: [Summed] = [.categoryDay, .categoryMonth]

        var table: String {
            switch self {
            case .day: "sales_day"
            case .month: "sales_month"
            case .ownerMonth: "sales_owner_month"
            case .productMonth: "sales_product_month"
            case .accountMonth: "sales_account_month"
            case .ownerDay: "sales_owner_day"
            case .categoryDay: "sales_category_day"
            case .categoryMonth: "sales_category_month"
            case .regionChannelMonth: "sales_region_channel_month"
            }
        }

        var key: String {
            switch self {
            case .day: dayKey
            case .month: monthKey
            case .ownerMonth: ownerMonthKey
            case .productMonth: productMonthKey
            case .accountMonth: accountMonthKey
            case .ownerDay: ownerDayKey
            case .categoryDay: categoryDayKey
            case .categoryMonth: categoryMonthKey
            case .regionChannelMonth: regionChannelMonthKey
            }
        }

        var columns: String { key + ", " + measureColumns.joined(separator: ", ") }

        /// The table's rows for the orders meeting `condition`, negated with `sign` "-".
        func select(_ condition: SQLQueryString, sign: String = "") -> SQLQueryString {
            switch self {
            case .day: daySelect(condition, sign: sign)
            case .month: monthSelect(condition, sign: sign)
            case .ownerMonth: ownerMonthSelect(condition, sign: sign)
            case .productMonth: productMonthSelect(condition, sign: sign)
            case .accountMonth: accountMonthSelect(condition, sign: sign)
            case .ownerDay: ownerDaySelect(condition, sign: sign)
            case .categoryDay: categoryDaySelect(condition, sign: sign)
            case .categoryMonth: categoryMonthSelect(condition, sign: sign)
            case .regionChannelMonth: regionChannelMonthSelect(condition, sign: sign)
            }
        }
    }

    /// Orders that are sales (METRICS.md "Revenue": cancelled orders excluded; a draft is not a sale yet).
    static func counted(_ row: String = "o") -> SQLQueryString { "\(ident: row).status NOT IN ('draft', 'cancelled')" }

    /// Empties the roll-ups and fills them from every order (migration, demo load, `kvota verify --repair`).
    /// `narrow` false rebuilds only `wideTables`, for migration 16, which runs before the others exist, and leaves out
    /// the first order's keys of `sales_customers`, which migration 44 adds and fills.
    static func rebuild(in sql: any SQLDatabase, narrow: Bool = true) async throws {
        if narrow {
            // First, so the triggers that drop a changed month's packed row (migrations 39, 40 and 42) find none to drop for
            // each row deleted next. (Migration 16 rebuilds before those tables exist.)
            for kind in PackedSalesMonths.allCases { try await sql.raw("DELETE FROM \(ident: kind.table)").run() }
        }
        for table in wideTables { try await sql.raw("DELETE FROM \(ident: table)").run() }
        try await sql.raw("INSERT INTO sales_day (\(unsafeRaw: Summed.day.columns)) \(daySelect("1 = 1"))").run()
        try await sql.raw("INSERT INTO sales_month (\(unsafeRaw: Summed.month.columns)) \(monthSelect("1 = 1"))").run()
        try await sql.raw("INSERT INTO sales_owner_month (\(unsafeRaw: Summed.ownerMonth.columns)) \(ownerMonthsOfDays)").run()
        if narrow {
            try await rebuildNarrowMonths(in: sql)
            try await rebuildOwnerDays(in: sql)
            try await rebuildRegionChannelMonths(in: sql)
            try await rebuildCategories(in: sql)
        }
        // Account ranges keep the days read at once to a few hundred thousand however large the history.
        let last = try await sql.raw("SELECT MAX(account_id) AS n FROM sales_day").first()?.decode(column: "n", as: Int64?.self) ?? nil
        for start in stride(from: Int64(0), through: last ?? -1, by: 20_000) {
            try await insertCustomers("account_id BETWEEN \(bind: start) AND \(bind: start + 19_999)", firstKeys: narrow, in: sql)
        }
    }

    /// Fills `sales_product_month` and `sales_account_month` from `sales_month` and `sales_day` (each a coarser
    /// grouping of one of them: every order sits in one account and month, every line in one product).
    static func rebuildNarrowMonths(in sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM sales_product_month").run()
        try await sql.raw("DELETE FROM sales_account_month").run()
        try await sql.raw("""
            INSERT INTO sales_product_month (\(unsafeRaw: Summed.productMonth.columns))
            SELECT month, product_id, \(summed) FROM sales_month GROUP BY month, product_id
            """).run()
        try await sql.raw("""
            INSERT INTO sales_account_month (\(unsafeRaw: Summed.accountMonth.columns))
            SELECT account_id, day / 100, \(summed) FROM sales_day GROUP BY account_id, day / 100
            """).run()
    }

    /// Fills `sales_owner_day` from `sales_day`.
    static func rebuildOwnerDays(in sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM sales_owner_day").run()
        try await sql.raw("""
            INSERT INTO sales_owner_day (\(unsafeRaw: Summed.ownerDay.columns))
            SELECT day, owner_id, \(summed) FROM sales_day GROUP BY day, owner_id
            """).run()
    }

    /// Fills `sales_region_channel_month` from `sales_owner_month`.
    static func rebuildRegionChannelMonths(in sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM sales_region_channel_month").run()
        try await sql.raw("""
            INSERT INTO sales_region_channel_month (\(unsafeRaw: Summed.regionChannelMonth.columns))
            SELECT month, region_id, channel_id, \(summed) FROM sales_owner_month GROUP BY month, region_id, channel_id
            """).run()
    }

    /// Fills `sales_category_day` from the orders and their lines, and `sales_category_month` from it (an order sits in
    /// one day, so its count per category adds up over days).
    static func rebuildCategories(in sql: any SQLDatabase) async throws {
        for table in categoryTables { try await sql.raw("DELETE FROM \(ident: table)").run() }
        try await sql.raw("INSERT INTO sales_category_day (\(unsafeRaw: Summed.categoryDay.columns)) \(categoryDaySelect("1 = 1"))").run()
        try await sql.raw("""
            INSERT INTO sales_category_month (\(unsafeRaw: Summed.categoryMonth.columns))
            SELECT day / 100, category_id, \(summed) FROM sales_category_day GROUP BY day / 100, category_id
            """).run()
    }

    /// Runs `move` (which changes the category of `product`) between taking the share of every order holding the
    /// product off the category sums and putting it back on: an order's count per category depends on the categories of
    /// all its lines, so the orders are summed whole. A product's history moves with it, as it does for every other
    /// analysis, which folds products to their category when it reads.
    static func recategorize(product: Int64, in sql: any SQLDatabase, _ move: () async throws -> Void) async throws {
        let orders: SQLQueryString = "o.id IN (SELECT order_id FROM order_lines WHERE product_id = \(bind: product))"
        let days = try await sql.raw("""
            SELECT DISTINCT o.ordered_on AS day FROM orders o WHERE \(orders)
            """).all().map { try $0.decode(column: "day", as: Int64.self) }
        guard !days.isEmpty else { return try await move() }
        try await add(orders, sign: "-", to: Summed.ofCategories, in: sql)
        try await move()
        try await add(orders, sign: "", to: Summed.ofCategories, in: sql)
        try await deleteEmptyCategoryRows(days: Set(days), in: sql)
    }

    /// Every product's category (a few thousand rows), for sums per category made in memory (`SalesDelta`).
    static func productCategories(in sql: any SQLDatabase) async throws -> [Int64: Int64] {
        var categories: [Int64: Int64] = [:]
        for row in try await sql.raw("SELECT id, category_id FROM products").all() {
            categories[try row.decode(column: "id", as: Int64.self)] = try row.decode(column: "category_id", as: Int64.self)
        }
        return categories
    }

    /// Takes the share of the orders `ids` off every sum; call before they change or go.
    static func takeOff(orders ids: some Collection<Int64>, in sql: any SQLDatabase) async throws -> SalesChange {
        var change = SalesChange()
        for batch in batches(of: ids) {
            var accounts: Set<Int64> = []
            for row in try await sql.raw("""
                SELECT DISTINCT account_id, COALESCE(owner_id, 0) AS owner_id, ordered_on FROM orders WHERE \(batch.condition("id"))
                """).all() {
                accounts.insert(try row.decode(column: "account_id", as: Int64.self))
                change.owners.insert(try row.decode(column: "owner_id", as: Int64.self))
                let day = try row.decode(column: "ordered_on", as: Int64.self)
                change.days.insert(day)
                change.months.insert(day / 100)
            }
            try await lockCustomers(accounts, in: sql)
            change.accounts.formUnion(accounts)
            for row in try await sql.raw("SELECT DISTINCT product_id FROM order_lines WHERE \(batch.condition("order_id"))").all() {
                change.products.insert(try row.decode(column: "product_id", as: Int64.self))
            }
            try await add(batch.condition("o.id"), sign: "-", in: sql)
        }
        return change
    }

    /// Puts the share of the orders `ids` (as they are now) on every sum, drops the rows `change` left holding no
    /// order, and works out again the customer rows of every account either side touched.
    static func putOn(orders ids: some Collection<Int64>, after change: SalesChange = SalesChange(), in sql: any SQLDatabase) async throws {
        var accounts = change.accounts
        for batch in batches(of: ids) {
            var batchAccounts: Set<Int64> = []
            for row in try await sql.raw("SELECT DISTINCT account_id FROM orders WHERE \(batch.condition("id"))").all() {
                batchAccounts.insert(try row.decode(column: "account_id", as: Int64.self))
            }
            try await lockCustomers(batchAccounts.subtracting(accounts), in: sql)
            accounts.formUnion(batchAccounts)
            try await add(batch.condition("o.id"), sign: "", in: sql)
        }
        try await tidy(after: change, accounts: accounts, in: sql)
    }

    /// Locks the accounts whose sums a change is about to touch (PostgreSQL), before it touches any. `tidy` works a
    /// customer's row out again from `sales_day` by deleting and inserting it: two transactions doing so for one
    /// account at once both inserted (a duplicate key, `scripts/crash-test`), and one that read `sales_day` before the
    /// other committed would write a row that misses the other's orders. With the account locked first, the second
    /// waits for the first to commit and then reads its sums.
    static func lockCustomers(_ accounts: Set<Int64>, in sql: any SQLDatabase) async throws {
        try await sql.lockForChange("accounts", ids: accounts)
    }

    /// Drops the rows `change` left holding no order, and works out again the customer rows of `accounts`.
    static func tidy(after change: SalesChange, accounts: Set<Int64>, in sql: any SQLDatabase) async throws {
        // A row that holds no order holds nothing (every sum is over its orders' lines).
        try await forChunks(of: change.accounts) { list in
            try await sql.raw("DELETE FROM sales_day WHERE orders = 0 AND account_id IN \(list)").run()
            try await sql.raw("DELETE FROM sales_month WHERE orders = 0 AND account_id IN \(list)").run()
            try await sql.raw("DELETE FROM sales_account_month WHERE orders = 0 AND account_id IN \(list)").run()
        }
        if !change.months.isEmpty {
            let months = SQLQueryString.list(change.months.sorted()[...])
            try await forChunks(of: change.owners) { owners in
                try await sql.raw("""
                    DELETE FROM sales_owner_month WHERE orders = 0 AND owner_id IN \(owners) AND month IN \(months)
                    """).run()
            }
            try await sql.raw("DELETE FROM sales_region_channel_month WHERE orders = 0 AND month IN \(months)").run()
            try await forChunks(of: change.products) { products in
                try await sql.raw("""
                    DELETE FROM sales_product_month WHERE orders = 0 AND month IN \(months) AND product_id IN \(products)
                    """).run()
            }
        }
        // By day alone: a day holds a few hundred owners, and days × owners as two lists made the engine seek every pair.
        try await forChunks(of: change.days) { days in
            try await sql.raw("DELETE FROM sales_owner_day WHERE orders = 0 AND day IN \(days)").run()
        }
        try await deleteEmptyCategoryRows(days: change.days, in: sql)
        try await forChunks(of: accounts) { list in
            try await sql.raw("DELETE FROM sales_customers WHERE account_id IN \(list)").run()
            try await insertCustomers("account_id IN \(list)", in: sql)
        }
    }

    /// Drops the category rows of `days` (and their months) that hold no order.
    private static func deleteEmptyCategoryRows(days: Set<Int64>, in sql: any SQLDatabase) async throws {
        try await forChunks(of: days) { list in
            try await sql.raw("DELETE FROM sales_category_day WHERE orders = 0 AND day IN \(list)").run()
        }
        try await forChunks(of: Set(days.map { $0 / 100 })) { months in
            try await sql.raw("DELETE FROM sales_category_month WHERE orders = 0 AND month IN \(months)").run()
        }
    }

    /// `body` with `(?, ?, …)` of up to 500 of `ids` at a time (PostgreSQL takes no empty `IN ()`, so none for none).
    private static func forChunks(of ids: some Collection<Int64>, _ body: (SQLQueryString) async throws -> Void) async throws {
        let ids = ids.sorted()
        for start in stride(from: 0, to: ids.count, by: 500) {
            try await body(SQLQueryString.list(ids[start..<min(start + 500, ids.count)]))
        }
    }

    /// `ids` as batches of up to 500 terms: consecutive ids as one range, the rest as a list. An import's new orders have
    /// consecutive ids, so all their lines are summed in one statement per table, grouped in key order, instead of one
    /// per 500 orders at scattered keys.
    private static func batches(of ids: some Collection<Int64>) -> [IDBatch] {
        var runs: [ClosedRange<Int64>] = []
        for id in ids.sorted() {
            if let last = runs.last, last.upperBound + 1 >= id {
                runs[runs.count - 1] = last.lowerBound...id
            } else {
                runs.append(id...id)
            }
        }
        return stride(from: 0, to: runs.count, by: 500).map { IDBatch(runs: runs[$0..<min($0 + 500, runs.count)]) }
    }

    private struct IDBatch {
        let runs: ArraySlice<ClosedRange<Int64>>

        /// `column` holds one of the batch's ids.
        func condition(_ column: String) -> SQLQueryString {
            let single = runs.filter { $0.count == 1 }.map(\.lowerBound)
            var terms = runs.filter { $0.count > 1 }.map { run -> SQLQueryString in
                "\(unsafeRaw: column) BETWEEN \(bind: run.lowerBound) AND \(bind: run.upperBound)"
            }
            if !single.isEmpty { terms.append("\(unsafeRaw: column) IN \(SQLQueryString.list(single[...]))") }
            return "(\(terms.joined(separator: " OR ")))"
        }
    }

    /// Adds each summed table's rows for the orders meeting `condition` (negated with `sign` "-") to the table's, key
    /// by key; a row the table lacks goes in as it is.
    private static func add(_ condition: SQLQueryString, sign: String, to tables: [Summed] = Summed.allCases,
                            in sql: any SQLDatabase) async throws {
        for summed in tables {
            let sums = measureColumns.map { "\($0) = \(summed.table).\($0) + excluded.\($0)" }.joined(separator: ", ")
            try await sql.raw("""
                INSERT INTO \(ident: summed.table) (\(unsafeRaw: summed.columns)) \(summed.select(condition, sign: sign))
                ON CONFLICT (\(unsafeRaw: summed.key)) DO UPDATE SET \(unsafeRaw: sums)
                """).run()
        }
    }

    /// `sales_customers`' rows for the accounts meeting `condition`: first and last order day, the rhythm, and the
    /// keys of the first day's orders, from their `sales_day` days (the median is worked out here; neither engine has
    /// one that both share).
    private static func insertCustomers(_ condition: SQLQueryString, firstKeys: Bool = true, in sql: any SQLDatabase) async throws {
        let rows = try await sql.raw("""
            SELECT account_id, day, MIN(owner_id) AS owner_id, MIN(region_id) AS region_id, MIN(channel_id) AS channel_id
            FROM sales_day WHERE \(condition) GROUP BY account_id, day ORDER BY account_id, day
            """).all()
        var days: [Int64: [OrderDay]] = [:]
        for row in rows {
            let day = OrderDay(day: try LocalDate(key: try row.decode(column: "day", as: Int.self)), owner: try row.decode(column: "owner_id", as: Int64.self),
                               region: try row.decode(column: "region_id", as: Int64.self), channel: try row.decode(column: "channel_id", as: Int64.self))
            days[try row.decode(column: "account_id", as: Int64.self), default: []].append(day)
        }
        let customers = days.keys.sorted().map { account in customer(account, days: days[account]!) }
        let columns = firstKeys ? customerColumns : "account_id, first_day, last_day, median_gap_days"
        for start in stride(from: 0, to: customers.count, by: 500) {
            let values = customers[start..<min(start + 500, customers.count)].map { c -> SQLQueryString in
                firstKeys ? "(\(bind: c.account), \(bind: c.first), \(bind: c.last), \(bind: c.medianGap), \(bind: c.firstOwner), \(bind: c.firstRegion), \(bind: c.firstChannel))"
                    : "(\(bind: c.account), \(bind: c.first), \(bind: c.last), \(bind: c.medianGap))"
            }
            try await sql.raw("INSERT INTO sales_customers (\(unsafeRaw: columns)) VALUES \(values.joined(separator: ", "))").run()
        }
    }

    /// A day an account ordered on, with the lowest owner, region and channel (0 for none) of its orders that day.
    struct OrderDay: Sendable {
        let day: LocalDate
        let owner: Int64
        let region: Int64
        let channel: Int64
    }

    struct CustomerRow: Hashable, Sendable {
        let account: Int64
        let first: Int
        let last: Int
        let medianGap: Double?
        let firstOwner: Int64
        let firstRegion: Int64
        let firstChannel: Int64
    }

    /// One customer's row from their order days, ascending (never empty: a customer has at least one).
    static func customer(_ account: Int64, days: [OrderDay]) -> CustomerRow {
        let first = days.first!
        return CustomerRow(account: account, first: first.day.key, last: days.last!.day.key, medianGap: Retention.medianGap(days.map(\.day)),
                           firstOwner: first.owner, firstRegion: first.region, firstChannel: first.channel)
    }

    // MARK: - Statements

    static let measureColumns = ["orders", "lines", "revenue_minor", "cost_minor", "quantity_milli"]
    static let dayKey = "day, account_id, owner_id, region_id, channel_id"
    static let monthKey = "month, product_id, account_id, owner_id, region_id, channel_id"
    static let ownerMonthKey = "month, owner_id, region_id, channel_id"
    static let productMonthKey = "month, product_id"
    static let accountMonthKey = "account_id, month"
    static let ownerDayKey = "day, owner_id"
    static let categoryDayKey = "day, category_id, owner_id, region_id, channel_id"
    static let categoryMonthKey = "month, category_id"
    static let regionChannelMonthKey = "month, region_id, channel_id"
    static let customerColumns = "account_id, first_day, last_day, median_gap_days, first_owner_id, first_region_id, first_channel_id"

    /// `sales_day`'s rows summed per month, owner, region and channel: the rebuild's owner months, from the days it has
    /// just summed instead of every order line again.
    private static let ownerMonthsOfDays: SQLQueryString = """
        SELECT day / 100, owner_id, region_id, channel_id, \(summed) FROM sales_day GROUP BY day / 100, owner_id, region_id, channel_id
        """

    /// A roll-up's measures summed over its grouped rows.
    private static let summed: SQLQueryString = """
        CAST(SUM(orders) AS BIGINT), CAST(SUM(lines) AS BIGINT), CAST(SUM(revenue_minor) AS BIGINT), CAST(SUM(cost_minor) AS BIGINT),
        CAST(SUM(quantity_milli) AS BIGINT)
        """

    private static let dims: SQLQueryString = "o.account_id, COALESCE(o.owner_id, 0), COALESCE(o.region_id, 0), COALESCE(o.channel_id, 0)"

    /// The measures of the grouped orders and their lines, negated with `sign` "-". PostgreSQL sums BIGINT into
    /// NUMERIC; the casts keep both engines' sums 64-bit integers.
    private static func measures(sign: String) -> SQLQueryString {
        let sum = { (column: String) -> SQLQueryString in "CAST(\(unsafeRaw: sign)COALESCE(SUM(l.\(unsafeRaw: column)), 0) AS BIGINT)" }
        return """
            \(unsafeRaw: sign)COUNT(DISTINCT o.id), \(unsafeRaw: sign)COUNT(l.id), \(sum("net_base_minor")), \(sum("cost_base_minor")),
            \(sum("quantity_milli"))
            """
    }

    /// `sales_day`'s rows for the orders meeting `condition`, from the orders and their lines.
    static func daySelect(_ condition: SQLQueryString, sign: String = "") -> SQLQueryString {
        """
        SELECT o.ordered_on, \(dims), \(measures(sign: sign))
        FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
        WHERE \(counted()) AND (\(condition))
        GROUP BY o.ordered_on, \(dims)
        """
    }

    /// `sales_month`'s rows for the orders meeting `condition`.
    static func monthSelect(_ condition: SQLQueryString, sign: String = "") -> SQLQueryString {
        """
        SELECT o.ordered_on / 100, l.product_id, \(dims), \(measures(sign: sign))
        FROM orders o JOIN order_lines l ON l.order_id = o.id
        WHERE \(counted()) AND (\(condition))
        GROUP BY o.ordered_on / 100, l.product_id, \(dims)
        """
    }

    /// `sales_owner_month`'s rows for the orders meeting `condition`.
    static func ownerMonthSelect(_ condition: SQLQueryString, sign: String = "") -> SQLQueryString {
        """
        SELECT o.ordered_on / 100, COALESCE(o.owner_id, 0), COALESCE(o.region_id, 0), COALESCE(o.channel_id, 0), \(measures(sign: sign))
        FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
        WHERE \(counted()) AND (\(condition))
        GROUP BY o.ordered_on / 100, COALESCE(o.owner_id, 0), COALESCE(o.region_id, 0), COALESCE(o.channel_id, 0)
        """
    }

    /// `sales_region_channel_month`'s rows for the orders meeting `condition`.
    static func regionChannelMonthSelect(_ condition: SQLQueryString, sign: String = "") -> SQLQueryString {
        """
        SELECT o.ordered_on / 100, COALESCE(o.region_id, 0), COALESCE(o.channel_id, 0), \(measures(sign: sign))
        FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
        WHERE \(counted()) AND (\(condition))
        GROUP BY o.ordered_on / 100, COALESCE(o.region_id, 0), COALESCE(o.channel_id, 0)
        """
    }

    /// `sales_product_month`'s rows for the orders meeting `condition`.
    static func productMonthSelect(_ condition: SQLQueryString, sign: String = "") -> SQLQueryString {
        """
        SELECT o.ordered_on / 100, l.product_id, \(measures(sign: sign))
        FROM orders o JOIN order_lines l ON l.order_id = o.id
        WHERE \(counted()) AND (\(condition))
        GROUP BY o.ordered_on / 100, l.product_id
        """
    }

    /// `sales_owner_day`'s rows for the orders meeting `condition`.
    static func ownerDaySelect(_ condition: SQLQueryString, sign: String = "") -> SQLQueryString {
        """
        SELECT o.ordered_on, COALESCE(o.owner_id, 0), \(measures(sign: sign))
        FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
        WHERE \(counted()) AND (\(condition))
        GROUP BY o.ordered_on, COALESCE(o.owner_id, 0)
        """
    }

    /// `sales_category_day`'s rows for the orders meeting `condition`: per category their lines fall in, each order
    /// counted once in each.
    static func categoryDaySelect(_ condition: SQLQueryString, sign: String = "") -> SQLQueryString {
        """
        SELECT o.ordered_on, p.category_id, COALESCE(o.owner_id, 0), COALESCE(o.region_id, 0), COALESCE(o.channel_id, 0), \(measures(sign: sign))
        FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN products p ON p.id = l.product_id
        WHERE \(counted()) AND (\(condition))
        GROUP BY o.ordered_on, p.category_id, COALESCE(o.owner_id, 0), COALESCE(o.region_id, 0), COALESCE(o.channel_id, 0)
        """
    }

    /// `sales_category_month`'s rows for the orders meeting `condition`.
    static func categoryMonthSelect(_ condition: SQLQueryString, sign: String = "") -> SQLQueryString {
        """
        SELECT o.ordered_on / 100, p.category_id, \(measures(sign: sign))
        FROM orders o JOIN order_lines l ON l.order_id = o.id JOIN products p ON p.id = l.product_id
        WHERE \(counted()) AND (\(condition))
        GROUP BY o.ordered_on / 100, p.category_id
        """
    }

    /// `sales_account_month`'s rows for the orders meeting `condition`.
    static func accountMonthSelect(_ condition: SQLQueryString, sign: String = "") -> SQLQueryString {
        """
        SELECT o.account_id, o.ordered_on / 100, \(measures(sign: sign))
        FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id
        WHERE \(counted()) AND (\(condition))
        GROUP BY o.account_id, o.ordered_on / 100
        """
    }
}

extension SQLQueryString {
    /// `(?, ?, …)` binding each id.
    static func list(_ ids: ArraySlice<Int64>) -> SQLQueryString {
        "\(SQLGroupExpression(SQLList(ids.map { SQLBind($0) })))"
    }
}
