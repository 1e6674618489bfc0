import Foundation
import KvotaCore
import SQLKit

/// An open deal as the forecast reads it: amount in the base currency, with what a forecast may be split by (a deal's
/// region and channel are its account's; none is 0, as in the roll-ups).
public struct ForecastDeal: Sendable {
    public let deal: WeightedPipeline.OpenDeal
    public let ownerID: Int64
    public let regionID: Int64
    public let channelID: Int64
}

/// A deal won, by the month it closed in.
public struct ForecastWin: Sendable {
    public let month: Period
    public let amountMinor: Int64
    public let ownerID: Int64
    public let regionID: Int64
    public let channelID: Int64
}

extension Database {
    /// What each stage's own history says (METRICS.md "Forecast"): of the deals closed in `window` (the last 12
    /// months) that passed the stage, how many closed and how many were won, from the stage outcomes (a deal closes
    /// on one day, so each is counted once). Company-wide whoever asks: a stage's odds are the stage's, and the counts
    /// name no deal.
    public func stageHistories(closedIn window: DateWindow) async throws -> [Stage.ID: WeightedPipeline.StageHistory] {
        try await read { sql in
            var histories: [Stage.ID: WeightedPipeline.StageHistory] = [:]
            for row in try await sql.raw("""
                SELECT stage_id, CAST(SUM(closed) AS BIGINT) AS closed, CAST(SUM(won) AS BIGINT) AS won FROM stage_outcomes
                WHERE day BETWEEN \(bind: window.from.key) AND \(bind: window.through.key)
                GROUP BY stage_id
                """).all() {
                histories[Stage.ID(try row.decode(column: "stage_id", as: Int64.self))] =
                    .init(closed: try row.decode(column: "closed", as: Int.self), won: try row.decode(column: "won", as: Int.self))
            }
            return histories
        }
    }

    /// The probability the weighted pipeline uses for every stage, with where it came from.
    public func stageProbabilities(asOf today: LocalDate) async throws -> [Stage.ID: (stage: Stage, probability: WeightedPipeline.Probability,
                                                                                   history: WeightedPipeline.StageHistory?)] {
        let window = try DateWindow(from: today.adding(months: -12).adding(days: 1), through: today)
        let histories = try await stageHistories(closedIn: window)
        var answer: [Stage.ID: (Stage, WeightedPipeline.Probability, WeightedPipeline.StageHistory?)] = [:]
        for stage in try await read({ sql in try await Self.stages(of: nil, in: sql) }) where stage.outcome == .open {
            let history = histories[stage.id]
            answer[stage.id] = (stage, WeightedPipeline.probability(configuredPercent: stage.probability, history: history), history)
        }
        return answer
    }

    /// The open deals the actor may see under `filter`, in the base currency at today's rate; with their region and
    /// channel when `places` asks (a split by either), else 0 for both.
    public func forecastOpenDeals(for actor: Actor, filter: AnalyticsFilter, asOf today: LocalDate, places: Bool = true) async throws -> [ForecastDeal] {
        try Self.refuseProductSplit("the pipeline", filter: filter, key: .none)
        let rates = RateTable(base: try await companySettings().baseCurrency, rates: try await exchangeRates())
        let conditions = Self.forecastDealConditions(actor, filter) + ["d.status = 'open'"]
        return try await read { sql in
            try await sql.raw("""
                SELECT d.amount_minor, d.currency, d.stage_id, d.expected_close_on, d.forecast_category, d.owner_id, \(Self.places(places, filter))
                WHERE \(conditions.joined(separator: " AND "))
                """).all().map { row in
                let category = try row.decode(column: "forecast_category", as: String.self)
                let deal = WeightedPipeline.OpenDeal(
                    amountMinor: try rates.toBase(try row.decode(column: "amount_minor", as: Int64.self),
                                                  try Currency(try row.decode(column: "currency", as: String.self)), on: today),
                    stage: Stage.ID(try row.decode(column: "stage_id", as: Int64.self)),
                    expectedClose: try row.decode(column: "expected_close_on", as: Int?.self).map { try LocalDate(key: $0) },
                    category: ForecastCategory(rawValue: category) ?? .pipeline, owner: User.ID(try row.decode(column: "owner_id", as: Int64.self)))
                return ForecastDeal(deal: deal, ownerID: try row.decode(column: "owner_id", as: Int64.self),
                                    regionID: try row.decode(column: "region_id", as: Int64.self),
                                    channelID: try row.decode(column: "channel_id", as: Int64.self))
            }
        }
    }

