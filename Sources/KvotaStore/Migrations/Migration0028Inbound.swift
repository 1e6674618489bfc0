/// Inbound requests (issue 9): web forms an admin publishes, the rules that give a new request its owner, who is on
/// shift to take one, and every request as it came (a form post, an integration's lead, a messenger message), linked
/// to the lead or customer it went to. A lead keeps the rest of its web-analytics (UTM medium, term, content, the page)
/// and the messenger channel it came through, so the rules and reports can read them.
extension Migrations {
    static let inbound = Migration(28, "inbound requests", sql: """
        ALTER TABLE leads ADD COLUMN utm_medium TEXT;
        ALTER TABLE leads ADD COLUMN utm_term TEXT;
        ALTER TABLE leads ADD COLUMN utm_content TEXT;
        ALTER TABLE leads ADD COLUMN page_url TEXT;
        ALTER TABLE leads ADD COLUMN channel TEXT;
        ALTER TABLE leads ADD COLUMN region_id BIGINT REFERENCES regions (id);
        CREATE INDEX leads_email ON leads (LOWER(email));
        CREATE INDEX leads_contact ON leads (contact_id);
        ALTER TABLE users ADD COLUMN on_shift BOOLEAN NOT NULL DEFAULT TRUE;
        CREATE TABLE web_forms (
            id {id},
            form_key TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            source TEXT NOT NULL,
            region_id BIGINT REFERENCES regions (id),
            redirect_url TEXT,
            active BOOLEAN NOT NULL DEFAULT TRUE,
            created_at BIGINT NOT NULL,
            version BIGINT NOT NULL DEFAULT 1
        );
        CREATE TABLE assignment_rules (
            id {id},
            kind TEXT NOT NULL CHECK (kind IN ('region', 'source', 'any')),
            position INTEGER NOT NULL,
            region_id BIGINT REFERENCES regions (id),
            source TEXT,
            channel TEXT,
            user_id BIGINT REFERENCES users (id),
            team_id BIGINT REFERENCES teams (id),
            last_user_id BIGINT REFERENCES users (id),
            active BOOLEAN NOT NULL DEFAULT TRUE,
            version BIGINT NOT NULL DEFAULT 1,
            CHECK ((user_id IS NULL) <> (team_id IS NULL))
        );
        CREATE TABLE inbound_requests (
            id {id},
            via TEXT NOT NULL CHECK (via IN ('form', 'api', 'messenger')),
            channel TEXT NOT NULL,
            form_id BIGINT REFERENCES web_forms (id),
            sender_id TEXT,
            name TEXT,
            phone TEXT,
            email TEXT,
            text TEXT,
            page_url TEXT,
            sent_at BIGINT NOT NULL,
            received_at BIGINT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('new_lead', 'open_lead', 'customer_lead')),
            lead_id BIGINT NOT NULL REFERENCES leads (id),
            contact_id BIGINT REFERENCES contacts (id),
            account_id BIGINT REFERENCES accounts (id),
            owner_id BIGINT REFERENCES users (id),
            rule_id BIGINT REFERENCES assignment_rules (id),
            address TEXT
        );
        CREATE INDEX inbound_requests_sender ON inbound_requests (channel, sender_id, id);
        CREATE INDEX inbound_requests_lead ON inbound_requests (lead_id, id)
        """)
}
