/// Search across accounts, contacts, leads and deals (issue 4): every word, phone, email and legal id a record is
/// found by, as an index both engines range-scan by prefix. Terms compare byte by byte (SQLite's BINARY, the "C"
/// collation on PostgreSQL), so a prefix's range is exact whatever the database's locale. The terms of existing
/// records are written by `SearchIndex.rebuild`, as SQL cannot split words the way `SearchTerms` does.
extension Migrations {
    static let search = Migration(6, "search", sql: "",
        sqliteOnly: [
            """
            CREATE TABLE search_terms (
                kind TEXT NOT NULL,
                term TEXT NOT NULL,
                record_id BIGINT NOT NULL,
                PRIMARY KEY (kind, term, record_id)
            ) WITHOUT ROWID
            """,
            "CREATE INDEX search_terms_record ON search_terms (kind, record_id)",
        ],
        postgresOnly: [
            """
            CREATE TABLE search_terms (
                kind TEXT NOT NULL,
                term TEXT COLLATE "C" NOT NULL,
                record_id BIGINT NOT NULL,
                PRIMARY KEY (kind, term, record_id)
            )
            """,
            "CREATE INDEX search_terms_record ON search_terms (kind, record_id)",
        ],
        backfill: { sql in try await SearchIndex.rebuild(in: sql, channels: false) })
}
