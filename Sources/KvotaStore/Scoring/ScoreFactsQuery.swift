import Foundation
import KvotaCore
import SQLKit

/// A closed record's examples for training, or an open record's facts for scoring.
public struct ClosedDealExamples: Sendable {
    public var examples: [(record: Int64, facts: DealScoreFacts, won: Bool, closedAt: Date)]
    public var records: Int
}

/// What scoring reads from the store (docs/scoring.md "Features"), as Kvota sees it (every record): no reader's access
/// narrows what the model learns from.
extension Database {
    /// The most recent closed records a training reads at most: a bound on memory and time at any scale, and the
    /// recent years are the ones that say how the team sells now.
    public static let scoringWindow = 200_000

    /// The latest `limit` closed deals, one example per open stage each passed: the facts when it left the stage
    /// (days spent there), won or lost.
    public func closedDealExamples(limit: Int = scoringWindow) async throws -> ClosedDealExamples {
        let rates = RateTable(base: try await companySettings().baseCurrency, rates: try await exchangeRates())
        return try await read { sql in
            let closed: SQLQueryString = "SELECT id FROM deals WHERE status <> 'open' ORDER BY closed_at DESC, id DESC LIMIT \(bind: limit)"
            let deals = try await Self.dealFacts(where: "d.id IN (\(closed))", rates: rates, in: sql)
            var examples: [(record: Int64, facts: DealScoreFacts, won: Bool, closedAt: Date)] = []
            // Each visit of an open stage, with when the deal left it (the next stage's entry).
            for row in try await sql.raw("""
                SELECT v.deal_id, v.stage_id, s.probability, v.entered_at, v.left_at FROM (
                    SELECT h.deal_id, h.stage_id, h.entered_at,
                           LEAD(h.entered_at) OVER (PARTITION BY h.deal_id ORDER BY h.entered_at, h.id) AS left_at
                    FROM deal_stage_history AS h WHERE h.deal_id IN (\(closed))) AS v
                JOIN stages AS s ON s.id = v.stage_id
                WHERE s.outcome = 'open' AND v.left_at IS NOT NULL
                """).all() {
                guard let deal = deals[try row.decode(column: "deal_id", as: Int64.self)], let closedAt = deal.closedAt else { continue }
                var facts = deal.facts
                facts.stageID = try row.decode(column: "stage_id", as: Int64.self)
                facts.stageProbability = try row.decode(column: "probability", as: Int.self)
                let spent = try row.decode(column: "left_at", as: Int64.self) - (try row.decode(column: "entered_at", as: Int64.self))
                facts.daysInStage = Int(spent / 86_400_000)
                examples.append((deal.id, facts, deal.won, closedAt))
            }
            examples.sort { $0.record != $1.record ? $0.record < $1.record : $0.facts.stageID < $1.facts.stageID }
            return ClosedDealExamples(examples: examples, records: deals.count)
        }
    }

    /// Every open deal's facts as of `now`.
    public func openDealFacts(at now: Date) async throws -> [(id: Int64, facts: DealScoreFacts)] {
        let rates = RateTable(base: try await companySettings().baseCurrency, rates: try await exchangeRates())
        return try await read { sql in
            try await Self.dealFacts(where: "d.status = 'open'", rates: rates, now: now, in: sql).values
                .map { ($0.id, $0.facts) }.sorted { $0.id < $1.id }
        }
    }

    private struct DealRow {
        var id: Int64
        var facts: DealScoreFacts
        var won: Bool
        var closedAt: Date?
    }

    /// One row per deal: everything but the stage (for a closed deal, the stage is each one it passed).
    private static func dealFacts(where condition: SQLQueryString, rates: RateTable, now: Date? = nil,
                                  in sql: any SQLDatabase) async throws -> [Int64: DealRow] {
        let week: Int64 = 7 * 86_400_000
        var deals: [Int64: DealRow] = [:]
        for row in try await sql.raw("""
            SELECT d.id, d.status, d.closed_at, d.closed_on, d.amount_minor, d.currency, d.stage_id, s.probability,
                   \(unsafeRaw: Database.inStageSince("d")) AS in_stage_since,
                   d.created_at, d.lead_id, l.source, l.received_at, l.first_response_at, a.channel_id, a.region_id,
                   (SELECT p.category_id FROM deal_lines AS dl JOIN products AS p ON p.id = dl.product_id
                    WHERE dl.deal_id = d.id ORDER BY dl.id LIMIT 1) AS category_id,
                   (SELECT COUNT(*) FROM activities AS ac WHERE ac.deal_id = d.id AND ac.occurred_at < d.created_at + \(bind: week)) AS first_days,
                   (SELECT COUNT(*) FROM deals AS w
                    WHERE w.account_id = d.account_id AND w.status = 'won' AND w.closed_at < d.created_at) AS prior_wins
            FROM deals AS d JOIN stages AS s ON s.id = d.stage_id JOIN accounts AS a ON a.id = d.account_id
            LEFT JOIN leads AS l ON l.id = d.lead_id
            WHERE \(condition)
            """).all() {
            let id = try row.decode(column: "id", as: Int64.self)
            let closedAt = try row.decode(column: "closed_at", as: Int64?.self).map(Date.init(epochMilliseconds:))
            let day = try row.decode(column: "closed_on", as: Int?.self).flatMap { try? LocalDate(key: $0) }
                ?? LocalDate(now ?? closedAt ?? Date(), in: TimeZone(identifier: "UTC")!)
            let amount = try row.decode(column: "amount_minor", as: Int64.self)
            let currency = try Currency(try row.decode(column: "currency", as: String.self))
            let received = try row.decode(column: "received_at", as: Int64?.self)
            let response = try row.decode(column: "first_response_at", as: Int64?.self)
            let since = try row.decode(column: "in_stage_since", as: Int64?.self) ?? (try row.decode(column: "created_at", as: Int64.self))
            let facts = DealScoreFacts(
                stageID: try row.decode(column: "stage_id", as: Int64.self), stageProbability: try row.decode(column: "probability", as: Int.self),
                daysInStage: now.map { Int(max(0, $0.epochMilliseconds - since) / 86_400_000) } ?? 0,
                source: try row.decode(column: "source", as: String?.self),
                channelID: try row.decode(column: "channel_id", as: Int64?.self), regionID: try row.decode(column: "region_id", as: Int64?.self),
                // A deal in a currency without a rate keeps its own amount: a band off is better than no score.
                amountMinor: (try? rates.toBase(amount, currency, on: day)) ?? amount,
                categoryID: try row.decode(column: "category_id", as: Int64?.self),
                responseSeconds: received.flatMap { received in response.map { ($0 - received) / 1_000 } },
                fromLead: try row.decode(column: "lead_id", as: Int64?.self) != nil,
                firstDaysActivities: try row.decode(column: "first_days", as: Int.self), priorWins: try row.decode(column: "prior_wins", as: Int.self))
            deals[id] = DealRow(id: id, facts: facts, won: try row.decode(column: "status", as: String.self) == "won", closedAt: closedAt)
        }
        return deals
    }
}
