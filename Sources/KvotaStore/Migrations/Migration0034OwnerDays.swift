/// A director's sales by week or day (issue 6): day-grained sums of every order came from `sales_day`, which holds a
/// row per day, account, owner, region and channel (2.5 million at L), so a year by week and by rep took 4 s.
/// `sales_owner_day` sums them per day and owner (533 000 rows over three years at L), kept by difference with every
/// order change like the others.
extension Migrations {
    static let ownerDays = Migration(34, "owner days", sql: """
        CREATE TABLE sales_owner_day (
            day INTEGER NOT NULL, owner_id BIGINT NOT NULL,
            orders BIGINT NOT NULL, lines BIGINT NOT NULL, revenue_minor BIGINT NOT NULL, cost_minor BIGINT NOT NULL,
            quantity_milli BIGINT NOT NULL,
            PRIMARY KEY (day, owner_id)
        ) {withoutRowID}
        """, backfill: { sql in try await SalesRollups.rebuildOwnerDays(in: sql) })
}
