/// Telephony (issue 9): every call as the PBX reported it, keyed by its source and the PBX's call id so a replayed
/// stream, a CDR file after a reconnect and a webhook's retries all land on the same row. A call Kvota could give to a
/// person is also an activity (the timeline, the KPIs); one it could not (an extension nobody has) waits here with no
/// user for an admin to map the extension. A hosted PBX's webhook events wait in `telephony_events` until their call
/// has ended.
extension Migrations {
    static let telephony = Migration(27, "telephony", sql: """
        CREATE TABLE pbx_calls (
            id {id},
            call_key TEXT NOT NULL UNIQUE,
            direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
            external_number TEXT NOT NULL,
            internal_number TEXT NOT NULL,
            extension TEXT,
            user_id BIGINT REFERENCES users (id),
            answered_by TEXT,
            started_at BIGINT NOT NULL,
            answered_at BIGINT,
            ended_at BIGINT NOT NULL,
            talk_seconds INTEGER NOT NULL,
            disposition TEXT NOT NULL CHECK (disposition IN ('answered', 'no_answer', 'busy', 'failed', 'congestion')),
            recording TEXT,
            activity_id BIGINT REFERENCES activities (id),
            lead_id BIGINT REFERENCES leads (id),
            callback_task_id BIGINT REFERENCES activities (id),
            called_back_at BIGINT,
            received_at BIGINT NOT NULL
        );
        CREATE INDEX pbx_calls_number ON pbx_calls (external_number, started_at);
        CREATE INDEX pbx_calls_unmapped ON pbx_calls (extension) WHERE user_id IS NULL;
        CREATE TABLE telephony_events (
            call_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('ringing', 'answered', 'ended')),
            body TEXT NOT NULL,
            received_at BIGINT NOT NULL,
            PRIMARY KEY (call_id, kind)
        )
        """)
}
