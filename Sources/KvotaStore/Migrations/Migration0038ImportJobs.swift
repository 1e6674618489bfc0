/// Background imports (issue 11): the file and its settings wait here until a server's import round takes it, and
/// the outcome stays for the uploader to read. The file is base64 text, the same on both engines; it is dropped once
/// the import has finished.
extension Migrations {
    static let importJobs = Migration(38, "import jobs", sql: """
        CREATE TABLE import_jobs (
            id {id},
            kind TEXT NOT NULL,
            format TEXT NOT NULL,
            mapping TEXT NOT NULL,
            dry_run BOOLEAN NOT NULL,
            file_base64 TEXT,
            file_bytes BIGINT NOT NULL,
            status TEXT NOT NULL,
            progress TEXT NOT NULL,
            report TEXT,
            error TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            created_by BIGINT NOT NULL REFERENCES users (id),
            created_at BIGINT NOT NULL,
            started_at BIGINT,
            finished_at BIGINT,
            claimed_until BIGINT
        );
        CREATE INDEX import_jobs_waiting ON import_jobs (created_at) WHERE status IN ('queued', 'running')
        """)
}