    /// Deals won in `window` the actor may see under `filter`, in the base currency at the rate of their closing day;
    /// with their region and channel when `places` asks, else 0 for both.
    public func forecastWins(for actor: Actor, filter: AnalyticsFilter, window: DateWindow, places: Bool = true) async throws -> [ForecastWin] {
        try Self.refuseProductSplit("deals won", filter: filter, key: .none)
        let rates = RateTable(base: try await companySettings().baseCurrency, rates: try await exchangeRates())
        let conditions = Self.forecastDealConditions(actor, filter)
            + ["d.status = 'won'", "d.closed_on BETWEEN \(bind: window.from.key) AND \(bind: window.through.key)"]
        return try await read { sql in
            // Without the account, half a year of every rep's wins is read from `deals_won_on` alone (migration 31).
            try await sql.raw("""
                SELECT d.amount_minor, d.currency, d.closed_on, d.owner_id, \(Self.places(places, filter))
                WHERE \(conditions.joined(separator: " AND "))
                """).all().map { row in
                let closed = try LocalDate(key: try row.decode(column: "closed_on", as: Int.self))
                return ForecastWin(month: Period(.month, containing: closed),
                                   amountMinor: try rates.toBase(try row.decode(column: "amount_minor", as: Int64.self),
                                                                 try Currency(try row.decode(column: "currency", as: String.self)), on: closed),
                                   ownerID: try row.decode(column: "owner_id", as: Int64.self),
                                   regionID: try row.decode(column: "region_id", as: Int64.self),
                                   channelID: try row.decode(column: "channel_id", as: Int64.self))
            }
        }
    }

    /// Revenue targets of the subject's plans (month and quarter plans) that overlap `window`, as far as the actor may
    /// read plans; a reader who may not sees none.
    public func revenueTargets(of subject: PlanSubject, in window: DateWindow, for actor: Actor) async throws -> [Period: Int64] {
        guard AccessPolicy.scope(actor, .read, .plan).allows(subject) else { return [:] }
        var targets: [Period: Int64] = [:]
        for plan in try await plans(for: actor, filter: PlanFilter(from: window.from, through: window.through, subject: subject))
        where plan.period.grain == .month || plan.period.grain == .quarter {
            if let target = plan.target(.revenue) { targets[plan.period] = target }
        }
        return targets
    }

    /// The region and channel columns and the FROM clause: through the deal's account when a split or a filter needs
    /// them.
    private static func places(_ places: Bool, _ filter: AnalyticsFilter) -> SQLQueryString {
        places || filter.regionID != nil || filter.channelID != nil
            ? "COALESCE(a.region_id, 0) AS region_id, COALESCE(a.channel_id, 0) AS channel_id FROM deals d JOIN accounts a ON a.id = d.account_id"
            : "0 AS region_id, 0 AS channel_id FROM deals d"
    }

    private static func forecastDealConditions(_ actor: Actor, _ filter: AnalyticsFilter) -> [SQLQueryString] {
        var conditions: [SQLQueryString] = [RecordAccess.condition(actor, .list, .deal, row: "d")]
        conditions += ownerFilters(filter, owner: "d.owner_id")
        if let region = filter.regionID { conditions.append("a.region_id IN (\(regionSubtree(region)))") }
        if let channel = filter.channelID { conditions.append("a.channel_id = \(bind: channel.rawValue)") }
        if let accounts = filter.accountIDs { conditions.append("d.account_id IN \(SQLQueryString.list(accounts[...]))") }
        return conditions
    }
}
