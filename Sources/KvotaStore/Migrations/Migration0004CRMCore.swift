/// The CRM core (issue 4): products listed by name; a rep's deals newest-changed first without a sort; pipelines that can be retired; stages with the fields a deal
/// must have to enter them, a script and a checklist; and draft orders, which a won deal creates for the order
/// desk. SQLite cannot change a CHECK constraint in place, so it rebuilds `orders` (its documented procedure,
/// with foreign keys off and checked before commit); PostgreSQL swaps the constraint.
extension Migrations {
    static let crmCore = Migration(4, "crm core", sql: """
        CREATE INDEX products_name ON products (LOWER(name), id);
        CREATE INDEX deals_owner_updated ON deals (owner_id, updated_at, id);
        ALTER TABLE pipelines ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;
        ALTER TABLE stages ADD COLUMN required_fields TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE stages ADD COLUMN script TEXT;
        ALTER TABLE stages ADD COLUMN checklist TEXT NOT NULL DEFAULT '[]'
        """,
        sqliteOnly: [
            """
            CREATE TABLE orders_new (
                id INTEGER PRIMARY KEY,
                number TEXT NOT NULL UNIQUE,
                account_id BIGINT NOT NULL REFERENCES accounts (id),
                deal_id BIGINT REFERENCES deals (id),
                owner_id BIGINT REFERENCES users (id),
                ordered_on INTEGER NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('draft', 'confirmed', 'shipped', 'invoiced', 'paid', 'cancelled')),
                currency TEXT NOT NULL,
                total_minor BIGINT NOT NULL,
                total_base_minor BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                version BIGINT NOT NULL DEFAULT 1
            )
            """,
            """
            INSERT INTO orders_new (id, number, account_id, deal_id, owner_id, ordered_on, status, currency, total_minor,
                                    total_base_minor, created_at, version)
            SELECT id, number, account_id, deal_id, owner_id, ordered_on, status, currency, total_minor, total_base_minor,
                   created_at, version FROM orders
            """,
            "DROP TABLE orders",
            "ALTER TABLE orders_new RENAME TO orders",
            "CREATE INDEX orders_ordered_on ON orders (ordered_on)",
            "CREATE INDEX orders_account ON orders (account_id, ordered_on)",
            "CREATE INDEX orders_owner ON orders (owner_id, ordered_on)",
            "CREATE INDEX orders_deal ON orders (deal_id)",
            "CREATE INDEX orders_ordered ON orders (ordered_on, id)",
        ],
        postgresOnly: [
            "ALTER TABLE orders DROP CONSTRAINT orders_status_check",
            """
            ALTER TABLE orders ADD CONSTRAINT orders_status_check
                CHECK (status IN ('draft', 'confirmed', 'shipped', 'invoiced', 'paid', 'cancelled'))
            """,
        ],
        sqliteRebuilds: ["orders", "order_lines"])
}
