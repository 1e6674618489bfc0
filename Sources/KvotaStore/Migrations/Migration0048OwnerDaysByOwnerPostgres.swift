/// The owner-days of a few reps, on PostgreSQL: a dynamics by manager reads its top reps' days on their own beside the
/// day totals (`DynamicsReport`), and by the primary key (day, owner) that read scanned every rep's days of the window
/// in parallel workers (at scale L, ten months: 48 ms in `psql` for 9 000 of 270 000 rows). SQLite reads every
/// owner-day instead (faster there through its C interface), so it has no use for the index.
extension Migrations {
    static let ownerDaysByOwnerPostgres = Migration(48, "owner days by owner on PostgreSQL", sql: "", postgresOnly: [
        "CREATE INDEX sales_owner_day_owner ON sales_owner_day (owner_id, day)",
    ])
}
