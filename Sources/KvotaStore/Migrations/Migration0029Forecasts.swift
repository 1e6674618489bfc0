/// Forecasts (issue 10): each stage says which forecast category a deal entering it takes, unless the deal's rep chose
/// one (`forecast_category_chosen`); a head's adjustment of a rep's commit for a month, kept beside the rep's own
/// number; and weekly snapshots of every forecast, so a later page shows how a forecast moved and how far off it was.
/// Existing stages get a default from their probability (70 % and up commit, 40 % best case, else pipeline; won
/// commit, lost omitted), and existing deals count as chosen, so nothing a rep set is overwritten.
extension Migrations {
    static let forecasts = Migration(29, "forecasts", sql: """
        ALTER TABLE stages ADD COLUMN forecast_category TEXT NOT NULL DEFAULT 'pipeline'
            CHECK (forecast_category IN ('commit', 'best_case', 'pipeline', 'omitted'));
        UPDATE stages SET forecast_category = CASE
            WHEN outcome = 'won' THEN 'commit' WHEN outcome = 'lost' THEN 'omitted'
            WHEN probability >= 70 THEN 'commit' WHEN probability >= 40 THEN 'best_case' ELSE 'pipeline' END;
        ALTER TABLE deals ADD COLUMN forecast_category_chosen BOOLEAN NOT NULL DEFAULT FALSE;
        UPDATE deals SET forecast_category_chosen = TRUE;
        CREATE TABLE forecast_adjustments (
            user_id BIGINT NOT NULL REFERENCES users (id),
            month INTEGER NOT NULL,
            amount_minor BIGINT NOT NULL,
            note TEXT,
            adjusted_by BIGINT NOT NULL REFERENCES users (id),
            adjusted_at BIGINT NOT NULL,
            version BIGINT NOT NULL DEFAULT 1,
            PRIMARY KEY (user_id, month)
        );
        CREATE TABLE forecast_snapshots (
            taken_on INTEGER NOT NULL,
            scope TEXT NOT NULL,
            month INTEGER NOT NULL,
            actual_minor BIGINT,
            weighted_minor BIGINT,
            commit_minor BIGINT,
            best_case_minor BIGINT,
            adjusted_minor BIGINT,
            history_minor BIGINT,
            low_minor BIGINT,
            high_minor BIGINT,
            PRIMARY KEY (taken_on, scope, month)
        );
        CREATE INDEX forecast_snapshots_scope ON forecast_snapshots (scope, month, taken_on)
        """)
}
