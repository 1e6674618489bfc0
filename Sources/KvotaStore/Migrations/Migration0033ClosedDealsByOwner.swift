/// A head's funnel at scale L (issue 6): the deals of a team closed in a window were found by walking every deal the
/// company closed in it (`deals_closed_on`, 300 000 a year at L) once SQLite measured `deals` in full (migration 31),
/// 680 ms a request. The team's closed deals by owner and day are a range per rep.
extension Migrations {
    static let closedDealsByOwner = Migration(33, "closed deals by owner", sql: """
        CREATE INDEX deals_closed_owner ON deals (owner_id, closed_on) WHERE status <> 'open'
        """)
}
