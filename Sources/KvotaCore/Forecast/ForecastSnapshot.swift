import Foundation

/// What a forecast said about one month, as taken on one day (issue 10): Kvota takes one of every forecast each week,
/// so a later page shows how the number moved as the month came closer and how far off it was.
public struct ForecastSnapshot: Hashable, Sendable {
    /// The Monday of the week it was taken.
    public var takenOn: LocalDate
    /// `company`, `team:ID` or `user:ID`.
    public var scope: String
    /// What the forecast said about the month (its plan is not kept: the plan has its own history).
    public var forecast: RevenueForecast.Row

    public var month: Period { forecast.month }

    public init(takenOn: LocalDate, scope: String, forecast: RevenueForecast.Row) {
        self.takenOn = takenOn; self.scope = scope; self.forecast = forecast
        self.forecast.plan = nil
    }

    /// The rows of a forecast from its current month on, as one week's snapshot.
    public static func taking(_ rows: [RevenueForecast.Row], scope: String, on day: LocalDate) -> [ForecastSnapshot] {
        let week = Period(.week, containing: day).start
        let current = Period(.month, containing: day)
        return rows.filter { $0.month >= current }.map { ForecastSnapshot(takenOn: week, scope: scope, forecast: $0) }
    }

    /// How far each recorded forecast was from what came, over `months` (whole months that have ended): for each month
    /// the last snapshot taken before it began (the forecast a head had going into it). The weighted pipeline and the
    /// commit forecast deals, so they are held against the deals won in the month; the history forecast revenue, so it
    /// is held against revenue. A month without such a snapshot is left out.
    public static func recordedError(_ snapshots: [ForecastSnapshot], months: [Period], revenue: [Period: Int64],
                                     won: [Period: Int64]) -> RecordedError {
        var pairs: [Kind: [(actual: Double, forecast: Double)]] = [:]
        for month in months {
            guard let before = snapshots.filter({ $0.month == month && $0.takenOn < month.start }).max(by: { $0.takenOn < $1.takenOn })?
                .forecast else { continue }
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
