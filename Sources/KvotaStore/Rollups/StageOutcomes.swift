import KvotaCore
import SQLKit

/// Keeps `stage_outcomes` (migration 31) equal to what the closed deals say: per closing day and stage, how many deals
/// closed having passed the stage and how many of those were won. A stage's odds (METRICS.md "Forecast": its own last
/// 12 months) are read from it: counted from the deals and their stage history on every forecast, they took 3 s at
/// scale L (about a million history rows through two distinct counts), the roll-up answers in a few thousand rows.
/// Kept by difference like the sales roll-ups: a change to a deal that is or becomes closed takes its share off first
/// (`takeOff`) and puts it back after (`putOn`); `rebuild` and `kvota verify` use the same statement.
enum StageOutcomes {
    static let table = "stage_outcomes"
    static let columns = "day, stage_id, closed, won"

    /// The counts of the closed deals meeting `condition` (on `d`), per closing day and stage passed.
    static func select(_ condition: SQLQueryString) -> SQLQueryString {
        """
        SELECT d.closed_on AS day, h.stage_id, COUNT(DISTINCT d.id) AS closed, COUNT(DISTINCT CASE WHEN d.status = 'won' THEN d.id END) AS won
        FROM deals d JOIN deal_stage_history h ON h.deal_id = d.id
        WHERE d.status IN ('won', 'lost') AND d.closed_on IS NOT NULL AND \(condition)
        GROUP BY d.closed_on, h.stage_id
        """
    }

    /// Empties the table and fills it from every closed deal (migration, demo load, `kvota verify --repair`).
    static func rebuild(in sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM stage_outcomes").run()
        try await sql.raw("INSERT INTO stage_outcomes (\(unsafeRaw: columns)) \(select("1 = 1"))").run()
    }

    /// Takes the share of `deal` as it is now off the counts; call before it changes or goes.
    static func takeOff(deal id: Int64, in sql: any SQLDatabase) async throws {
        try await add(deal: id, sign: -1, in: sql)
    }

    /// Puts the share of `deal` as it is now on the counts.
    static func putOn(deal id: Int64, in sql: any SQLDatabase) async throws {
        try await add(deal: id, sign: 1, in: sql)
    }

    /// A deal closes on one day having passed a few stages: a handful of rows, each added to the table's (or taken
    /// off it, and dropped when no deal is left in it).
    private static func add(deal id: Int64, sign: Int64, in sql: any SQLDatabase) async throws {
        for row in try await sql.raw(select("d.id = \(bind: id)")).all() {
            let day = try row.decode(column: "day", as: Int64.self), stage = try row.decode(column: "stage_id", as: Int64.self)
            try await sql.raw("""
                INSERT INTO stage_outcomes (\(unsafeRaw: columns))
                VALUES (\(bind: day), \(bind: stage), \(bind: sign * (try row.decode(column: "closed", as: Int64.self))),
                        \(bind: sign * (try row.decode(column: "won", as: Int64.self))))
                ON CONFLICT (day, stage_id) DO UPDATE SET closed = stage_outcomes.closed + excluded.closed, won = stage_outcomes.won + excluded.won
                """).run()
            if sign < 0 {
                try await sql.raw("DELETE FROM stage_outcomes WHERE day = \(bind: day) AND stage_id = \(bind: stage) AND closed = 0").run()
            }
        }
    }
}
