/// A team's board shows the deals its owners closed lately in the won and the lost column (issue 12). PostgreSQL found
/// each column's through the owners' closed deals by day (migration 33) ANDed with every deal ever in the stage
/// (`deals_stage`, 91 000 won deals of the pipeline at scale L): 10 ms a column of a request's 34. With the stage in
/// the index by owner and day the column is its own range (1.5 ms); SQLite, which used the owner's range alone, now
/// checks the stage without reading the deal's row.
extension Migrations {
    static let closedDealsByOwnerStage = Migration(58, "closed deals by owner, day and stage", sql: """
        DROP INDEX deals_closed_owner;
        CREATE INDEX deals_closed_owner ON deals (owner_id, closed_on, stage_id) WHERE status <> 'open'
        """)
}
