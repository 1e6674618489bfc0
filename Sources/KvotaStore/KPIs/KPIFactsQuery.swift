import Foundation
import KvotaCore
import SQLKit

/// What every KPI read of a request needs, read once: the company's zone and exchange rates, and the stages' odds the
/// weighted pipeline uses (METRICS.md "Forecast", as the forecast uses them).
struct KPIContext {
    let zone: TimeZone
    let rates: RateTable
    let thresholds: SalesThresholds
    let odds: [Stage.ID: WeightedPipeline.Probability]
}

extension Database {
    func kpiContext(asOf: LocalDate) async throws -> KPIContext {
        let settings = try await companySettings()
        return KPIContext(zone: settings.timeZone, rates: RateTable(base: settings.baseCurrency, rates: try await exchangeRates()),
                          thresholds: settings.thresholds, odds: try await stageProbabilities(asOf: asOf).mapValues(\.probability))
    }

    /// The facts of one owner (nil: everyone) over `window`, read as the actor (only records they may list count). Sums
    /// over the window by the day things happened; the snapshot facts (open and stalled deals) as of `asOf`'s end.
    /// `customerHistory: false` leaves out the stretch before's customers (churn risk, downgrades from A), which only
    /// those two KPIs read and which cost the most.
    func kpiFacts(owner: User.ID?, window: DateWindow, asOf: LocalDate, context: KPIContext, customerHistory: Bool = true,
                  for actor: Actor) async throws -> KPIFacts {
        let zone = context.zone
        let from = window.from.start(in: zone).epochMilliseconds
        let end = window.through.adding(days: 1).start(in: zone).epochMilliseconds
        let now = asOf.adding(days: 1).start(in: zone).epochMilliseconds
        var facts = KPIFacts()
        try await activityFacts(&facts, owner: owner, window: window, from: from, end: end, now: now, thresholds: context.thresholds, for: actor)
        try await leadFacts(&facts, owner: owner, window: window, from: from, end: end, now: now, thresholds: context.thresholds, for: actor)
        try await dealFacts(&facts, owner: owner, window: window, from: from, end: end, asOf: asOf, now: now, context: context, for: actor)
        var filter = AnalyticsFilter()
        filter.managerID = owner
        for (account, totals) in try await salesTotals(for: actor, filter: filter, window: window, key: .account, distinctOrders: true) {
            facts.revenue += totals.revenue
            facts.cost += totals.cost
            facts.orders += totals.orders
            facts.revenueByAccount[account, default: 0] += totals.revenue
        }
        facts.customersNew = try await newCustomers(for: actor, filter: filter, window: window, key: .none).reduce(0) { $0 + $1.count }
        if customerHistory {
            // The stretch just before, for downgrades from A and for who of its customers is at churn risk now.
            let days = window.from.days(until: window.through) + 1
            let before = try DateWindow(from: window.from.adding(days: -days), through: window.from.adding(days: -1))
            facts.previousRevenueByAccount = try await salesTotals(for: actor, filter: filter, window: before, key: .account).mapValues(\.revenue)
            let lastDay = try DateWindow(from: window.from, through: max(window.from, min(window.through, asOf)))
            facts.churnRisk = Set(try await churnRisks(of: Array(facts.previousRevenueByAccount.keys), for: actor, filter: filter, window: lastDay).keys)
        }
        let active = Array(facts.revenueByAccount.keys)
        for chunk in stride(from: 0, to: active.count, by: 500).map({ active[$0..<min($0 + 500, active.count)] }) {
            let repeated = try await read { sql in
                try await sql.raw("""
                    SELECT account_id FROM sales_customers WHERE first_day < \(bind: window.from.key) AND account_id IN \(SQLQueryString.list(chunk))
                    """).all().map { try $0.decode(column: "account_id", as: Int64.self) }
            }
            facts.customersRepeat.formUnion(repeated)
        }
        return facts
    }

