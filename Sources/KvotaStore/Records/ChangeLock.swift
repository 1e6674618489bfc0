import SQLKit

extension SQLDatabase {
    /// Locks a record's row for the rest of the transaction before a change reads it (PostgreSQL).
    ///
    /// A change reads the record, checks the version the client sent (If-Match), works out the new record and writes
    /// it whole. Under PostgreSQL's READ COMMITTED two changes of one record could both read the same version, both pass
    /// the check and both write, the later silently undoing the earlier: `ConcurrentUpdatesTests` saw seven of eight
    /// writers that had read one version win. With the row locked first, the later change waits, then reads what the
    /// earlier one wrote and gets its 412. The lock is the one the UPDATE takes anyway (`FOR NO KEY UPDATE`), so rows
    /// that refer to the record (a deal's new activity) are not held up. SQLite needs none: its one writer runs one
    /// transaction at a time.
    func lockForChange(_ table: String, id: Int64) async throws {
        try await lockForChange(table, ids: CollectionOfOne(id))
    }

    /// Locks the rows of `ids` in id order, for the rest of the transaction (PostgreSQL), as `lockForChange` does one.
    func lockForChange(_ table: String, ids: some Collection<Int64>) async throws {
        guard dialect.name == "postgresql", !ids.isEmpty else { return }
        let sorted = ids.sorted()
        for start in stride(from: 0, to: sorted.count, by: 500) {
            try await raw("""
                SELECT 1 FROM \(ident: table) WHERE id IN \(SQLQueryString.list(sorted[start..<min(start + 500, sorted.count)]))
                ORDER BY id FOR NO KEY UPDATE
                """).run()
        }
    }
}
