import Foundation
import KvotaCore
import SQLKit

/// A deal as the funnel reads it, amount still in its own currency.
public struct FunnelDealRecord: Sendable {
    public let id: Int64
    public let createdAt: Date
    public let status: String
    public let closedAt: Date?
    public let closedOn: LocalDate?
    public let amountMinor: Int64
    public let currency: String
    public let lossReason: String?
    public var entries: [(stage: Int64, at: Date)]
}

extension Database {
    public enum FunnelSelection: Sendable {
        /// Deals created in the interval (the conversion cohort), with their stage history.
        case created(DateInterval)
        /// Deals closed on the days of the window (win rate, cycle, loss reasons).
        case closed(DateWindow)
    }

    /// The pipeline's deals the actor may see, narrowed by the manager, team, region and channel filters (a deal's
    /// region and channel are its account's).
    public func funnelDeals(for actor: Actor, filter: AnalyticsFilter, pipeline: Int64, _ selection: FunnelSelection) async throws -> [FunnelDealRecord] {
        try Self.refuseProductSplit("the funnel", filter: filter, key: .none)
        var conditions: [SQLQueryString] = [RecordAccess.condition(actor, .list, .deal, row: "d"), "d.pipeline_id = \(bind: pipeline)"]
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
        let withHistory: Bool = if case .created = selection { true } else { false }
        return try await read { sql in
            var deals = try await sql.raw("""
                SELECT d.id, d.created_at, d.status, d.closed_at, d.closed_on, d.amount_minor, d.currency, d.loss_reason
                FROM deals d \(Self.accountJoin(needed: filter.regionID != nil || filter.channelID != nil)) WHERE \(conditions.joined(separator: " AND ")) ORDER BY d.id
                """).all().map { row in
                FunnelDealRecord(
                    id: try row.decode(column: "id", as: Int64.self),
                    createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)),
                    status: try row.decode(column: "status", as: String.self),
                    closedAt: try row.decode(column: "closed_at", as: Int64?.self).map(Date.init(epochMilliseconds:)),
                    closedOn: try row.decode(column: "closed_on", as: Int?.self).map { try LocalDate(key: $0) },
                    amountMinor: try row.decode(column: "amount_minor", as: Int64.self), currency: try row.decode(column: "currency", as: String.self),
                    lossReason: try row.decode(column: "loss_reason", as: String?.self), entries: [])
            }
            guard withHistory, !deals.isEmpty else { return deals }
            var index: [Int64: Int] = [:]
            for (position, deal) in deals.enumerated() { index[deal.id] = position }
            let ids = deals.map(\.id)
            for start in stride(from: 0, to: ids.count, by: 500) {
                for row in try await sql.raw("""
                    SELECT deal_id, stage_id, entered_at FROM deal_stage_history
                    WHERE deal_id IN \(SQLQueryString.list(ids[start..<min(start + 500, ids.count)])) ORDER BY deal_id, entered_at, id
                    """).all() {
                    let deal = try row.decode(column: "deal_id", as: Int64.self)
                    deals[index[deal]!].entries.append((try row.decode(column: "stage_id", as: Int64.self),
                                                        Date(epochMilliseconds: try row.decode(column: "entered_at", as: Int64.self))))
                }
            }
            return deals
        }
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
