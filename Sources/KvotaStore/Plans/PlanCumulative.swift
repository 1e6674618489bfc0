import Foundation
import KvotaCore

/// A plan's actual summed day by day, for the chart of cumulative actual against the plan line.
public struct PlanCumulative: Sendable {
    /// The days the chart is drawn at (`PlanProgress.checkpoints`), through the period's end.
    public let days: [LocalDate]
    /// Per measure, the actual through each of `days` up to the day asked about (so shorter than `days` mid-period).
    public let actuals: [PlanMeasure: [Int64]]
}

extension Database {
    /// Every target's actual through each checkpoint of the plan's period up to `asOf`, by the same definitions (and
    /// the same team membership by day) as `standing(of:for:asOf:)`. One query per measure and checkpoint span (per
    /// member for a team), so a month is about 31 small reads per measure, and a team's membership is read once.
    public func cumulative(of plan: Plan, for actor: Actor, asOf: LocalDate) async throws -> PlanCumulative {
        let days = PlanProgress.checkpoints(plan.period)
        var actuals: [PlanMeasure: [Int64]] = [:]
        // A team's members and their days are read once for the whole chart, not once a point.
        var members: [User.ID: [DateWindow]]?
        if case .team(let team) = plan.subject, let whole = PlanProgress.window(plan.period, asOf: asOf) {
            members = try await memberDays(of: team, in: whole)
        }
        for target in plan.targets {
            var running: Int64 = 0
            var from = plan.period.start
            var points: [Int64] = []
            for day in days where day <= asOf {
                let window = try DateWindow(from: from, through: day)
                let part = if let members {
                    try await actual(target.measure, members: members, over: window, for: actor)
                } else {
                    try await actual(target.measure, of: plan.subject, over: window, for: actor)
                }
                running += part
                points.append(running)
                from = day.adding(days: 1)
            }
            actuals[target.measure] = points
        }
        return PlanCumulative(days: days, actuals: actuals)
    }
}

extension Database {
    /// The measures' actuals for a plan's subject over `window` (a team's over its members' days in it), read as the
    /// actor: what the team board shows for yesterday beside the month.
    public func actuals(of subject: PlanSubject, _ measures: [PlanMeasure], over window: DateWindow,
                        for actor: Actor) async throws -> [PlanMeasure: Int64] {
        var values: [PlanMeasure: Int64] = [:]
        for measure in measures { values[measure] = try await actual(measure, of: subject, over: window, for: actor) }
        return values
    }
}