    /// `from` and `end` bound the window's days in time as well: the day alone is not in an index with the owner, and
    /// at scale L a rep's every activity was read to find a month's (43 of a team's KPIs' 90 ms a member).
    private func activityFacts(_ facts: inout KPIFacts, owner: User.ID?, window: DateWindow, from: Int64, end: Int64, now: Int64,
                               thresholds: SalesThresholds, for actor: Actor) async throws {
        var conditions: [SQLQueryString] = [RecordAccess.condition(actor, .list, .activity, row: "a")]
        if let owner { conditions.append("a.owner_id = \(bind: owner.rawValue)") }
        let scope = conditions.joined(separator: " AND ")
        let effective = thresholds.effectiveTalkSeconds, sla = Int64(thresholds.callbackSeconds) * 1000
        try await read { sql in
            let row = try await sql.raw("""
                SELECT COALESCE(SUM(CASE WHEN a.kind = 'call' AND a.call_direction = 'outbound' THEN 1 ELSE 0 END), 0) AS calls_out,
                       COALESCE(SUM(CASE WHEN a.kind = 'call' AND a.call_direction = 'inbound' THEN 1 ELSE 0 END), 0) AS calls_in,
                       COALESCE(SUM(CASE WHEN a.kind = 'call' AND a.call_disposition = 'answered' THEN 1 ELSE 0 END), 0) AS answered,
                       COALESCE(SUM(CASE WHEN a.kind = 'call' AND a.call_disposition = 'answered' THEN COALESCE(a.talk_seconds, 0) ELSE 0 END), 0) AS talk,
                       COALESCE(SUM(CASE WHEN a.kind = 'call' AND a.call_disposition = 'answered' AND a.talk_seconds >= \(bind: effective)
                                         THEN 1 ELSE 0 END), 0) AS effective,
                       COALESCE(SUM(CASE WHEN a.kind = 'call' AND a.call_direction = 'inbound' AND a.call_disposition = 'missed' THEN 1 ELSE 0 END), 0) AS missed,
                       COALESCE(SUM(CASE WHEN a.kind = 'call' AND a.call_direction = 'inbound' AND a.call_disposition = 'missed' AND EXISTS (
                                SELECT 1 FROM activities b WHERE b.kind = 'call' AND b.call_direction = 'outbound'
                                    AND b.external_number = a.external_number AND b.occurred_at >= a.occurred_at
                                    AND b.occurred_at <= a.occurred_at + \(bind: sla)) THEN 1 ELSE 0 END), 0) AS called_back,
                       COALESCE(SUM(CASE WHEN a.kind = 'meeting' AND a.done_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS meetings
                FROM activities a WHERE \(scope) AND a.occurred_at >= \(bind: from) AND a.occurred_at < \(bind: end)
                    AND a.occurred_on BETWEEN \(bind: window.from.key) AND \(bind: window.through.key)
                """).first()!
            facts.callsOutbound = try row.decode(column: "calls_out", as: Int64.self)
            facts.callsInbound = try row.decode(column: "calls_in", as: Int64.self)
            facts.answeredCalls = try row.decode(column: "answered", as: Int64.self)
            facts.talkSeconds = try row.decode(column: "talk", as: Int64.self)
            facts.effectiveConversations = try row.decode(column: "effective", as: Int64.self)
            facts.missedCalls = try row.decode(column: "missed", as: Int64.self)
            facts.missedCalledBack = try row.decode(column: "called_back", as: Int64.self)
            facts.meetingsHeld = try row.decode(column: "meetings", as: Int64.self)
            // Tasks by when they were done; overdue ones as of the window's end (or today, if sooner). Read from the tasks'
            // own index (migration 51) alone: an owner's tasks of all time, but only their times.
            let tasksEnd = min(end, now)
            // Without an owner SQLite's planner takes the kind's index and reads every task's row (740 000 at scale L,
            // 1.2 s cold); the tasks' own index, scanned whole, holds all the read needs (0.13 s).
            let tasksIndex: SQLQueryString = owner == nil && engine == .sqlite ? "INDEXED BY activities_owner_tasks" : ""
            let tasks = try await sql.raw("""
                SELECT COALESCE(SUM(CASE WHEN a.done_at >= \(bind: from) AND a.done_at < \(bind: tasksEnd) THEN 1 ELSE 0 END), 0) AS done,
                       COALESCE(SUM(CASE WHEN a.done_at >= \(bind: from) AND a.done_at < \(bind: tasksEnd) AND a.due_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS with_due,
                       COALESCE(SUM(CASE WHEN a.done_at >= \(bind: from) AND a.done_at < \(bind: tasksEnd) AND a.done_at <= a.due_at THEN 1 ELSE 0 END), 0) AS on_time,
                       COALESCE(SUM(CASE WHEN a.due_at < \(bind: tasksEnd) AND (a.done_at IS NULL OR a.done_at >= \(bind: tasksEnd)) THEN 1 ELSE 0 END), 0) AS overdue
                FROM activities a \(tasksIndex) WHERE \(scope) AND a.kind = 'task'
                """).first()!
            facts.tasksCompleted = try tasks.decode(column: "done", as: Int64.self)
            facts.tasksCompletedWithDue = try tasks.decode(column: "with_due", as: Int64.self)
            facts.tasksOnTime = try tasks.decode(column: "on_time", as: Int64.self)
            facts.tasksOverdue = try tasks.decode(column: "overdue", as: Int64.self)
        }
    }

