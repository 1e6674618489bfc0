/// A director's territory and channel pages at scale L (issue 6): their active customers are distinct accounts per
/// region or channel, read from `sales_day` grouped by region and account, a sort of a million rows for a year. Ended
/// months are packed per account, region and channel like the customer months of migration 39 (`PackedSalesMonths`),
/// and dropped by triggers on `sales_day` the same way.
extension Migrations {
    static let packedSegmentMonths = Migration(40, "packed segment months", sql: "", sqliteOnly: [
        """
        CREATE TABLE sales_segment_month_packed (month INTEGER PRIMARY KEY, entries INTEGER NOT NULL, data BLOB NOT NULL)
        """,
        """
        CREATE TRIGGER sales_day_unpack_insert AFTER INSERT ON sales_day
        BEGIN DELETE FROM sales_segment_month_packed WHERE month = NEW.day / 100; END
        """,
        """
        CREATE TRIGGER sales_day_unpack_update AFTER UPDATE ON sales_day
        BEGIN DELETE FROM sales_segment_month_packed WHERE month IN (OLD.day / 100, NEW.day / 100); END
        """,
        """
        CREATE TRIGGER sales_day_unpack_delete AFTER DELETE ON sales_day
        BEGIN DELETE FROM sales_segment_month_packed WHERE month = OLD.day / 100; END
        """,
    ], postgresOnly: [
        """
        CREATE TABLE sales_segment_month_packed (month INTEGER PRIMARY KEY, entries INTEGER NOT NULL, data BYTEA NOT NULL)
        """,
        "ALTER TABLE sales_segment_month_packed ALTER COLUMN data SET STORAGE EXTERNAL",
        """
        CREATE FUNCTION kvota_unpack_segment_months() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM sales_segment_month_packed WHERE month IN (SELECT DISTINCT day / 100 FROM changed);
            RETURN NULL;
        END $$
        """,
        """
        CREATE TRIGGER sales_day_unpack_insert AFTER INSERT ON sales_day
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION kvota_unpack_segment_months()
        """,
        """
        CREATE TRIGGER sales_day_unpack_update AFTER UPDATE ON sales_day
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION kvota_unpack_segment_months()
        """,
        """
        CREATE TRIGGER sales_day_unpack_delete AFTER DELETE ON sales_day
        REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION kvota_unpack_segment_months()
        """,
    ])
}
