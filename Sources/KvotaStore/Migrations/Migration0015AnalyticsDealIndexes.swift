/// The deal side of analytics (issue 6). Deals won per closing day read the won deals of the window, a rep's or a
/// team's through their owners; the funnel reads a pipeline's deals created in the window. Without these SQLite read
/// every deal closed in the window (won or lost, anyone's) for a head, and every deal of the pipeline for the funnel:
/// 716 ms and 494 ms at scale L.
extension Migrations {
    static let analyticsDealIndexes = Migration(15, "analytics deal indexes", sql: """
        CREATE INDEX deals_won_on ON deals (closed_on) WHERE status = 'won';
        CREATE INDEX deals_won_owner ON deals (owner_id, closed_on) WHERE status = 'won';
        CREATE INDEX deals_pipeline_created ON deals (pipeline_id, created_at);
        CREATE INDEX deals_owner_pipeline_created ON deals (owner_id, pipeline_id, created_at)
        """)
}
