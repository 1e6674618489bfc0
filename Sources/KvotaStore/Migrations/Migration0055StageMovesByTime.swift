/// The daily meeting counts each member's deals moved on the day before. The stage history was indexed by deal alone,
/// so the day's moves of a team were found either deal by deal (every deal a member ever had, a probe each: 38 ms a
/// team of 20 at scale L on PostgreSQL) or, read for the whole team at once, by reading the whole history (3.6 million
/// entries, 47 ms). By time, the day's moves are a range of the index: a few thousand entries at L.
extension Migrations {
    static let stageMovesByTime = Migration(55, "the stage history by time", sql: """
        CREATE INDEX deal_stage_history_entered ON deal_stage_history (entered_at)
        """, sqliteOnly: ["ANALYZE deal_stage_history_entered"])
}
