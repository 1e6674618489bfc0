import Foundation
import KvotaCore
import SQLKit

/// A closed deal as the funnel reads it, amount still in its own currency.
public struct FunnelDealRecord: Sendable {
    public let id: Int64
    public let createdAt: Date
    public let status: String
    public let closedAt: Date?
    public let closedOn: LocalDate?
    public let amountMinor: Int64
    public let currency: String
    public let lossReason: String?
}

extension Database {
    /// The deals created in the interval (the conversion cohort) with their stage history.
    public func funnelCohort(for actor: Actor, filter: AnalyticsFilter, pipeline: Int64, created interval: DateInterval) async throws -> FunnelCohort {
        let (from, condition) = try funnelDeals(for: actor, filter: filter, pipeline: pipeline, .created(interval))
        return try await funnelCohort(from: from, where: condition)
    }

    /// The deals closed on the days of the window (win rate, cycle, loss reasons).
    public func funnelClosedDeals(for actor: Actor, filter: AnalyticsFilter, pipeline: Int64, window: DateWindow) async throws -> [FunnelDealRecord] {
        let (from, condition) = try funnelDeals(for: actor, filter: filter, pipeline: pipeline, .closed(window))
        // As integer rows, the currency and the loss reason each a few distinct texts: decoding 147 000 deals value by
        // value was a quarter of a director's funnel at scale L. In the index's order: the sums do not depend on it, and
        // sorting by id was a tenth of the read.
        let deals = try await integerRows(["""
            SELECT d.id, d.created_at, d.status, d.closed_at, d.closed_on, d.amount_minor, d.currency, d.loss_reason
            \(from) WHERE \(condition)
            """], columns: ["id", "created_at", "status", "closed_at", "closed_on", "amount_minor", "currency", "loss_reason"],
            texts: ["status", "currency", "loss_reason"])
        return try (0..<deals.count).map { row in
            FunnelDealRecord(
                id: deals[row, 0], createdAt: Date(epochMilliseconds: deals[row, 1]), status: deals.text(row, 2) ?? "",
                closedAt: deals[row, 3] == 0 ? nil : Date(epochMilliseconds: deals[row, 3]),
                closedOn: deals[row, 4] == 0 ? nil : try LocalDate(key: Int(deals[row, 4])), amountMinor: deals[row, 5],
                currency: deals.text(row, 6) ?? "", lossReason: deals.text(row, 7))
        }
    }

    enum FunnelSelection {
        case created(DateInterval)
        case closed(DateWindow)
    }

    /// Where and which of the pipeline's deals the actor may see, narrowed by the manager, team, region and channel
    /// filters (a deal's region and channel are its account's).
    private func funnelDeals(for actor: Actor, filter: AnalyticsFilter, pipeline: Int64,
                             _ selection: FunnelSelection) throws -> (from: SQLQueryString, condition: SQLQueryString) {
        try Self.refuseProductSplit("the funnel", filter: filter, key: .none)
        // A head's or a rep's deals closed in the window are found by owner (deals_closed_owner): the planner's sampled
        // statistics put a pipeline at a thousand deals and took the pipeline's closed deals of every owner instead
        // (the index of a pipeline's closed deals, 147 000 at scale L). A unary plus keeps an index from serving a column.
        let byOwner = AccessPolicy.scope(actor, .list, .deal) != .all || filter.byOwner
        let pipelineColumn: SQLQueryString = if case .closed = selection, byOwner { "+d.pipeline_id" } else { "d.pipeline_id" }
        var conditions: [SQLQueryString] = [RecordAccess.condition(actor, .list, .deal, row: "d"), "\(pipelineColumn) = \(bind: pipeline)"]
        switch selection {
        case .created(let interval):
            conditions.append("d.created_at >= \(bind: interval.start.epochMilliseconds) AND d.created_at < \(bind: interval.end.epochMilliseconds)")
        case .closed(let window):
            conditions.append("d.status <> 'open' AND d.closed_on BETWEEN \(bind: window.from.key) AND \(bind: window.through.key)")
        }
        conditions += Self.ownerFilters(filter, owner: "d.owner_id")
        if let region = filter.regionID { conditions.append("a.region_id IN (\(Self.regionSubtree(region)))") }
        if let channel = filter.channelID { conditions.append("a.channel_id = \(bind: channel.rawValue)") }
        if let accounts = filter.accountIDs { conditions.append("d.account_id IN \(SQLQueryString.list(accounts[...]))") }
        let from: SQLQueryString = "FROM deals d \(Self.accountJoin(needed: filter.regionID != nil || filter.channelID != nil))"
        let condition = conditions.joined(separator: " AND ")
        return (from, condition)
    }

    /// The cohort's deals with their stage history, as integer rows: a year of a pipeline at scale L is some 150 000
    /// deals and 580 000 stage entries, and decoding them value by value, with the history read in lists of 500 deals,
    /// was a third of the funnel's time. Amounts, currencies and loss reasons are not read: the cohort shows none.
    /// On PostgreSQL each deal carries its history as a trail (`postgresFunnelCohort`).
    private func funnelCohort(from: SQLQueryString, where condition: SQLQueryString) async throws -> FunnelCohort {
        if case .postgres(let postgres) = backend {
            return try await postgresFunnelCohort(from: from, where: condition, postgres: postgres)
        }
        // The deals and their history side by side, on two readers.
        async let dealsRead = integerRows(["""
            SELECT d.id, CASE WHEN d.closed_at IS NULL THEN 0 ELSE 1 END AS closed, COALESCE(d.closed_at, 0) AS closed_at
            \(from) WHERE \(condition)
            """], columns: ["id", "closed", "closed_at"])
        // In the engine's order (no sort of the whole history); `FunnelCohort` puts each deal's entries in order.
        async let historyRead = integerRows(["""
            SELECT h.deal_id, h.stage_id, h.entered_at, h.id \(from) JOIN deal_stage_history h ON h.deal_id = d.id WHERE \(condition)
            """], columns: ["deal_id", "stage_id", "entered_at", "id"])
        let deals = try await dealsRead
        let index = KeySlots((0..<deals.count).map { deals[$0, 0] })
        let history = try await historyRead
        var entryDeals: [Int] = [], stages: [Int64] = [], enteredAt: [Int64] = [], order: [Int64] = []
        entryDeals.reserveCapacity(history.count); stages.reserveCapacity(history.count)
        enteredAt.reserveCapacity(history.count); order.reserveCapacity(history.count)
        for row in 0..<history.count {
            // A deal made between the two reads has no row among the deals; its entries are left out.
            guard let deal = index[history[row, 0]] else { continue }
            entryDeals.append(deal); stages.append(history[row, 1]); enteredAt.append(history[row, 2]); order.append(history[row, 3])
        }
        return FunnelCohort(closedAt: (0..<deals.count).map { deals[$0, 1] == 1 ? deals[$0, 2] : nil }, entryDeals: entryDeals,
                            stages: stages, enteredAt: enteredAt, order: order)
    }

    /// Every exchange rate, for converting deal amounts to the base currency.
    public func exchangeRates() async throws -> [ExchangeRate] {
        try await read { sql in
            try await sql.raw("SELECT currency, valid_from, base_micros FROM exchange_rates").all().compactMap { row in
                guard let currency = try? Currency(try row.decode(column: "currency", as: String.self)) else { return nil }
                return ExchangeRate(currency: currency, validFrom: try LocalDate(key: try row.decode(column: "valid_from", as: Int.self)),
                                    baseMicros: try row.decode(column: "base_micros", as: Int64.self))
            }
        }
    }
}