    /// `from` and `end` bound the window's days in time too, for the owner's index by time (as for activities).
    private func leadFacts(_ facts: inout KPIFacts, owner: User.ID?, window: DateWindow, from: Int64, end: Int64, now: Int64,
                           thresholds: SalesThresholds, for actor: Actor) async throws {
        var conditions: [SQLQueryString] = [RecordAccess.condition(actor, .list, .lead, row: "l")]
        if let owner { conditions.append("l.owner_id = \(bind: owner.rawValue)") }
        let scope = conditions.joined(separator: " AND ")
        let sla = Int64(thresholds.leadResponseSeconds) * 1000
        try await read { sql in
            let rows = try await sql.raw("""
                SELECT l.received_at, l.first_response_at, l.qualified_on,
                       (SELECT COUNT(*) FROM deals d WHERE d.lead_id = l.id AND d.status = 'won') AS won
                FROM leads l WHERE \(scope) AND l.received_at >= \(bind: from) AND l.received_at < \(bind: end)
                    AND l.received_on BETWEEN \(bind: window.from.key) AND \(bind: window.through.key)
                """).all()
            for row in rows {
                let received = try row.decode(column: "received_at", as: Int64.self)
                let response = try row.decode(column: "first_response_at", as: Int64?.self)
                facts.leadsNew += 1
                if try row.decode(column: "qualified_on", as: Int?.self) != nil { facts.leadsNewQualified += 1 }
                if try row.decode(column: "won", as: Int64.self) > 0 { facts.leadsNewWon += 1 }
                if let response { facts.firstResponseSeconds.append(max(response - received, 0) / 1000) }
                if (response ?? now) - received > sla { facts.leadsOverSLA += 1 }
            }
            facts.qualifiedLeads = try await sql.raw("""
                SELECT COUNT(*) AS n FROM leads l WHERE \(scope) AND l.qualified_on BETWEEN \(bind: window.from.key) AND \(bind: window.through.key)
                """).first()!.decode(column: "n", as: Int64.self)
        }
    }

    private func dealFacts(_ facts: inout KPIFacts, owner: User.ID?, window: DateWindow, from: Int64, end: Int64, asOf: LocalDate, now: Int64,
                           context: KPIContext, for actor: Actor) async throws {
        var conditions: [SQLQueryString] = [RecordAccess.condition(actor, .list, .deal, row: "d")]
        if let owner { conditions.append("d.owner_id = \(bind: owner.rawValue)") }
        let scope = conditions.joined(separator: " AND ")
        let rates = context.rates, zone = context.zone
        let stalledSince = now - Int64(context.thresholds.stalledDays) * 86_400_000
        // The company's closed deals of a month are found by close day; SQLite's planner prefers the status index for
        // `status IN`, which reads every closed deal ever (1.7 s cold at scale L against 0.2 s), so for the company the
        // status is an expression no index holds. An owner's are found by owner either way, and faster with the status.
        let status: SQLQueryString = owner == nil ? "d.status || ''" : "d.status"
        try await read { sql in
            facts.dealsNew = try await sql.raw("""
                SELECT COUNT(*) AS n FROM deals d WHERE \(scope) AND d.created_at >= \(bind: from) AND d.created_at < \(bind: end)
                """).first()!.decode(column: "n", as: Int64.self)
            for row in try await sql.raw("""
                SELECT d.status, d.amount_minor, d.currency, d.created_at, d.closed_on, l.received_on
                FROM deals d LEFT JOIN leads l ON l.id = d.lead_id
                WHERE \(scope) AND \(status) IN ('won', 'lost') AND d.closed_on BETWEEN \(bind: window.from.key) AND \(bind: window.through.key)
                """).all() {
                let closed = try LocalDate(key: try row.decode(column: "closed_on", as: Int.self))
                let amount = try rates.toBase(try row.decode(column: "amount_minor", as: Int64.self),
                                              try Currency(try row.decode(column: "currency", as: String.self)), on: closed)
                guard try row.decode(column: "status", as: String.self) == "won" else {
                    facts.dealsLost += 1; facts.lostAmount += amount; continue
                }
                facts.dealsWon += 1
                facts.wonAmount += amount
                let created = LocalDate(Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)), in: zone)
                facts.cycleDays.append(Int64(max(created.days(until: closed), 0)))
                if let received = try row.decode(column: "received_on", as: Int?.self) {
                    facts.conversionDays.append(Int64(max(try LocalDate(key: received).days(until: closed), 0)))
                }
            }
            for row in try await sql.raw("""
                SELECT d.amount_minor, d.currency, d.stage_id, s.probability, d.created_at,
                       (SELECT MAX(a.occurred_at) FROM activities a WHERE a.deal_id = d.id) AS touched
                FROM deals d JOIN stages s ON s.id = d.stage_id WHERE \(scope) AND d.status = 'open'
                """).all() {
                let amount = try rates.toBase(try row.decode(column: "amount_minor", as: Int64.self),
                                              try Currency(try row.decode(column: "currency", as: String.self)), on: asOf)
                facts.pipelineOpen += amount
                let stage = Stage.ID(try row.decode(column: "stage_id", as: Int64.self))
                let configured = Double(try row.decode(column: "probability", as: Int.self)) / 100
                let odds = context.odds[stage]?.value ?? configured
                facts.pipelineWeighted += Int64((Double(amount) * odds).rounded())
                let lastTouch = max(try row.decode(column: "touched", as: Int64?.self) ?? 0, try row.decode(column: "created_at", as: Int64.self))
                if lastTouch < stalledSince { facts.dealsStalled += 1 }
            }
        }
    }
}
