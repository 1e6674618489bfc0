/// Sales analytics (issue 6) read roll-ups, not order lines: at scale L a year of lines is over three million rows, and
/// every analysis must answer in a fraction of a second. Three tables, each kept exact in the same transaction as every
/// order change (`SalesRollups`), filled here from the orders already stored:
/// - `sales_day`: per day, account, owner, region and channel (the order's own, as analytics read them): orders,
///   lines, revenue, cost, quantity. About one row per order; serves every analysis without a product dimension.
/// - `sales_month`: per month, product, account, owner, region and channel: the same measures (orders = orders that
///   hold the product). Serves the product analyses and the category filter.
/// - `sales_customers`: each buying account's first and last order day (new customers, retention).
/// Owners, regions and channels that are not set are stored as 0, so the keys are plain. SQLite keeps the first two
/// as WITHOUT ROWID tables: a date range is then one ordered read of the table itself. Migration 16 fills them (it
/// rebuilds every roll-up table as the code knows it; this one filled them itself before 16 existed).
extension Migrations {
    static let salesRollups = Migration(14, "sales roll-ups", sql: """
        CREATE TABLE sales_day (\(dayColumns)) {withoutRowID};
        CREATE TABLE sales_month (\(monthColumns)) {withoutRowID};
        CREATE TABLE sales_customers (
            account_id BIGINT NOT NULL PRIMARY KEY,
            first_day INTEGER NOT NULL,
            last_day INTEGER NOT NULL
        );
        CREATE INDEX sales_day_account ON sales_day (account_id, day);
        CREATE INDEX sales_day_owner ON sales_day (owner_id, day);
        CREATE INDEX sales_month_account ON sales_month (account_id, month);
        CREATE INDEX sales_month_owner ON sales_month (owner_id, month, product_id);
        CREATE INDEX sales_customers_first ON sales_customers (first_day)
        """)

    private static let measures = """
        orders BIGINT NOT NULL, lines BIGINT NOT NULL, revenue_minor BIGINT NOT NULL, cost_minor BIGINT NOT NULL,
        quantity_milli BIGINT NOT NULL
        """
    private static let dayColumns = """
        day INTEGER NOT NULL, account_id BIGINT NOT NULL, owner_id BIGINT NOT NULL, region_id BIGINT NOT NULL,
        channel_id BIGINT NOT NULL, \(measures),
        PRIMARY KEY (day, account_id, owner_id, region_id, channel_id)
        """
    private static let monthColumns = """
        month INTEGER NOT NULL, product_id BIGINT NOT NULL, account_id BIGINT NOT NULL, owner_id BIGINT NOT NULL,
        region_id BIGINT NOT NULL, channel_id BIGINT NOT NULL, \(measures),
        PRIMARY KEY (month, product_id, account_id, owner_id, region_id, channel_id)
        """
}
