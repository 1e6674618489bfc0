/// Imports (issue 4): the id a record has in the system it came from, so importing the same file again updates
/// what the first import made instead of making it twice. Unique per kind when given.
extension Migrations {
    static let externalIDs = Migration(9, "external ids", sql: """
        ALTER TABLE accounts ADD COLUMN external_id TEXT;
        ALTER TABLE contacts ADD COLUMN external_id TEXT;
        ALTER TABLE products ADD COLUMN external_id TEXT;
        ALTER TABLE deals ADD COLUMN external_id TEXT;
        ALTER TABLE orders ADD COLUMN external_id TEXT;
        ALTER TABLE activities ADD COLUMN external_id TEXT;
        CREATE UNIQUE INDEX accounts_external ON accounts (external_id) WHERE external_id IS NOT NULL;
        CREATE UNIQUE INDEX contacts_external ON contacts (external_id) WHERE external_id IS NOT NULL;
        CREATE UNIQUE INDEX products_external ON products (external_id) WHERE external_id IS NOT NULL;
        CREATE UNIQUE INDEX deals_external ON deals (external_id) WHERE external_id IS NOT NULL;
        CREATE UNIQUE INDEX orders_external ON orders (external_id) WHERE external_id IS NOT NULL;
        CREATE UNIQUE INDEX activities_external ON activities (external_id) WHERE external_id IS NOT NULL
        """)
}
