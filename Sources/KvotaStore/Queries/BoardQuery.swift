import Foundation
import KvotaCore
import SQLKit

extension Database {
    /// `pipeline` as a board of the deals `actor` may list, narrowed by `filter`: open stages hold the open deals,
    /// won and lost stages the deals closed since `closedSince`. One grouped count per board and one page of cards
    /// per column, so a board costs the same however many deals a column holds.
    public func board(_ pipelineID: Pipeline.ID, filter: Board.Filter, closedSince: Date, for actor: Actor) async throws -> Board {
        _ = try AccessPolicy.require(actor, .list, .deal)
        let (pipeline, stages) = try await self.pipeline(pipelineID, for: actor)
        var conditions: [SQLQueryString] = [
            "r.pipeline_id = \(bind: pipelineID.rawValue)", RecordAccess.condition(actor, .list, .deal, row: "r"),
        ]
        if let owner = filter.ownerID { conditions.append("r.owner_id = \(bind: owner.rawValue)") }
        if let team = filter.teamID { conditions.append("r.owner_id IN (SELECT id FROM users WHERE team_id = \(bind: team.rawValue))") }
        let common: SQLQueryString = conditions.map { "(\($0))" as SQLQueryString }.joined(separator: " AND ")
        // The board's deals: the open ones and those closed since `closedSince`, as two index ranges (migration 13)
        // rather than `open OR closed since`, which read every deal the pipeline ever had (96 000 at scale M) to
        // find 4 500; a director's board took 105 ms at the 95th percentile.
        let boardDeals: SQLQueryString = """
            SELECT r.* FROM deals AS r WHERE \(common) AND r.status = 'open'
            UNION ALL
            SELECT r.* FROM deals AS r WHERE \(common) AND r.status <> 'open' AND r.closed_at >= \(bind: closedSince.epochMilliseconds)
            """
        return try await read { sql in
            var counts: [Stage.ID: Int] = [:]
            var sums: [Stage.ID: [Money]] = [:]
            for row in try await sql.raw("""
                SELECT r.stage_id, r.currency, COUNT(*) AS n, CAST(SUM(r.amount_minor) AS BIGINT) AS total FROM (\(boardDeals)) AS r
                GROUP BY r.stage_id, r.currency
                """).all() {
                let stage = Stage.ID(try row.decode(column: "stage_id", as: Int64.self))
                counts[stage, default: 0] += try row.decode(column: "n", as: Int.self)
                let currency = try Currency(try row.decode(column: "currency", as: String.self))
                sums[stage, default: []].append(Money(minorUnits: try row.decode(column: "total", as: Int64.self), currency: currency))
            }
            // The newest cards of every column in one pass over the board's deals: a window numbers each stage's
            // deals, and only the first of each are joined and read (per-column queries walked a team's deals once
            // per stage: 125 ms p95 for a head's board at M).
            var cards: [Stage.ID: [Board.Card]] = [:]
            let order = filter.byScore ? "COALESCE(r.score, -1) DESC, r.id DESC" : "r.updated_at DESC, r.id DESC"
            for row in try await sql.raw("""
                SELECT \(unsafeRaw: Self.dealColumns), a.name AS account_name, u.name AS owner_name,
                       (SELECT MAX(h.entered_at) FROM deal_stage_history AS h
                        WHERE h.deal_id = r.id AND h.stage_id = r.stage_id) AS in_stage_since
                FROM (SELECT r.*, ROW_NUMBER() OVER (PARTITION BY r.stage_id ORDER BY \(unsafeRaw: order)) AS place
                      FROM (\(boardDeals)) AS r) AS r
                JOIN accounts AS a ON a.id = r.account_id JOIN users AS u ON u.id = r.owner_id
                WHERE r.place <= \(unsafeRaw: String(Board.cardsPerColumn))
                ORDER BY r.stage_id, r.place
                """).all() {
                let card = Board.Card(deal: try Self.deal(from: row), accountName: try row.decode(column: "account_name", as: String.self),
                                      ownerName: try row.decode(column: "owner_name", as: String.self),
                                      inStageSince: try row.decode(column: "in_stage_since", as: Int64?.self).map(Date.init(epochMilliseconds:)))
                cards[card.deal.stageID, default: []].append(card)
            }
            let columns = stages.map { stage in
                Board.Column(stage: stage, count: counts[stage.id] ?? 0,
                             sums: (sums[stage.id] ?? []).sorted { $0.minorUnits > $1.minorUnits }, cards: cards[stage.id] ?? [])
            }
            return Board(pipeline: pipeline, columns: columns)
        }
    }
}
