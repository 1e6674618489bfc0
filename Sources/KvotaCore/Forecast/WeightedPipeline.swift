import Foundation

/// The weighted pipeline (issue 10, METRICS.md "Forecast"): Σ open amount × probability, by expected close month. A
/// stage's probability is its own history when there is enough of it: the share of the deals that passed the stage
/// and closed in the last 12 months that were won, once at least 30 did; else the probability configured on the stage.
public enum WeightedPipeline {
    /// Closed deals that passed a stage before its history is trusted over the configured probability.
    public static let minimumClosed = 30

    public enum Source: String, Sendable, Codable { case history, configured }

    /// What the last 12 months say of a stage: the deals that passed it and closed, and how many of them were won.
    public struct StageHistory: Hashable, Sendable {
        public var closed: Int
        public var won: Int

        public init(closed: Int, won: Int) { self.closed = closed; self.won = won }
    }

    public struct Probability: Hashable, Sendable {
        /// From 0 to 1.
        public var value: Double
        public var source: Source
    }

    public static func probability(configuredPercent: Int, history: StageHistory?) -> Probability {
        if let history, history.closed >= minimumClosed {
            return Probability(value: Double(history.won) / Double(history.closed), source: .history)
        }
        return Probability(value: Double(min(100, max(0, configuredPercent))) / 100, source: .configured)
    }

    public struct OpenDeal: Hashable, Sendable {
        /// In the base currency.
        public var amountMinor: Int64
        public var stage: Stage.ID
        public var expectedClose: LocalDate?
        public var category: ForecastCategory
        public var owner: User.ID

        public init(amountMinor: Int64, stage: Stage.ID, expectedClose: LocalDate?, category: ForecastCategory = .pipeline, owner: User.ID = 0) {
            self.amountMinor = amountMinor; self.stage = stage; self.expectedClose = expectedClose; self.category = category
            self.owner = owner
        }

        /// The month the deal is expected to close in. With `current`, a deal whose date has passed while it is still
        /// open counts in the current month: it can only close from now on, and dropping it would hide it.
        public func closeMonth(current: Period? = nil) -> Period? {
            guard let expectedClose else { return nil }
            let month = Period(.month, containing: expectedClose)
            if let current, month < current { return current }
            return month
        }
    }

    public struct Month: Hashable, Sendable {
        /// The expected close month; nil for deals without an expected close date, which no month can claim.
        public var month: Period?
        public var weightedMinor: Int64
        public var openMinor: Int64
        public var deals: Int
    }

    /// The open deals weighted by their stage's probability, summed by expected close month (oldest first, the undated
    /// last). Each deal's weighted amount is rounded to the minor unit before summing, so a month is the sum of what its
    /// deals show. A deal in a stage with no probability counts at zero. With `current`, overdue deals count in it.
    public static func byMonth(_ deals: [OpenDeal], probabilities: [Stage.ID: Probability], current: Period? = nil) -> [Month] {
        var months: [Period?: Month] = [:]
        for deal in deals {
            let month = deal.closeMonth(current: current)
            let weighted = (Double(deal.amountMinor) * (probabilities[deal.stage]?.value ?? 0)).rounded()
            var entry = months[month] ?? Month(month: month, weightedMinor: 0, openMinor: 0, deals: 0)
            entry.weightedMinor += Int64(weighted)
            entry.openMinor += deal.amountMinor
            entry.deals += 1
            months[month] = entry
        }
        return months.values.sorted { a, b in
            switch (a.month, b.month) {
            case let (x?, y?): x < y
            case (.some, nil): true
            case (nil, _): false
            }
        }
    }
}
