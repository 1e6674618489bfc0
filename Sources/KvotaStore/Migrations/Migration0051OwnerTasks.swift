/// A team's KPIs (issue 12) count each member's tasks done in the window and overdue at its end, from every task the
/// member ever had: at scale L 1 200 a rep, and reading each one's row took 32 of the 90 ms a member cost. This index
/// holds the two times the count needs, so the read never leaves it.
extension Migrations {
    static let ownerTasks = Migration(51, "tasks by owner", sql: """
        CREATE INDEX activities_owner_tasks ON activities (owner_id, done_at, due_at) WHERE kind = 'task'
        """)
}
