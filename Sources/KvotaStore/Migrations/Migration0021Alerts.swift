/// Alerts (issue 8): one row per occurrence of a rule's condition about a subject, and a row per recipient with when
/// they saw it. "Once per condition" is the partial unique index: while an occurrence is not cleared (its condition
/// still holds, or Kvota has not seen it end), no second one about the same subject can be written, by any server.
/// `last_checked` per rule keeps the schedule's cadence across restarts and servers.
extension Migrations {
    static let alerts = Migration(21, "alerts", sql: """
        CREATE TABLE alerts (
            id {id},
            rule TEXT NOT NULL,
            subject_id BIGINT NOT NULL,
            episode TEXT NOT NULL DEFAULT '',
            owner_id BIGINT REFERENCES users (id),
            title TEXT NOT NULL,
            since_at BIGINT,
            value DOUBLE PRECISION,
            raised_at BIGINT NOT NULL,
            resolved_at BIGINT,
            resolved_by BIGINT REFERENCES users (id),
            cleared_at BIGINT
        );
        CREATE UNIQUE INDEX alerts_open ON alerts (rule, subject_id, episode) WHERE cleared_at IS NULL;
        CREATE TABLE alert_recipients (
            alert_id BIGINT NOT NULL REFERENCES alerts (id),
            user_id BIGINT NOT NULL REFERENCES users (id),
            seen_at BIGINT,
            PRIMARY KEY (alert_id, user_id)
        );
        CREATE INDEX alert_recipients_user ON alert_recipients (user_id, alert_id);
        CREATE TABLE alert_checks (
            rule TEXT PRIMARY KEY,
            last_checked BIGINT NOT NULL
        )
        """)
}
