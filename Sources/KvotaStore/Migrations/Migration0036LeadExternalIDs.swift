/// Leads keep the id they had in the system they were imported from (a CRM's lead export), as accounts, contacts and
/// deals do since migration 9, so importing the export again updates them instead of adding them twice.
extension Migrations {
    static let leadExternalIDs = Migration(36, "lead external ids", sql: """
        ALTER TABLE leads ADD COLUMN external_id TEXT;
        CREATE UNIQUE INDEX leads_external ON leads (external_id) WHERE external_id IS NOT NULL
        """)
}
