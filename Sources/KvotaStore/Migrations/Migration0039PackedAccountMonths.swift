/// A director's per-customer analyses at scale L (issue 6): a year of `sales_account_month` is 730 000 rows, and
/// handing each row from the engine to Swift cost more than the engine's sum (docs/performance.md, "Analytics"). A month
/// that has ended is packed into one row holding every customer's sums (`PackedSalesMonths`), read in one piece.
///
/// A packed month must never say other than its rows, so the engine itself drops it whenever one of the month's rows is
/// written or deleted, by whatever statement, in that statement's transaction: a trigger, not a rule every writer has
/// to remember. A dropped month is read from its rows until the next packing round packs it again; the migration packs
/// nothing itself, the server's first round does.
extension Migrations {
    static let packedAccountMonths = Migration(39, "packed account months", sql: "", sqliteOnly: [
        """
        CREATE TABLE sales_account_month_packed (month INTEGER PRIMARY KEY, entries INTEGER NOT NULL, data BLOB NOT NULL)
        """,
        """
        CREATE TRIGGER sales_account_month_unpack_insert AFTER INSERT ON sales_account_month
        BEGIN DELETE FROM sales_account_month_packed WHERE month = NEW.month; END
        """,
        """
        CREATE TRIGGER sales_account_month_unpack_update AFTER UPDATE ON sales_account_month
        BEGIN DELETE FROM sales_account_month_packed WHERE month IN (OLD.month, NEW.month); END
        """,
        """
        CREATE TRIGGER sales_account_month_unpack_delete AFTER DELETE ON sales_account_month
        BEGIN DELETE FROM sales_account_month_packed WHERE month = OLD.month; END
        """,
    ], postgresOnly: [
        """
        CREATE TABLE sales_account_month_packed (month INTEGER PRIMARY KEY, entries INTEGER NOT NULL, data BYTEA NOT NULL)
        """,
        // Compressing a few megabytes of integers saves little and costs every read.
        "ALTER TABLE sales_account_month_packed ALTER COLUMN data SET STORAGE EXTERNAL",
        // One statement-level trigger per kind of change, each with the changed rows as a table: a row trigger would
        // run a statement for every row an import upserts.
        """
        CREATE FUNCTION kvota_unpack_account_months() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM sales_account_month_packed WHERE month IN (SELECT DISTINCT month FROM changed);
            RETURN NULL;
        END $$
        """,
        """
        CREATE TRIGGER sales_account_month_unpack_insert AFTER INSERT ON sales_account_month
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION kvota_unpack_account_months()
        """,
        """
        CREATE TRIGGER sales_account_month_unpack_update AFTER UPDATE ON sales_account_month
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION kvota_unpack_account_months()
        """,
        """
        CREATE TRIGGER sales_account_month_unpack_delete AFTER DELETE ON sales_account_month
        REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION kvota_unpack_account_months()
        """,
    ])
}
