import Foundation

/// One forecast table (issue 10): for the past months what came, and from the current month on what the pipeline, the
/// reps' categories and the history say, beside the plan; with the history forecast's measured accuracy and the
/// outlook for the current month and quarter (METRICS.md "Forecast"). Pure: the store reads the inputs.
public enum RevenueForecast {
    /// The history a forecast reads at most: five years. Older months say little about next quarter and would only
    /// slow the fit.
    public static let maxHistoryMonths = 60

    public struct Inputs: Sendable {
        public var today: LocalDate
        /// Months forecast from the current one on, the current one included.
        public var horizon: Int
        /// Complete months shown before the current one.
        public var pastMonths: Int
        /// Revenue per month (the current one to date), base currency.
        public var revenue: [Period: Int64]
        /// Open deals, or nil when the table has no pipeline side (a product category: deals are not split by product).
        public var open: [WeightedPipeline.OpenDeal]?
        public var probabilities: [Stage.ID: WeightedPipeline.Probability]
        /// Amounts of deals won per month and owner.
        public var won: [Period: [User.ID: Int64]]
        /// Revenue targets by period: months, and the quarter for the quarter's outlook.
        public var plans: [Period: Int64]
        /// Heads' adjustments of the owners' commit, or nil when the table has no adjusted commit (a split by group).
        public var adjustments: [ForecastAdjustment]?

        public init(today: LocalDate, horizon: Int, pastMonths: Int = 12, revenue: [Period: Int64], open: [WeightedPipeline.OpenDeal]?,
                    probabilities: [Stage.ID: WeightedPipeline.Probability] = [:], won: [Period: [User.ID: Int64]] = [:],
                    plans: [Period: Int64] = [:], adjustments: [ForecastAdjustment]? = nil) {
            self.today = today; self.horizon = horizon; self.pastMonths = pastMonths; self.revenue = revenue; self.open = open
            self.probabilities = probabilities; self.won = won; self.plans = plans; self.adjustments = adjustments
        }
    }

    public struct Row: Hashable, Sendable {
        public var month: Period
        /// Revenue that came (to date in the current month); nil for months still ahead.
        public var actual: Int64?
        public var weighted: Int64?
        public var commit: Int64?
        public var bestCase: Int64?
        /// The commit with heads' adjustments in place of the adjusted owners' own numbers.
        public var adjusted: Int64?
        /// The history forecast: ahead, the model's; in the backtested past months, what the backtest forecast for them.
        public var history: Int64?
        public var low: Int64?
        public var high: Int64?
        public var plan: Int64?

        public init(month: Period, actual: Int64? = nil, weighted: Int64? = nil, commit: Int64? = nil, bestCase: Int64? = nil,
                    adjusted: Int64? = nil, history: Int64? = nil, low: Int64? = nil, high: Int64? = nil, plan: Int64? = nil) {
            self.month = month; self.actual = actual; self.weighted = weighted; self.commit = commit; self.bestCase = bestCase
            self.adjusted = adjusted; self.history = history; self.low = low; self.high = high; self.plan = plan
        }
    }

    /// Actual to date + weighted pipeline closing in the rest of the period, against the plan.
    public struct Outlook: Hashable, Sendable {
        public var period: Period
        public var actualToDate: Int64
        public var weightedRest: Int64
        public var plan: Int64?

        public var outlook: Int64 { actualToDate + weightedRest }
        /// Plan − outlook: what is still to be found; negative when the outlook is above the plan.
        public var gap: Int64? { plan.map { $0 - outlook } }
    }

    public struct Result: Sendable {
        public var rows: [Row]
        /// Nil when there is no revenue history at all.
        public var method: HistoryForecast.Method?
        /// The complete months the history forecast read.
        public var historyMonths: Int
        public var accuracy: HistoryForecast.Accuracy
        /// Open deals without an expected close date: in no month.
        public var undated: WeightedPipeline.Month?
        public var month: Outlook?
        public var quarter: Outlook?
    }

    public static func build(_ inputs: Inputs) -> Result {
        let current = Period(.month, containing: inputs.today)
        let series = history(inputs.revenue, before: current)
        let ahead = series.isEmpty ? nil : HistoryForecast.forecast(series, horizon: max(1, inputs.horizon))
        let accuracy = HistoryForecast.backtest(series)

        var weighted: [Period: Int64] = [:]
        var undated: WeightedPipeline.Month?
        if let open = inputs.open {
            for month in WeightedPipeline.byMonth(open, probabilities: inputs.probabilities, current: current) {
                if let period = month.month { weighted[period] = month.weightedMinor } else { undated = month }
            }
        }
        let won = inputs.won.mapValues { $0.values.reduce(0, +) }
        let categories = inputs.open.map { ForecastCategories.byMonth(open: $0, won: won, current: current) }
        let adjusted = inputs.open.flatMap { open in
            inputs.adjustments.map { ForecastAdjustment.adjustedByMonth(open: open, won: inputs.won, adjustments: $0, current: current) }
        }

        var rows: [Row] = []
        var month = Period(.month, containing: current.start.adding(months: -inputs.pastMonths))
        let backtestStart = series.count - accuracy.predicted.count
        for index in 0..<inputs.pastMonths {
            var row = Row(month: month, actual: inputs.revenue[month] ?? 0, plan: inputs.plans[month])
            // The past month's place in the history series, to show what the backtest forecast for it.
            let position = series.count - (inputs.pastMonths - index)
            if position >= backtestStart, position >= 0 {
                row.history = Int64(accuracy.predicted[position - backtestStart].rounded())
            }
            rows.append(row)
            month = month.next
        }
        for step in 0..<inputs.horizon {
            var row = Row(month: month, actual: step == 0 ? inputs.revenue[month] ?? 0 : nil, plan: inputs.plans[month])
            if inputs.open != nil {
                let category = categories?[month] ?? ForecastCategories.Month(month: month)
                row.weighted = weighted[month] ?? 0
                row.commit = category.commitMinor
                row.bestCase = category.bestCaseMinor
                if let adjusted { row.adjusted = adjusted[month] ?? 0 }
            }
            if let forecast = ahead?.months[step] {
                row.history = Int64(forecast.value.rounded())
                row.low = Int64(forecast.low.rounded())
                row.high = Int64(forecast.high.rounded())
            }
            rows.append(row)
            month = month.next
        }

        func outlook(_ period: Period) -> Outlook? {
            guard inputs.open != nil else { return nil }
            var actual: Int64 = 0, rest: Int64 = 0
            var month = Period(.month, containing: period.start)
            while month.start < period.end {
                if month <= current { actual += inputs.revenue[month] ?? 0 }
                if month >= current { rest += weighted[month] ?? 0 }
                month = month.next
            }
            return Outlook(period: period, actualToDate: actual, weightedRest: rest, plan: inputs.plans[period])
        }
        return Result(rows: rows, method: ahead?.method, historyMonths: series.count, accuracy: accuracy, undated: undated,
                      month: outlook(current), quarter: outlook(Period(.quarter, containing: inputs.today)))
    }

    /// The complete months before `current`, from the first with any revenue (a rep who started eight months ago has
    /// eight), at most `maxHistoryMonths`; a month without revenue after that is a zero, not a gap.
    public static func history(_ revenue: [Period: Int64], before current: Period) -> [Double] {
        var month = Period(.month, containing: current.start.adding(months: -maxHistoryMonths))
        var series: [Double] = []
        while month < current {
            let value = revenue[month] ?? 0
            if !series.isEmpty || value != 0 { series.append(Double(value)) }
            month = month.next
        }
        return series
    }
}
