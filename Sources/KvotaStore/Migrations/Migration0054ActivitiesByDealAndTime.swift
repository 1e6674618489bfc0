/// Every open deal's last activity (my day, the stalled-deal alert, the daily meeting, the KPIs) is a
/// `MAX(occurred_at)` per deal, and a deal's timeline is its activities by time. The deal's index held the deal alone,
/// so each of those read every activity row of the deal; the same for leads. And whether a deal has a next step (an
/// open task or meeting) was answered from the same index, row by row: a rep whose 61 open deals had collected 60 000
/// notes waited 150 ms for my day (issue 12). With the time in the index the last activity is one step, and the open
/// tasks and meetings by deal are a small index of their own.
///
/// SQLite learns what the new indexes hold from `ANALYZE` of each (a dropped index takes its statistics with it, and
/// without them the planner kept to the deal's whole index for the next step).
extension Migrations {
    static let activitiesByDealAndTime = Migration(54, "activities by deal and by lead in time order, open tasks by deal", sql: """
        DROP INDEX activities_deal;
        CREATE INDEX activities_deal ON activities (deal_id, occurred_at);
        DROP INDEX activities_lead;
        CREATE INDEX activities_lead ON activities (lead_id, occurred_at);
        CREATE INDEX activities_open_planned_deal ON activities (deal_id) WHERE done_at IS NULL AND kind IN ('task', 'meeting')
        """, sqliteOnly: ["ANALYZE activities_deal", "ANALYZE activities_lead", "ANALYZE activities_open_planned_deal"])
}
