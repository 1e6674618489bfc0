/// Custom fields (issue 4): the fields an admin adds to a record kind, and their values, one row per value (a
/// multiselect has a row per option) so that a filter on any field is an index range: `value` as text for equality,
/// `number` for ranges of numbers, money (minor units) and dates (day numbers).
extension Migrations {
    static let customFields = Migration(8, "custom fields", sql: """
        CREATE TABLE custom_fields (
            id {id},
            kind TEXT NOT NULL CHECK (kind IN ('account', 'contact', 'lead', 'deal', 'product', 'order', 'activity')),
            key TEXT NOT NULL,
            label TEXT NOT NULL,
            type TEXT NOT NULL CHECK (type IN ('text', 'number', 'money', 'date', 'select', 'multiselect', 'boolean')),
            options TEXT NOT NULL DEFAULT '[]',
            required BOOLEAN NOT NULL DEFAULT FALSE,
            active BOOLEAN NOT NULL DEFAULT TRUE,
            position INTEGER NOT NULL,
            version BIGINT NOT NULL DEFAULT 1,
            UNIQUE (kind, key)
        );
        CREATE TABLE custom_values (
            field_id BIGINT NOT NULL REFERENCES custom_fields (id),
            record_id BIGINT NOT NULL,
            value TEXT NOT NULL,
            number DOUBLE PRECISION,
            PRIMARY KEY (field_id, record_id, value)
        );
        CREATE INDEX custom_values_value ON custom_values (field_id, value, record_id);
        CREATE INDEX custom_values_number ON custom_values (field_id, number, record_id);
        CREATE INDEX custom_values_record ON custom_values (record_id, field_id)
        """)
}
