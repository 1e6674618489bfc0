/// What a rep keeps about a customer beyond its name (issue 4): tags to group accounts by ("key account", "tender"),
/// free notes, addresses of several kinds, and a contact's several phones, emails and messenger handles. A contact's
/// first phone and email stay in `contacts.phone` / `.email`, which lists, exports and old clients read.
extension Migrations {
    static let accountDetails = Migration(7, "account details", sql: """
        ALTER TABLE accounts ADD COLUMN notes TEXT;
        CREATE TABLE account_tags (
            account_id BIGINT NOT NULL REFERENCES accounts (id),
            tag TEXT NOT NULL,
            PRIMARY KEY (account_id, tag)
        );
        CREATE INDEX account_tags_tag ON account_tags (tag, account_id);
        CREATE TABLE account_addresses (
            id {id},
            account_id BIGINT NOT NULL REFERENCES accounts (id),
            position INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('legal', 'billing', 'shipping', 'office', 'other')),
            street TEXT,
            postcode TEXT,
            city TEXT,
            country TEXT
        );
        CREATE INDEX account_addresses_account ON account_addresses (account_id, position);
        CREATE TABLE contact_channels (
            id {id},
            contact_id BIGINT NOT NULL REFERENCES contacts (id),
            position INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('phone', 'email', 'telegram', 'whatsapp', 'viber', 'signal', 'skype', 'other')),
            value TEXT NOT NULL,
            label TEXT
        );
        CREATE INDEX contact_channels_contact ON contact_channels (contact_id, position);
        CREATE INDEX contact_channels_value ON contact_channels (kind, value);
        INSERT INTO contact_channels (contact_id, position, kind, value)
            SELECT id, 0, 'phone', phone FROM contacts WHERE phone IS NOT NULL;
        INSERT INTO contact_channels (contact_id, position, kind, value)
            SELECT id, 1, 'email', LOWER(email) FROM contacts WHERE email IS NOT NULL
        """)
}
