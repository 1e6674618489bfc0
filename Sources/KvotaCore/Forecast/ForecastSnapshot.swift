import Foundation

/// What a forecast said about one month, as taken on one day (issue 10): Kvota takes one of every forecast each week,
/// so a later page shows how the number moved as the month came closer and how far off it was.
public struct ForecastSnapshot: Hashable, Sendable {
    /// The Monday of the week it was taken.
    public var takenOn: LocalDate
    /// `company`, `team:ID` or `user:ID`.
    public var scope: String
    public var month: Period
    public var actual: Int64?
    public var weighted: Int64?
    public var commit: Int64?
    public var bestCase: Int64?
    public var adjusted: Int64?
    public var history: Int64?
    public var low: Int64?
    public var high: Int64?

    public init(takenOn: LocalDate, scope: String, month: Period, actual: Int64? = nil, weighted: Int64? = nil, commit: Int64? = nil,
                bestCase: Int64? = nil, adjusted: Int64? = nil, history: Int64? = nil, low: Int64? = nil, high: Int64? = nil) {
        self.takenOn = takenOn; self.scope = scope; self.month = month; self.actual = actual; self.weighted = weighted; self.commit = commit
        self.bestCase = bestCase; self.adjusted = adjusted; self.history = history; self.low = low; self.high = high
    }

    /// The rows of a forecast from its current month on, as one week's snapshot.
    public static func taking(_ rows: [RevenueForecast.Row], scope: String, on day: LocalDate) -> [ForecastSnapshot] {
        let week = Period(.week, containing: day).start
        let current = Period(.month, containing: day)
        return rows.filter { $0.month >= current }.map { row in
            ForecastSnapshot(takenOn: week, scope: scope, month: row.month, actual: row.actual, weighted: row.weighted, commit: row.commit,
                             bestCase: row.bestCase, adjusted: row.adjusted, history: row.history, low: row.low, high: row.high)
        }
    }

    /// How far each recorded forecast was from what came, over `months` (whole months that have ended): for each month
    /// the last snapshot taken before it began (the forecast a head had going into it). The weighted pipeline and the
    /// commit forecast deals, so they are held against the deals won in the month; the history forecast revenue, so it
    /// is held against revenue. A month without such a snapshot is left out.
    public static func recordedError(_ snapshots: [ForecastSnapshot], months: [Period], revenue: [Period: Int64],
                                     won: [Period: Int64]) -> RecordedError {
        var pairs: [Kind: [(actual: Double, forecast: Double)]] = [:]
        for month in months {
            guard let before = snapshots.filter({ $0.month == month && $0.takenOn < month.start }).max(by: { $0.takenOn < $1.takenOn }) else {
                continue
            }
            let booked = Double(won[month] ?? 0), came = Double(revenue[month] ?? 0)
            if let weighted = before.weighted { pairs[.weighted, default: []].append((booked, Double(weighted))) }
            if let commit = before.adjusted ?? before.commit { pairs[.commit, default: []].append((booked, Double(commit))) }
            if let history = before.history { pairs[.history, default: []].append((came, Double(history))) }
        }
        func accuracy(_ kind: Kind) -> HistoryForecast.Accuracy { .measuring(pairs[kind] ?? []) }
        return RecordedError(weighted: accuracy(.weighted), commit: accuracy(.commit), history: accuracy(.history))
    }

    private enum Kind { case weighted, commit, history }

    public struct RecordedError: Sendable {
        /// The weighted pipeline against deals won.
        public var weighted: HistoryForecast.Accuracy
        /// The commit (a head's adjusted number where there was one) against deals won.
        public var commit: HistoryForecast.Accuracy
        /// The history forecast as it was recorded, against revenue.
        public var history: HistoryForecast.Accuracy
    }
}
