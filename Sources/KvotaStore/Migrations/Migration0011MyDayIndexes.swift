/// "My day" (issue 5) asks each rep's open tasks and meetings by due time, their recent missed calls, and whether
/// a number was called back; without these it read every activity the rep ever had. Partial indexes keep them to
/// the rows they are for, on both engines.
extension Migrations {
    static let myDayIndexes = Migration(11, "my day indexes", sql: """
        CREATE INDEX activities_open_due ON activities (owner_id, due_at) WHERE done_at IS NULL AND kind IN ('task', 'meeting');
        CREATE INDEX activities_missed ON activities (owner_id, occurred_at) WHERE kind = 'call' AND call_disposition = 'missed';
        CREATE INDEX activities_number ON activities (external_number, occurred_at) WHERE external_number IS NOT NULL
        """)
}
