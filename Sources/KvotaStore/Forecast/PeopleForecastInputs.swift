import Foundation
import KvotaCore
import SQLKit

/// What every person's forecast reads that only a person's own rows answer, read for everyone at once: a round of
/// forecasts (the weekly snapshots, `kvota bench`) builds hundreds, and one read per person and question took most of
/// its time at scale L (docs/performance.md, "Forecasts").
extension Database {
    /// The revenue targets of every person's month and quarter plans that overlap `window`, as far as the actor may
    /// read plans, per person; `revenueTargets(of: .user(…))` says the same for one.
    public func revenueTargetsOfPeople(in window: DateWindow, for actor: Actor) async throws -> [User.ID: [Period: Int64]] {
        try await read { sql in
            var targets: [User.ID: [Period: Int64]] = [:]
            for row in try await sql.raw("""
                SELECT p.user_id, p.grain, p.starts_on, t.target FROM plans p JOIN plan_targets t ON t.plan_id = p.id
                WHERE p.subject_kind = 'user' AND p.grain IN ('month', 'quarter') AND t.measure = \(bind: PlanMeasure.revenue.rawValue)
                    AND p.ends_before > \(bind: window.from.key) AND p.starts_on <= \(bind: window.through.key)
                    AND \(RecordAccess.planCondition(actor, .list, row: "p"))
                """).all() {
                let user = User.ID(try row.decode(column: "user_id", as: Int64.self))
                guard AccessPolicy.scope(actor, .read, .plan).allows(.user(user)) else { continue }
                let grainKey = try row.decode(column: "grain", as: String.self)
                guard let grain = PeriodGrain(rawValue: grainKey) else { throw StoreError.query("plans.grain: unknown '\(grainKey)'") }
                let period = Period(grain, from: try LocalDate(key: try row.decode(column: "starts_on", as: Int.self)))
                targets[user, default: [:]][period] = try row.decode(column: "target", as: Int64.self)
            }
            return targets
        }
    }

    /// The weekly snapshots of every person's forecast about `months` the actor sees whole, per scope ("user:ID"),
    /// oldest first; `forecastSnapshots(of: .user(…))` says the same for one.
    public func forecastSnapshotsOfPeople(months: ClosedRange<Period>, for actor: Actor) async throws -> [String: [ForecastSnapshot]] {
        try await read { sql in
            var snapshots: [String: [ForecastSnapshot]] = [:]
            // The scopes "user:…" are one range of the (scope, month, taken_on) index.
            for row in try await sql.raw("""
                SELECT \(unsafeRaw: Self.snapshotColumns) FROM forecast_snapshots
                WHERE scope >= 'user:' AND scope < 'user;'
                    AND month BETWEEN \(bind: months.lowerBound.start.monthKey) AND \(bind: months.upperBound.start.monthKey)
                ORDER BY scope, month, taken_on
                """).all() {
                let snapshot = try Self.snapshot(from: row)
                guard let id = Int64(snapshot.scope.dropFirst("user:".count)), AccessPolicy.seesWhole(actor, .user(User.ID(id))) else { continue }
                snapshots[snapshot.scope, default: []].append(snapshot)
            }
            return snapshots
        }
    }
}
