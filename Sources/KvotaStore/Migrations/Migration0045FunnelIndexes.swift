/// A director's funnel at scale L (issue 6) reads a year of a pipeline: 147 000 deals created in it with their 583 000
/// stage entries, and 147 000 deals closed in it. Each deal and each entry was looked up in its table from an index
/// that held only where to find it, and the deals closed in the window were found by day across every pipeline
/// (336 000). These indexes hold what the funnel reads, so that it reads them alone; each replaces an index it starts
/// with.
extension Migrations {
    static let funnelIndexes = Migration(45, "funnel indexes", sql: """
        CREATE INDEX deal_stage_history_entries ON deal_stage_history (deal_id, entered_at, stage_id, id);
        DROP INDEX deal_stage_history_deal;
        CREATE INDEX deals_pipeline_created_status ON deals (pipeline_id, created_at, status, closed_at);
        DROP INDEX deals_pipeline_created;
        CREATE INDEX deals_pipeline_closed ON deals (pipeline_id, closed_on) WHERE status <> 'open'
        """)
}
