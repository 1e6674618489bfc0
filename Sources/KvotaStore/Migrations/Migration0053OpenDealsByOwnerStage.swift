/// A team's pipeline board (issue 12) counts and sums its open deals by stage and shows each column's newest: at scale
/// L about 19 000 deals of ten owners, whose rows the board read and sorted twice (540 ms). This index holds the
/// owner, stage, last change, currency and amount of the open deals, so the counts never leave it and each column's
/// newest 30 are one short range per owner; only their rows are read.
extension Migrations {
    static let openDealsByOwnerStage = Migration(53, "open deals by owner and stage", sql: "", sqliteOnly: [
        """
        CREATE INDEX deals_open_owner_stage ON deals (owner_id, stage_id, updated_at, currency, amount_minor) WHERE status = 'open'
        """,
    ], postgresOnly: [
        """
        CREATE INDEX deals_open_owner_stage ON deals (owner_id, stage_id, updated_at) INCLUDE (currency, amount_minor) WHERE status = 'open'
        """,
    ])
}
