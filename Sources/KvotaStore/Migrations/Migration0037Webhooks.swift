/// Outgoing webhooks (issue 11): an admin's subscriptions and the queue of deliveries, kept in the database so they
/// survive a restart and any server of a cluster can post them. The secret is sealed with the server's key (the web
/// layer seals and opens it), never stored in the clear.
extension Migrations {
    static let webhooks = Migration(37, "webhooks", sql: """
        CREATE TABLE webhook_subscriptions (
            id {id},
            url TEXT NOT NULL,
            description TEXT NOT NULL,
            secret_sealed TEXT NOT NULL,
            state TEXT NOT NULL,
            paused_at BIGINT,
            paused_reason TEXT,
            created_by BIGINT REFERENCES users (id),
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            version BIGINT NOT NULL DEFAULT 1
        );
        CREATE TABLE webhook_subscription_events (
            event TEXT NOT NULL,
            subscription_id BIGINT NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
            PRIMARY KEY (event, subscription_id)
        ) {withoutRowID};
        CREATE TABLE webhook_deliveries (
            id {id},
            subscription_id BIGINT NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
            event_id TEXT NOT NULL,
            event TEXT NOT NULL,
            payload TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at BIGINT,
            last_attempt_at BIGINT,
            response_status INTEGER,
            last_error TEXT,
            delivered_at BIGINT,
            expires_at BIGINT NOT NULL,
            claimed_until BIGINT
        );
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
        CREATE INDEX webhook_deliveries_log ON webhook_deliveries (subscription_id, id)
        """)
}
