/// Forecasts at scale (issue 10's speed floor):
/// - `stage_outcomes`: per closing day and stage, the deals that closed having passed the stage and how many were won,
///   kept with every deal change (`StageOutcomes`), so a stage's odds over the last 12 months are a sum of a few
///   thousand rows instead of a count over every closed deal's history (3 s at scale L). The migration fills it.
/// - `deals_won_on` also holds what a deal won is summed by (owner, amount, currency, account), so a round of
///   forecasts reads half a year of every rep's wins from the index alone (10 ms at L instead of 630).
/// - SQLite measures `deals` in full: `deals_status_updated`'s figures, taken from a sample of a thousand rows, told the
///   planner a status holds a thousand deals, so it walked every won deal instead of the window's.
extension Migrations {
    static let stageOutcomes = Migration(31, "stage outcomes", sql: """
        CREATE TABLE stage_outcomes (
            day INTEGER NOT NULL,
            stage_id BIGINT NOT NULL,
            closed BIGINT NOT NULL,
            won BIGINT NOT NULL,
            PRIMARY KEY (day, stage_id)
        ) {withoutRowID};
        DROP INDEX deals_won_on;
        CREATE INDEX deals_won_on ON deals (closed_on, owner_id, amount_minor, currency, account_id) WHERE status = 'won'
        """,
        sqliteOnly: ["PRAGMA analysis_limit = 0", "ANALYZE deals"],
        backfill: { sql in try await StageOutcomes.rebuild(in: sql) })
}
