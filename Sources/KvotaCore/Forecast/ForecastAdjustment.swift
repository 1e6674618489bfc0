import Foundation

/// A head's adjustment of one rep's commit forecast for one month (issue 10): the number the head stands behind, kept
/// beside the rep's own, with why. Months that have begun are still open to it; months that have ended are history.
public struct ForecastAdjustment: Hashable, Sendable {
    public var userID: User.ID
    public var month: Period
    /// The adjusted commit, in minor units of the base currency.
    public var amountMinor: Int64
    public var note: String?
    public var adjustedBy: User.ID
    public var adjustedAt: Date
    public var version: Int64

    public init(userID: User.ID, month: Period, amountMinor: Int64, note: String?, adjustedBy: User.ID, adjustedAt: Date, version: Int64 = 1) {
        self.userID = userID; self.month = month; self.amountMinor = amountMinor; self.note = note
        self.adjustedBy = adjustedBy; self.adjustedAt = adjustedAt; self.version = version
    }

    /// Checks what a head asks for: a month that has not ended (in the company calendar), an amount of zero or more,
    /// a note of at most 500 characters.
    public static func check(month: Period, amountMinor: Int64?, note: String?, today: LocalDate, into errors: inout ValidationFailure.Collector) {
        errors.check(month.grain == .month, "month", "expected a month like 2026-12")
        errors.check(month.end > today, "month", "\(month.label) has ended; its forecast is history")
        if let amountMinor { errors.check(amountMinor >= 0, "amountMinor", "must be 0 or more") }
        errors.check((note?.count ?? 0) <= 500, "note", "must be at most 500 characters")
    }

    /// Each owner's commit with the head's number where there is one: the adjusted roll-up of a team or the company.
    public static func adjusted(commit: [User.ID: Int64], adjustments: [User.ID: Int64]) -> Int64 {
        Set(commit.keys).union(adjustments.keys).reduce(0) { $0 + (adjustments[$1] ?? commit[$1] ?? 0) }
    }

    /// The adjusted commit per month from `current` on: each owner's commit (won + open commit deals, as
    /// `ForecastCategories` counts them) with their adjustment in its place.
    public static func adjustedByMonth(open: [WeightedPipeline.OpenDeal], won: [Period: [User.ID: Int64]], adjustments: [ForecastAdjustment],
                                       current: Period) -> [Period: Int64] {
        let commit = commitByOwner(open: open, won: won, current: current)
        var byMonth: [Period: [User.ID: Int64]] = [:]
        for adjustment in adjustments where adjustment.month >= current {
            byMonth[adjustment.month, default: [:]][adjustment.userID] = adjustment.amountMinor
        }
        var result: [Period: Int64] = [:]
        for month in Set(commit.keys).union(byMonth.keys) {
            result[month] = adjusted(commit: commit[month] ?? [:], adjustments: byMonth[month] ?? [:])
        }
        return result
    }

    /// Each owner's own commit per month from `current` on: deals won + open deals in commit (overdue ones in `current`).
    public static func commitByOwner(open: [WeightedPipeline.OpenDeal], won: [Period: [User.ID: Int64]],
                                     current: Period) -> [Period: [User.ID: Int64]] {
        var commit: [Period: [User.ID: Int64]] = [:]
        for (month, owners) in won where month >= current {
            for (owner, amount) in owners { commit[month, default: [:]][owner, default: 0] += amount }
        }
        for deal in open where deal.category == .commit {
            guard let month = deal.closeMonth(current: current) else { continue }
            commit[month, default: [:]][deal.owner, default: 0] += deal.amountMinor
        }
        return commit
    }
}
