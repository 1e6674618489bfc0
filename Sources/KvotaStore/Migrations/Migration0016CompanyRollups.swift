/// Company-wide analytics at scale L (issue 6): a director's reads summed every `sales_day` row of the window (about
/// one per order, 0.8 s for a year's revenue) and the churn-risk list read the whole order history of every quiet
/// customer on each request (19 s). Two additions, kept exact in the same transaction as every order change:
/// - `sales_owner_month`: per month, owner, region and channel, the measures of `sales_day` summed (no account): a
///   few thousand rows a month however many orders, for the sums that need no account or product. Kept by
///   difference: a changed slice's old `sales_day` sums are taken off and its new ones added.
/// - `sales_customers.median_gap_days`: each customer's rhythm (the median days between order days, null with fewer
///   than two), recomputed with the customer's first and last day.
/// The migration rebuilds every roll-up table, so migration 14 leaves its tables to it.
extension Migrations {
    static let companyRollups = Migration(16, "company roll-ups", sql: """
        ALTER TABLE sales_customers ADD COLUMN median_gap_days DOUBLE PRECISION;
        CREATE TABLE sales_owner_month (
            month INTEGER NOT NULL, owner_id BIGINT NOT NULL, region_id BIGINT NOT NULL, channel_id BIGINT NOT NULL,
            orders BIGINT NOT NULL, lines BIGINT NOT NULL, revenue_minor BIGINT NOT NULL, cost_minor BIGINT NOT NULL,
            quantity_milli BIGINT NOT NULL,
            PRIMARY KEY (month, owner_id, region_id, channel_id)
        ) {withoutRowID};
        CREATE INDEX sales_owner_month_owner ON sales_owner_month (owner_id, month)
        """, backfill: { sql in try await SalesRollups.rebuild(in: sql, narrow: false) })
}
