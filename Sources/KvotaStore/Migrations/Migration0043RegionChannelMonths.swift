/// A director's sums by region, by channel or in total (issue 6): their whole months came from `sales_owner_month`,
/// which holds a row per month, owner, region and channel (20 000 a month at scale L), and grouping a year of it by
/// region was a sort of 220 000 rows: a territory page reads that twice (the period before, a year earlier), and three
/// years of margin by quarter read 720 000 rows. `sales_region_channel_month` sums them per month, region and channel (a
/// few dozen rows a month), kept by difference with every order change like the others.
extension Migrations {
    static let regionChannelMonths = Migration(43, "region and channel months", sql: """
        CREATE TABLE sales_region_channel_month (
            month INTEGER NOT NULL, region_id BIGINT NOT NULL, channel_id BIGINT NOT NULL,
            orders BIGINT NOT NULL, lines BIGINT NOT NULL, revenue_minor BIGINT NOT NULL, cost_minor BIGINT NOT NULL,
            quantity_milli BIGINT NOT NULL,
            PRIMARY KEY (month, region_id, channel_id)
        ) {withoutRowID}
        """, backfill: { sql in try await SalesRollups.rebuildRegionChannelMonths(in: sql) })
}
