/// People and sign-in (issue 3): dated team and manager history, API and integration tokens, browser sessions,
/// failed sign-ins for throttling, and field-level changes in the audit log.
///
/// Tokens and session ids are stored as SHA-256 hashes only: a copy of the database signs nobody in.
extension Migrations {
    static let peopleAndSignIn = Migration(2, "people and sign-in", sql: """
        CREATE TABLE user_assignments (
            id {id},
            user_id BIGINT NOT NULL REFERENCES users (id),
            role TEXT NOT NULL,
            team_id BIGINT REFERENCES teams (id),
            manager_id BIGINT REFERENCES users (id),
            valid_from BIGINT NOT NULL,
            valid_to BIGINT
        );
        CREATE INDEX user_assignments_user ON user_assignments (user_id, valid_from);
        CREATE INDEX user_assignments_team ON user_assignments (team_id, valid_from);
        CREATE TABLE api_tokens (
            id {id},
            user_id BIGINT NOT NULL REFERENCES users (id),
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('access', 'integration')),
            scope TEXT NOT NULL CHECK (scope IN ('read', 'read_write', 'integration')),
            token_hash TEXT NOT NULL UNIQUE,
            created_by BIGINT REFERENCES users (id),
            created_at BIGINT NOT NULL,
            expires_at BIGINT,
            last_used_at BIGINT,
            revoked_at BIGINT
        );
        CREATE INDEX api_tokens_user ON api_tokens (user_id);
        CREATE TABLE sessions (
            id_hash TEXT PRIMARY KEY,
            user_id BIGINT NOT NULL REFERENCES users (id),
            csrf_token TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            last_seen_at BIGINT NOT NULL
        );
        CREATE INDEX sessions_user ON sessions (user_id);
        CREATE TABLE sign_in_failures (
            id {id},
            email_key TEXT NOT NULL,
            address TEXT NOT NULL,
            at BIGINT NOT NULL
        );
        CREATE INDEX sign_in_failures_email ON sign_in_failures (email_key, at);
        CREATE INDEX sign_in_failures_address ON sign_in_failures (address, at);
        ALTER TABLE audit_log ADD COLUMN changes TEXT;
        ALTER TABLE audit_log ADD COLUMN address TEXT;
        CREATE INDEX audit_log_user ON audit_log (user_id, at)
        """)
}
