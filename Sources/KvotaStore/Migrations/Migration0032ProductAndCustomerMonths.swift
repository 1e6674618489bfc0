/// Company-wide product and customer analyses at scale L (issue 6). A director's product reads summed `sales_month`,
/// which is kept per month, product, account, owner, region and channel: 8.3 million rows at L, nearly one per order
/// line, so a year of products was 3 s. Customer reads summed `sales_day`, one row per order day of each account,
/// owner, region and channel. Two narrower sums, kept by difference with every order change like the others:
/// - `sales_product_month`: per month and product (10 000 rows a month at L);
/// - `sales_account_month`: per account and month, clustered by account so a window's totals per customer are
///   summed in key order, without a sort.
/// They serve reads that see every order and filter by nothing that they do not hold (docs/metrics.md, "Where the
/// analyses read from").
extension Migrations {
    static let productAndCustomerMonths = Migration(32, "product and customer months", sql: """
        CREATE TABLE sales_product_month (
            month INTEGER NOT NULL, product_id BIGINT NOT NULL,
            orders BIGINT NOT NULL, lines BIGINT NOT NULL, revenue_minor BIGINT NOT NULL, cost_minor BIGINT NOT NULL,
            quantity_milli BIGINT NOT NULL,
            PRIMARY KEY (month, product_id)
        ) {withoutRowID};
        CREATE TABLE sales_account_month (
            account_id BIGINT NOT NULL, month INTEGER NOT NULL,
            orders BIGINT NOT NULL, lines BIGINT NOT NULL, revenue_minor BIGINT NOT NULL, cost_minor BIGINT NOT NULL,
            quantity_milli BIGINT NOT NULL,
            PRIMARY KEY (account_id, month)
        ) {withoutRowID}
        """, backfill: { sql in try await SalesRollups.rebuildNarrowMonths(in: sql) })
}
