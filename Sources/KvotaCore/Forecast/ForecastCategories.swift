import Foundation

/// The forecast categories' roll-ups (METRICS.md "Forecast"): commit forecast = won to date + open deals in commit;
/// best case = commit forecast + open deals in best case. Pipeline and omitted deals are in neither. These are the
/// reps' own calls, deal by deal, where the weighted pipeline is the stages' odds.
public enum ForecastCategories {
    public struct Month: Hashable, Sendable {
        public var month: Period
        /// Deals won in the month (to date for the current one), in the base currency.
        public var wonMinor: Int64 = 0
        /// Open deals expected to close in the month, by category.
        public var commitOpenMinor: Int64 = 0
        public var bestCaseOpenMinor: Int64 = 0

        public init(month: Period) { self.month = month }

        public var commitMinor: Int64 { wonMinor + commitOpenMinor }
        public var bestCaseMinor: Int64 { commitMinor + bestCaseOpenMinor }
    }

    /// Per month from `current` on, the won amounts and the open commit and best-case deals (overdue ones in the
    /// current month, undated ones in none). Months before `current` are not forecast and are left out.
    public static func byMonth(open deals: [WeightedPipeline.OpenDeal], won: [Period: Int64], current: Period) -> [Period: Month] {
        var months: [Period: Month] = [:]
        for (month, amount) in won where month >= current {
            months[month, default: Month(month: month)].wonMinor += amount
        }
        for deal in deals {
            guard let month = deal.closeMonth(current: current) else { continue }
            switch deal.category {
            case .commit: months[month, default: Month(month: month)].commitOpenMinor += deal.amountMinor
            case .bestCase: months[month, default: Month(month: month)].bestCaseOpenMinor += deal.amountMinor
            case .pipeline, .omitted: break
            }
        }
        return months
    }

    /// The category a deal has after entering `stage`: the stage's default, unless its rep chose one.
    public static func entering(_ stage: Stage, current: ForecastCategory, chosenByRep: Bool) -> ForecastCategory {
        chosenByRep ? current : stage.forecastCategory
    }
}
