/// A director's product analyses at scale L (issue 6): a year of `sales_product_month` is 120 000 rows, and the
/// dynamics by product read two years of them (the window and the year before) at a microsecond a row. Ended months are
/// packed per product like the customer months of migration 39 (`PackedSalesMonths`), and dropped by triggers on
/// `sales_product_month` the same way.
extension Migrations {
    static let packedProductMonths = Migration(42, "packed product months", sql: "", sqliteOnly: [
        """
        CREATE TABLE sales_product_month_packed (month INTEGER PRIMARY KEY, entries INTEGER NOT NULL, data BLOB NOT NULL)
        """,
        """
        CREATE TRIGGER sales_product_month_unpack_insert AFTER INSERT ON sales_product_month
        BEGIN DELETE FROM sales_product_month_packed WHERE month = NEW.month; END
        """,
        """
        CREATE TRIGGER sales_product_month_unpack_update AFTER UPDATE ON sales_product_month
        BEGIN DELETE FROM sales_product_month_packed WHERE month IN (OLD.month, NEW.month); END
        """,
        """
        CREATE TRIGGER sales_product_month_unpack_delete AFTER DELETE ON sales_product_month
        BEGIN DELETE FROM sales_product_month_packed WHERE month = OLD.month; END
        """,
    ], postgresOnly: [
        """
        CREATE TABLE sales_product_month_packed (month INTEGER PRIMARY KEY, entries INTEGER NOT NULL, data BYTEA NOT NULL)
        """,
        "ALTER TABLE sales_product_month_packed ALTER COLUMN data SET STORAGE EXTERNAL",
        """
        CREATE FUNCTION kvota_unpack_product_months() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM sales_product_month_packed WHERE month IN (SELECT DISTINCT month FROM changed);
            RETURN NULL;
        END $$
        """,
        """
        CREATE TRIGGER sales_product_month_unpack_insert AFTER INSERT ON sales_product_month
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION kvota_unpack_product_months()
        """,
        """
        CREATE TRIGGER sales_product_month_unpack_update AFTER UPDATE ON sales_product_month
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION kvota_unpack_product_months()
        """,
        """
        CREATE TRIGGER sales_product_month_unpack_delete AFTER DELETE ON sales_product_month
        REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION kvota_unpack_product_months()
        """,
    ])
}
