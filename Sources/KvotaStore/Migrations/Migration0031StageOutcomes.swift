/// Stage outcomes (issue 10's speed floor): per closing day and stage, the deals that closed having passed the stage
/// and how many were won, kept with every deal change (`StageOutcomes`), so a stage's odds over the last 12 months are
/// a sum of a few thousand rows instead of a count over every closed deal's history. The migration fills it.
extension Migrations {
    static let stageOutcomes = Migration(31, "stage outcomes", sql: """
        CREATE TABLE stage_outcomes (
            day INTEGER NOT NULL,
            stage_id BIGINT NOT NULL,
            closed BIGINT NOT NULL,
            won BIGINT NOT NULL,
            PRIMARY KEY (day, stage_id)
        ) {withoutRowID}
        """, backfill: { sql in try await StageOutcomes.rebuild(in: sql) })
}
