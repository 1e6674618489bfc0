/// Jobs that must run on one server at a time when several share a database (issue 12): the alert, scoring, snapshot
/// and packing rounds and the PBX's event stream. A server holds a job's lease while it renews it before
/// `held_until`; a server that dies stops renewing, and another takes the lease once it has run out.
extension Migrations {
    static let jobLeases = Migration(52, "job leases", sql: """
        CREATE TABLE job_leases (
            job TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            held_until BIGINT NOT NULL
        )
        """)
}
