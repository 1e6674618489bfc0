/// Orders counted per product category (issue 6): an order with two products of one category is one order, so the
/// count cannot be folded from the product roll-ups and was read from the order lines. At scale L a year of orders by
/// category was 7.5 s. Two roll-ups hold the sums per category an order's lines fall in, kept by difference with every
/// order change like the others, and worked out again for a product's orders when the product moves to another
/// category (docs/metrics.md, "Where the analyses read from"):
/// - `sales_category_day`: per day, category, owner, region and channel (cut months, filtered and day-grained reads);
/// - `sales_category_month`: per month and category, for reads of every order.
extension Migrations {
    static let categorySales = Migration(41, "category sales", sql: """
        CREATE TABLE sales_category_day (
            day INTEGER NOT NULL, category_id BIGINT NOT NULL, owner_id BIGINT NOT NULL, region_id BIGINT NOT NULL,
            channel_id BIGINT NOT NULL,
            orders BIGINT NOT NULL, lines BIGINT NOT NULL, revenue_minor BIGINT NOT NULL, cost_minor BIGINT NOT NULL,
            quantity_milli BIGINT NOT NULL,
            PRIMARY KEY (day, category_id, owner_id, region_id, channel_id)
        ) {withoutRowID};
        CREATE INDEX sales_category_day_owner ON sales_category_day (owner_id, day);
        CREATE TABLE sales_category_month (
            month INTEGER NOT NULL, category_id BIGINT NOT NULL,
            orders BIGINT NOT NULL, lines BIGINT NOT NULL, revenue_minor BIGINT NOT NULL, cost_minor BIGINT NOT NULL,
            quantity_milli BIGINT NOT NULL,
            PRIMARY KEY (month, category_id)
        ) {withoutRowID}
        """, backfill: { sql in try await SalesRollups.rebuildCategories(in: sql) })
}
