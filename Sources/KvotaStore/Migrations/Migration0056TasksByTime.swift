/// The company's KPIs count the tasks done in a window and those overdue at its end. Without an owner to start from,
/// that read every task the company ever had (740 000 at scale L, 57 ms on SQLite a window, two windows a request). By
/// the time done (no time first), the window's are a range, and so are the overdue: the open tasks (done_at IS NULL)
/// due before the end and those done after it.
extension Migrations {
    static let tasksByTime = Migration(56, "tasks by the time they were done", sql: """
        CREATE INDEX activities_tasks_done ON activities (done_at, due_at) WHERE kind = 'task'
        """, sqliteOnly: ["ANALYZE activities_tasks_done"])
}
