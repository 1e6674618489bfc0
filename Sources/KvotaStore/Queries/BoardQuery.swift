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
        // A board of some owners' deals names the pipeline through its stages, so that the owner and stage index
        // (migration 53) answers alone: a condition on `pipeline_id` made SQLite read each open deal's row to check
        // it. A board of everyone's deals names it, for the pipeline and stage index (`deals_open_stage`).
        var conditions: [SQLQueryString] = [RecordAccess.condition(actor, .list, .deal, row: "r")]
        if let owner = filter.ownerID { conditions.append("r.owner_id = \(bind: owner.rawValue)") }
        if let team = filter.teamID { conditions.append("r.owner_id IN (SELECT id FROM users WHERE team_id = \(bind: team.rawValue))") }
        if filter.ownerID == nil && filter.teamID == nil && AccessPolicy.scope(actor, .list, .deal) == .all {
            conditions.append("r.pipeline_id = \(bind: pipelineID.rawValue)")
        }
        let common: SQLQueryString = conditions.map { "(\($0))" as SQLQueryString }.joined(separator: " AND ")
        // The board's deals: the open ones and those closed since `closedSince`, as two index ranges (migration 13)
        // rather than `open OR closed since`, which read every deal the pipeline ever had (96 000 at scale M) to
        // find 4 500; a director's board took 105 ms at the 95th percentile. The close day bounds the closed ones
        // too (a day before, in UTC, is no later than the close day in any zone), so a team's are found through its
        // owners' closed deals by day (`deals_closed_owner`) instead of every closed deal of the pipeline.
        let since = closedSince.epochMilliseconds
        let sinceDay = LocalDate(closedSince.addingTimeInterval(-86_400), in: TimeZone(identifier: "UTC")!).key
        let openStages = stages.filter { $0.outcome == .open }.map(\.id.rawValue)
        let open: SQLQueryString = openStages.isEmpty ? "1 = 0"
            : "\(common) AND r.status = 'open' AND r.stage_id IN \(SQLQueryString.list(openStages[...]))"
        let closed: SQLQueryString = """
            \(common) AND r.status <> 'open' AND r.pipeline_id = \(bind: pipelineID.rawValue) AND r.closed_on >= \(bind: sinceDay)
            AND r.closed_at >= \(bind: since)
            """
        func inColumn(_ stage: Stage) -> SQLQueryString {
            stage.outcome == .open
                ? "\(common) AND r.status = 'open' AND r.stage_id = \(bind: stage.id.rawValue)"
                : "\(closed) AND r.stage_id = \(bind: stage.id.rawValue)"
        }
        return try await read { sql in
            var counts: [Stage.ID: Int] = [:]
            var sums: [Stage.ID: [Money]] = [:]
            // At scale L a team's board holds about 19 000 open deals: counted from an index that holds the owner,
            // stage, currency and amount (migration 53), never from the deals' rows.
            for row in try await sql.raw("""
                SELECT r.stage_id, r.currency, COUNT(*) AS n, CAST(SUM(r.amount_minor) AS BIGINT) AS total FROM deals AS r
                WHERE \(open) GROUP BY r.stage_id, r.currency
                UNION ALL
                SELECT r.stage_id, r.currency, COUNT(*) AS n, CAST(SUM(r.amount_minor) AS BIGINT) AS total FROM deals AS r
                WHERE \(closed) GROUP BY r.stage_id, r.currency
                """).all() {
                let stage = Stage.ID(try row.decode(column: "stage_id", as: Int64.self))
                counts[stage, default: 0] += try row.decode(column: "n", as: Int.self)
                let currency = try Currency(try row.decode(column: "currency", as: String.self))
                sums[stage, default: []].append(Money(minorUnits: try row.decode(column: "total", as: Int64.self), currency: currency))
            }
            // Each column's newest cards by their own index range, ids first: a window over all the board's deals
            // read and sorted every open deal's row (540 ms for a team's board at L). The rows of the 30 a column
            // shows are read once, by id.
            var cards: [Stage.ID: [Board.Card]] = [:]
            let order = filter.byScore ? "COALESCE(r.score, -1) DESC, r.id DESC" : "r.updated_at DESC, r.id DESC"
            let newest: [SQLQueryString] = stages.enumerated().map { index, stage in
                """
                SELECT id FROM (SELECT r.id FROM deals AS r WHERE \(inColumn(stage))
                                ORDER BY \(unsafeRaw: order) LIMIT \(unsafeRaw: String(Board.cardsPerColumn))) AS c\(unsafeRaw: String(index))
                """
            }
            for row in newest.isEmpty ? [] : try await sql.raw("""
                SELECT \(unsafeRaw: Self.dealColumns), a.name AS account_name, u.name AS owner_name,
                       \(unsafeRaw: Self.inStageSince("r")) AS in_stage_since
                FROM deals AS r JOIN accounts AS a ON a.id = r.account_id JOIN users AS u ON u.id = r.owner_id
                WHERE r.id IN (\(newest.joined(separator: " UNION ALL ")))
                ORDER BY r.stage_id, \(unsafeRaw: order)
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
