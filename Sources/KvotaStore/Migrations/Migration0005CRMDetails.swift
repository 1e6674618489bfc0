/// More of the CRM core (issue 4): the loss reasons an admin keeps (seeded with the usual ones, so a new company can
/// close deals on day one); the channel and region of every order, defaulted from its account when written and
/// backfilled here, so territory analytics read orders alone; and the answers kept for `Idempotency-Key` retries.
extension Migrations {
    static let crmDetails = Migration(5, "crm details", sql: """
        CREATE TABLE loss_reasons (
            id {id},
            applies_to TEXT NOT NULL CHECK (applies_to IN ('deal', 'lead')),
            name TEXT NOT NULL,
            position INTEGER NOT NULL,
            active BOOLEAN NOT NULL DEFAULT TRUE,
            version BIGINT NOT NULL DEFAULT 1
        );
        CREATE UNIQUE INDEX loss_reasons_name ON loss_reasons (applies_to, LOWER(name));
        INSERT INTO loss_reasons (applies_to, name, position) VALUES
            ('deal', 'price', 1), ('deal', 'competitor', 2), ('deal', 'no budget', 3), ('deal', 'no decision', 4),
            ('deal', 'timing', 5), ('deal', 'product fit', 6), ('deal', 'went silent', 7), ('deal', 'other', 8),
            ('lead', 'no budget', 1), ('lead', 'not a target customer', 2), ('lead', 'duplicate', 3), ('lead', 'spam', 4),
            ('lead', 'unreachable', 5), ('lead', 'bought from a competitor', 6), ('lead', 'other', 7);
        ALTER TABLE orders ADD COLUMN channel_id BIGINT REFERENCES channels (id);
        ALTER TABLE orders ADD COLUMN region_id BIGINT REFERENCES regions (id);
        UPDATE orders SET channel_id = (SELECT a.channel_id FROM accounts a WHERE a.id = orders.account_id),
                          region_id = (SELECT a.region_id FROM accounts a WHERE a.id = orders.account_id);
        CREATE INDEX orders_channel ON orders (channel_id, ordered_on);
        CREATE INDEX orders_region ON orders (region_id, ordered_on);
        CREATE TABLE idempotency_keys (
            user_id BIGINT NOT NULL REFERENCES users (id),
            key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            status INTEGER NOT NULL,
            headers TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (user_id, key)
        );
        CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)
        """)
}
