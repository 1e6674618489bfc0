/// Every rep's forecast at scale L (issue 10) reads three years of revenue by rep and month: 775 000 rows of
/// `sales_owner_month`, one per rep, region and channel, grouped by month and rep (680 ms on PostgreSQL, most of the
/// round). Ended months are packed per rep like the customer months of migration 39 (`PackedSalesMonths`), and dropped
/// by triggers on `sales_owner_month` the same way.
extension Migrations {
    static let packedOwnerMonths = Migration(50, "packed owner months", sql: "", sqliteOnly: [
        """
        CREATE TABLE sales_owner_month_packed (month INTEGER PRIMARY KEY, entries INTEGER NOT NULL, data BLOB NOT NULL)
        """,
        """
        CREATE TRIGGER sales_owner_month_unpack_insert AFTER INSERT ON sales_owner_month
        BEGIN DELETE FROM sales_owner_month_packed WHERE month = NEW.month; END
        """,
        """
        CREATE TRIGGER sales_owner_month_unpack_update AFTER UPDATE ON sales_owner_month
        BEGIN DELETE FROM sales_owner_month_packed WHERE month IN (OLD.month, NEW.month); END
        """,
        """
        CREATE TRIGGER sales_owner_month_unpack_delete AFTER DELETE ON sales_owner_month
        BEGIN DELETE FROM sales_owner_month_packed WHERE month = OLD.month; END
        """,
    ], postgresOnly: [
        """
        CREATE TABLE sales_owner_month_packed (month INTEGER PRIMARY KEY, entries INTEGER NOT NULL, data BYTEA NOT NULL)
        """,
        "ALTER TABLE sales_owner_month_packed ALTER COLUMN data SET STORAGE EXTERNAL",
        """
        CREATE FUNCTION kvota_unpack_owner_months() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM sales_owner_month_packed WHERE month IN (SELECT DISTINCT month FROM changed);
            RETURN NULL;
        END $$
        """,
        """
        CREATE TRIGGER sales_owner_month_unpack_insert AFTER INSERT ON sales_owner_month
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION kvota_unpack_owner_months()
        """,
        """
        CREATE TRIGGER sales_owner_month_unpack_update AFTER UPDATE ON sales_owner_month
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION kvota_unpack_owner_months()
        """,
        """
        CREATE TRIGGER sales_owner_month_unpack_delete AFTER DELETE ON sales_owner_month
        REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION kvota_unpack_owner_months()
        """,
    ])
}
