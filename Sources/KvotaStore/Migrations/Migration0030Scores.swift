/// Scores (issue 10): the score in use for leads and for deals (a trained model with its held-out evaluation, or the
/// rules while there are too few closed records), and each open record's last score with its reasons, kept on the
/// record so the leads inbox and the board can sort by it (the index is on the order's expression, an unscored record
/// as −1, and ends in the id, as every list order's does).
/// Scores are Kvota's own reading of a record, not the record: writing one changes neither its version nor its
/// update time.
extension Migrations {
    static let scores = Migration(30, "scores", sql: """
        CREATE TABLE score_models (
            subject TEXT PRIMARY KEY CHECK (subject IN ('lead', 'deal')),
            method TEXT NOT NULL CHECK (method IN ('model', 'rules')),
            trained_at BIGINT NOT NULL,
            closed_records INTEGER NOT NULL,
            model TEXT,
            evaluation TEXT
        );
        ALTER TABLE leads ADD COLUMN score INTEGER;
        ALTER TABLE leads ADD COLUMN score_detail TEXT;
        ALTER TABLE deals ADD COLUMN score INTEGER;
        ALTER TABLE deals ADD COLUMN score_detail TEXT;
        CREATE INDEX leads_score ON leads ((COALESCE(score, -1)), id);
        CREATE INDEX deals_score ON deals ((COALESCE(score, -1)), id)
        """)
}
