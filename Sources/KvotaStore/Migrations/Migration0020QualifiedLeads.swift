/// The day a lead was first qualified (in the company's calendar), so "qualified leads" in a period can be counted
/// as a plan measure and a KPI. A conversion qualifies a lead that was not yet. Leads qualified before this migration
/// have no record of when; they are dated by the day they were received.
extension Migrations {
    static let qualifiedLeads = Migration(20, "the day a lead was qualified", sql: """
        ALTER TABLE leads ADD COLUMN qualified_on INTEGER;
        UPDATE leads SET qualified_on = received_on WHERE status IN ('qualified', 'converted');
        CREATE INDEX leads_qualified ON leads (owner_id, qualified_on) WHERE qualified_on IS NOT NULL
        """)
}
