/// Each deal's stage history kept on the deal as well, on PostgreSQL: `stage_trail`, the entries in the order they were
/// written, each its stage id and entry time as two big-endian 8-byte integers (`int8send`). The funnel's cohort then
/// reads one row a deal instead of joining the history: at scale L a year of a pipeline is 147 000 deals with 583 000
/// entries, and the join and the hand-over of its rows were 355 ms of a funnel of 500 (docs/performance.md). SQLite
/// joins the same within the budget, so it keeps no copy.
///
/// Kept by statement-level triggers on `deal_stage_history`, so no writer of the history (a stage change, a deal's
/// deletion, the stage history import, the demo load, a restore) can leave a trail behind; `kvota verify` compares
/// every trail with the history (`Database.checkStageTrails`).
extension Migrations {
    static let stageTrailsPostgres = Migration(49, "stage trails on PostgreSQL", sql: "", postgresOnly: [
        "ALTER TABLE deals ADD COLUMN stage_trail BYTEA",
        """
        CREATE FUNCTION kvota_stage_trail(deal BIGINT) RETURNS BYTEA LANGUAGE sql STABLE AS $$
            SELECT string_agg(int8send(h.stage_id) || int8send(h.entered_at), ''::bytea ORDER BY h.id)
            FROM deal_stage_history h WHERE h.deal_id = deal
        $$
        """,
        """
        CREATE FUNCTION kvota_update_stage_trails() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE deals d SET stage_trail = t.trail
            FROM (SELECT c.deal_id, kvota_stage_trail(c.deal_id) AS trail FROM (SELECT DISTINCT deal_id FROM changed) c) t
            WHERE d.id = t.deal_id AND d.stage_trail IS DISTINCT FROM t.trail;
            RETURN NULL;
        END $$
        """,
        """
        CREATE TRIGGER deal_stage_history_trail_insert AFTER INSERT ON deal_stage_history
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION kvota_update_stage_trails()
        """,
        """
        CREATE TRIGGER deal_stage_history_trail_update AFTER UPDATE ON deal_stage_history
        REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION kvota_update_stage_trails()
        """,
        """
        CREATE TRIGGER deal_stage_history_trail_delete AFTER DELETE ON deal_stage_history
        REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION kvota_update_stage_trails()
        """,
        """
        UPDATE deals d SET stage_trail = t.trail
        FROM (SELECT deal_id, string_agg(int8send(stage_id) || int8send(entered_at), ''::bytea ORDER BY id) AS trail
              FROM deal_stage_history GROUP BY deal_id) t
        WHERE d.id = t.deal_id
        """,
    ])
}
