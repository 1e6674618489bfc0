import Foundation
import KvotaCore
import SQLKit

/// The weekly snapshots of every forecast: written once a week per scope (the first of the week stands), read back
/// for how a forecast moved and how far off it was. A snapshot is a number over all of its scope's deals and orders,
/// so only a reader who sees all of them may read it (`AccessPolicy.seesWhole`).
extension Database {
    /// Keeps this week's snapshot of a scope unless one is already taken; true when it was written.
    @discardableResult
    public func saveForecastSnapshot(_ snapshots: [ForecastSnapshot]) async throws -> Bool {
        guard let first = snapshots.first else { return false }
        return try await write { sql in
            let taken = try await sql.raw("""
                SELECT COUNT(*) AS n FROM forecast_snapshots WHERE taken_on = \(bind: first.takenOn.key) AND scope = \(bind: first.scope)
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            guard taken == 0 else { return false }
            for snapshot in snapshots {
                let row = snapshot.forecast
                try await sql.raw("""
                    INSERT INTO forecast_snapshots (taken_on, scope, month, actual_minor, weighted_minor, commit_minor, best_case_minor,
                                                    adjusted_minor, history_minor, low_minor, high_minor)
                    VALUES (\(bind: snapshot.takenOn.key), \(bind: snapshot.scope), \(bind: row.month.start.monthKey), \(bind: row.actual),
                            \(bind: row.weighted), \(bind: row.commit), \(bind: row.bestCase), \(bind: row.adjusted),
                            \(bind: row.history), \(bind: row.low), \(bind: row.high))
                    ON CONFLICT (taken_on, scope, month) DO NOTHING
                    """).run()
            }
            return true
        }
    }

    /// Whether the scope's snapshot of the week containing `day` is taken.
    public func hasForecastSnapshot(scope: String, week day: LocalDate) async throws -> Bool {
        try await read { sql in
            try await sql.raw("""
                SELECT COUNT(*) AS n FROM forecast_snapshots WHERE taken_on = \(bind: Period(.week, containing: day).start.key) AND scope = \(bind: scope)
                """).first()?.decode(column: "n", as: Int.self) ?? 0 > 0
        }
    }

    /// The snapshots of a scope about `months`, oldest first; none for a reader who does not see the whole scope.
    public func forecastSnapshots(of subject: PlanSubject, months: ClosedRange<Period>, for actor: Actor) async throws -> [ForecastSnapshot] {
        guard AccessPolicy.seesWhole(actor, subject) else { return [] }
        return try await read { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.snapshotColumns) FROM forecast_snapshots
                WHERE scope = \(bind: subject.description)
                    AND month BETWEEN \(bind: months.lowerBound.start.monthKey) AND \(bind: months.upperBound.start.monthKey)
                ORDER BY month, taken_on
                """).all().map(Self.snapshot(from:))
        }
    }

    static let snapshotColumns = """
        taken_on, scope, month, actual_minor, weighted_minor, commit_minor, best_case_minor, adjusted_minor, history_minor, low_minor, high_minor
        """

    static func snapshot(from row: any SQLRow) throws -> ForecastSnapshot {
        ForecastSnapshot(takenOn: try LocalDate(key: try row.decode(column: "taken_on", as: Int.self)),
                         scope: try row.decode(column: "scope", as: String.self), forecast: RevenueForecast.Row(
                         month: try Period(monthKey: try row.decode(column: "month", as: Int.self)),
                         actual: try row.decode(column: "actual_minor", as: Int64?.self),
                         weighted: try row.decode(column: "weighted_minor", as: Int64?.self),
                         commit: try row.decode(column: "commit_minor", as: Int64?.self),
                         bestCase: try row.decode(column: "best_case_minor", as: Int64?.self),
                         adjusted: try row.decode(column: "adjusted_minor", as: Int64?.self),
                         history: try row.decode(column: "history_minor", as: Int64?.self),
                         low: try row.decode(column: "low_minor", as: Int64?.self),
                         high: try row.decode(column: "high_minor", as: Int64?.self)))
    }
}
