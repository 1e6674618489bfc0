import Foundation
import KvotaCore
import SQLKit

/// One rep on one page (issue 8, "rep card"): their KPIs beside the period before and the team, their month's plan,
/// when in the week they work with customers, and their deals gone quiet.
public struct RepCard: Sendable {
    public let userID: User.ID
    public let kpis: KPIReport
    /// The plan of the month holding the window's last day, with its cumulative actuals.
    public let plan: (standing: PlanStanding, cumulative: PlanCumulative)?
    /// Calls, meetings and messages by ISO weekday (0 = Monday) and hour of day in the company's time zone.
    public let heatMap: [[Int]]
    public let stalledDeals: [DailyMeeting.Item]
}

extension Database {
    /// The rep card of `user` over `window`, as the actor may see it (whoever may read the user's plans: the rep, their
    /// head, directors, analysts, admins).
    public func repCard(_ user: User.ID, over window: DateWindow, asOf: LocalDate, for actor: Actor) async throws -> RepCard {
        let kpis = try await kpis(of: .user(user), over: window, asOf: asOf, for: actor)
        let period = Period(.month, containing: window.through)
        var plan: (PlanStanding, PlanCumulative)?
        if let found = try await self.plan(about: .user(user), period: period, for: actor) {
            plan = (try await standing(of: found, for: actor, asOf: asOf), try await cumulative(of: found, for: actor, asOf: asOf))
        }
        let settings = try await companySettings()
        let zone = settings.timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var heat = Array(repeating: Array(repeating: 0, count: 24), count: 7)
        let since = asOf.adding(days: 1).start(in: zone).epochMilliseconds - Int64(settings.thresholds.stalledDays) * 86_400_000
        let (instants, stalled) = try await read { sql in
            let instants = try await sql.raw("""
                SELECT a.occurred_at FROM activities a
                WHERE \(RecordAccess.condition(actor, .list, .activity, row: "a")) AND a.owner_id = \(bind: user.rawValue)
                    AND a.kind IN ('call', 'meeting', 'message') AND a.occurred_on BETWEEN \(bind: window.from.key) AND \(bind: window.through.key)
                """).all().map { try $0.decode(column: "occurred_at", as: Int64.self) }
            return (instants, try await Self.stalledDeals(owners: [user], before: since, for: actor, in: sql))
        }
        for instant in instants {
            let parts = calendar.dateComponents([.weekday, .hour], from: Date(epochMilliseconds: instant))
            // Calendar weekdays start on Sunday = 1.
            heat[((parts.weekday ?? 2) + 5) % 7][parts.hour ?? 0] += 1
        }
        return RepCard(userID: user, kpis: kpis, plan: plan, heatMap: heat, stalledDeals: stalled)
    }
}
