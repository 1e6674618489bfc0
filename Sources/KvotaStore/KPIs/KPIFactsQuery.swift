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
    let sales = KPISalesReads()
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
    /// those two KPIs read and which cost the most. `snapshot: false` leaves out the open and stalled deals, which only
    /// the window asked about shows (a stretch before has no value for them; the company's took 52 ms at L).
    func kpiFacts(owner: User.ID?, window: DateWindow, asOf: LocalDate, context: KPIContext, customerHistory: Bool = true,
                  snapshot: Bool = true, for actor: Actor) async throws -> KPIFacts {
        let owners: KPIOwners = owner.map { .each([$0]) } ?? .everyone
        let facts = try await kpiFacts(owners, window: window, asOf: asOf, context: context, customerHistory: customerHistory,
                                       snapshot: snapshot, for: actor)
        return facts[owner?.rawValue ?? 0] ?? KPIFacts()
    }

    /// Each member's facts over their days (`spans`, as `memberDays` gives them), the members who share a span read
    /// together.
    func kpiFacts(spans: [User.ID: [DateWindow]], asOf: LocalDate, context: KPIContext, customerHistory: Bool = true,
                  snapshot: Bool = true, for actor: Actor) async throws -> [User.ID: KPIFacts] {
        var facts: [User.ID: KPIFacts] = [:]
        for (window, users) in KPIOwners.bySpan(spans) {
            let read = try await kpiFacts(.each(users), window: window, asOf: asOf, context: context,
                                          customerHistory: customerHistory, snapshot: snapshot, for: actor)
            for (owner, part) in read { facts[User.ID(owner), default: KPIFacts()] = facts[User.ID(owner), default: KPIFacts()] + part }
        }
        return facts
    }

    /// The facts of `owners` over `window`, keyed by owner id (0 for everyone): one statement a fact for all of them.
    private func kpiFacts(_ owners: KPIOwners, window: DateWindow, asOf: LocalDate, context: KPIContext, customerHistory: Bool,
                          snapshot: Bool, for actor: Actor) async throws -> [Int64: KPIFacts] {
        if owners.keys.isEmpty { return [:] }
        let zone = context.zone
        let from = window.from.start(in: zone).epochMilliseconds
        let end = window.through.adding(days: 1).start(in: zone).epochMilliseconds
        let now = asOf.adding(days: 1).start(in: zone).epochMilliseconds
        // Independent reads, each on a connection of its own: the company's are each a pass over its records, and
        // a request waits for the longest of them, not for their sum.
        async let activities = activityFacts(owners: owners, window: window, from: from, end: end, now: now, thresholds: context.thresholds,
                                             for: actor)
        async let leads = leadFacts(owners: owners, window: window, from: from, end: end, now: now, thresholds: context.thresholds, for: actor)
        async let deals = dealFacts(owners: owners, window: window, from: from, end: end, asOf: asOf, now: now, context: context,
                                    snapshot: snapshot, for: actor)
        async let customers = customerFacts(owners: owners, window: window, context: context, for: actor)
        func history() async throws -> [Int64: KPIFacts] {
            customerHistory ? try await customerHistoryFacts(owners: owners, window: window, asOf: asOf, context: context, for: actor) : [:]
        }
        async let customersBefore = history()
        var facts = owners.blank
        for part in try await [activities, leads, deals, customers, customersBefore] { facts.merge(part, uniquingKeysWith: +) }
        return facts
    }

    /// Revenue, and customers new and repeat. A team's come from one read of its members' sales by owner and customer.
    private func customerFacts(owners: KPIOwners, window: DateWindow, context: KPIContext, for actor: Actor) async throws -> [Int64: KPIFacts] {
        var facts = owners.blank
        async let firstInWindow = accountsFirstSeen(in: window)
        async let new = newCustomers(owners, window: window, for: actor)
        for (owner, sales) in Self.byOwner(try await customerSales(owners, window: window, context: context, for: actor)) {
            guard var owned = facts[owner] else { continue }
            owned.revenueByAccount.reserveCapacity(sales.count)
            for sale in sales {
                owned.revenue += sale.totals.revenue
                owned.cost += sale.totals.cost
                owned.orders += sale.totals.orders
                owned.revenueByAccount[sale.account, default: 0] += sale.totals.revenue
            }
            facts[owner] = owned
        }
        for (owner, count) in try await new { facts[owner]?.customersNew = count }
        // Customers of the window who had bought before it: all of them but those first seen in it.
        let firstSeen = try await firstInWindow
        for owner in facts.keys {
            facts[owner]!.customersRepeat = Set(facts[owner]!.revenueByAccount.keys).subtracting(firstSeen)
        }
        return facts
    }

    /// The sums of each owner (0: everyone) with each customer over the window, read once a request (`KPISalesReads`).
    /// Each order counted once per owner and customer whatever its lines (for the orders KPI).
    private func customerSales(_ owners: KPIOwners, window: DateWindow, context: KPIContext, for actor: Actor) async throws -> [KPISale] {
        try await context.sales.sales(KPISalesReads.Key(owners: owners, window: window, actor: actor)) {
            switch owners {
            case .everyone:
                return try await self.salesTotals(for: actor, filter: owners.filter, window: window, key: .account, distinctOrders: true)
                    .map { KPISale(owner: 0, account: $0.key, totals: $0.value) }
            case .each:
                return try await self.sales(for: actor, filter: owners.filter, window: window, bucket: .total, key: .owner, perAccount: true,
                                            distinctOrders: true)
                    .map { KPISale(owner: $0.key, account: $0.account, totals: $0.totals) }
            }
        }
    }

    /// The sales of each owner apart, to be added up in facts of the owner's own rather than in place in a table of
    /// every owner's (which copied the facts through the table's optional, customer by customer).
    private static func byOwner(_ sales: [KPISale]) -> [Int64: [KPISale]] {
        if let first = sales.first, sales.allSatisfy({ $0.owner == first.owner }) { return [first.owner: sales] }
        return Dictionary(grouping: sales, by: \.owner)
    }

    /// The customers each owner (0: everyone) won over the window (METRICS.md "New customers").
    private func newCustomers(_ owners: KPIOwners, window: DateWindow, for actor: Actor) async throws -> [Int64: Int64] {
        switch owners {
        case .everyone:
            return [0: try await newCustomers(for: actor, filter: owners.filter, window: window, key: .none).reduce(0) { $0 + $1.count }]
        case .each:
            return try await newCustomersOfEachManager(for: actor, filter: owners.filter, window: window)
        }
    }

    /// The customers first seen in the window: a few hundred at scale L (`sales_customers` holds every customer with an
    /// order, kvota verify). Asking instead which of the window's customers were seen before it took the company's 72
    /// reads of 500 at L.
    private func accountsFirstSeen(in window: DateWindow) async throws -> Set<Int64> {
        try await read { sql in
            Set(try await sql.raw("""
                SELECT account_id FROM sales_customers WHERE first_day BETWEEN \(bind: window.from.key) AND \(bind: window.through.key)
                """).all().map { try $0.decode(column: "account_id", as: Int64.self) })
        }
    }

    /// The stretch before's customers and who of them is at churn risk, which only the churn-risk and A-downgrade KPIs
    /// read and which cost the most.
    private func customerHistoryFacts(owners: KPIOwners, window: DateWindow, asOf: LocalDate, context: KPIContext,
                                      for actor: Actor) async throws -> [Int64: KPIFacts] {
        var facts = owners.blank
        let days = window.from.days(until: window.through) + 1
        let before = try DateWindow(from: window.from.adding(days: -days), through: window.from.adding(days: -1))
        let lastDay = try DateWindow(from: window.from, through: max(window.from, min(window.through, asOf)))
        for (owner, sales) in Self.byOwner(try await customerSales(owners, window: before, context: context, for: actor)) where facts[owner] != nil {
            var revenue: [Int64: Int64] = [:]
            revenue.reserveCapacity(sales.count)
            for sale in sales { revenue[sale.account, default: 0] += sale.totals.revenue }
            facts[owner]!.previousRevenueByAccount = revenue
        }
        switch owners {
        case .everyone:
            facts[0]!.churnRisk = Set(try await churnRisks(of: Array(facts[0]!.previousRevenueByAccount.keys), boughtSince: before.from,
                                                           for: actor, filter: AnalyticsFilter(), window: lastDay).keys)
        case .each:
            let customers = facts.mapValues { Array($0.previousRevenueByAccount.keys) }
            for (owner, risks) in try await churnRisks(byOwner: customers, boughtSince: before.from, for: actor, window: lastDay) {
                facts[owner]?.churnRisk = risks
            }
        }
        return facts
    }

    /// `from` and `end` bound the window's days in time as well: the day alone is not in an index with the owner, and
    /// at scale L a rep's every activity was read to find a month's (43 of a team's KPIs' 90 ms a member).
    private func activityFacts(owners: KPIOwners, window: DateWindow, from: Int64, end: Int64, now: Int64,
                               thresholds: SalesThresholds, for actor: Actor) async throws -> [Int64: KPIFacts] {
        var facts = owners.blank
        let by = owners.grouping("a")
        let scope = by.scope(RecordAccess.condition(actor, .list, .activity, row: "a"))
        let effective = thresholds.effectiveTalkSeconds, sla = Int64(thresholds.callbackSeconds) * 1000
        try await read { sql in
            // The calls on their own, so that PostgreSQL counts them from the index that holds every column asked for
            // here (migration 57); the meetings held are a few in a hundred activities.
            for row in try await sql.raw("""
                SELECT \(by.key) AS owner,
                       COALESCE(SUM(CASE WHEN a.call_direction = 'outbound' THEN 1 ELSE 0 END), 0) AS calls_out,
                       COALESCE(SUM(CASE WHEN a.call_direction = 'inbound' THEN 1 ELSE 0 END), 0) AS calls_in,
                       COALESCE(SUM(CASE WHEN a.call_disposition = 'answered' THEN 1 ELSE 0 END), 0) AS answered,
                       COALESCE(SUM(CASE WHEN a.call_disposition = 'answered' THEN COALESCE(a.talk_seconds, 0) ELSE 0 END), 0) AS talk,
                       COALESCE(SUM(CASE WHEN a.call_disposition = 'answered' AND a.talk_seconds >= \(bind: effective) THEN 1 ELSE 0 END), 0)
                           AS effective,
                       COALESCE(SUM(CASE WHEN a.call_direction = 'inbound' AND a.call_disposition = 'missed' THEN 1 ELSE 0 END), 0) AS missed,
                       COALESCE(SUM(CASE WHEN a.call_direction = 'inbound' AND a.call_disposition = 'missed' AND EXISTS (
                                SELECT 1 FROM activities b WHERE b.kind = 'call' AND b.call_direction = 'outbound'
                                    AND b.external_number = a.external_number AND b.occurred_at >= a.occurred_at
                                    AND b.occurred_at <= a.occurred_at + \(bind: sla)) THEN 1 ELSE 0 END), 0) AS called_back
                FROM activities a WHERE \(scope) AND a.kind = 'call' AND a.occurred_at >= \(bind: from) AND a.occurred_at < \(bind: end)
                    AND a.occurred_on BETWEEN \(bind: window.from.key) AND \(bind: window.through.key) \(by.groupBy)
                """).all() {
                let owner = try row.decode(column: "owner", as: Int64.self)
                facts[owner]?.callsOutbound = try row.decode(column: "calls_out", as: Int64.self)
                facts[owner]?.callsInbound = try row.decode(column: "calls_in", as: Int64.self)
                facts[owner]?.answeredCalls = try row.decode(column: "answered", as: Int64.self)
                facts[owner]?.talkSeconds = try row.decode(column: "talk", as: Int64.self)
                facts[owner]?.effectiveConversations = try row.decode(column: "effective", as: Int64.self)
                facts[owner]?.missedCalls = try row.decode(column: "missed", as: Int64.self)
                facts[owner]?.missedCalledBack = try row.decode(column: "called_back", as: Int64.self)
            }
            for row in try await sql.raw("""
                SELECT \(by.key) AS owner, COUNT(*) AS meetings
                FROM activities a WHERE \(scope) AND a.kind = 'meeting' AND a.done_at IS NOT NULL
                    AND a.occurred_at >= \(bind: from) AND a.occurred_at < \(bind: end)
                    AND a.occurred_on BETWEEN \(bind: window.from.key) AND \(bind: window.through.key) \(by.groupBy)
                """).all() {
                facts[try row.decode(column: "owner", as: Int64.self)]?.meetingsHeld = try row.decode(column: "meetings", as: Int64.self)
            }
            // Tasks by when they were done; overdue ones as of the window's end (or today, if sooner).
            let tasksEnd = min(end, now)
            let tasks: SQLQueryString = switch owners {
            // A team's from its owners' tasks (migration 51, which holds the two times), all they ever had.
            case .each: """
                SELECT \(by.key) AS owner,
                       COALESCE(SUM(CASE WHEN a.done_at >= \(bind: from) AND a.done_at < \(bind: tasksEnd) THEN 1 ELSE 0 END), 0) AS done,
                       COALESCE(SUM(CASE WHEN a.done_at >= \(bind: from) AND a.done_at < \(bind: tasksEnd) AND a.due_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS with_due,
                       COALESCE(SUM(CASE WHEN a.done_at >= \(bind: from) AND a.done_at < \(bind: tasksEnd) AND a.done_at <= a.due_at THEN 1 ELSE 0 END), 0) AS on_time,
                       COALESCE(SUM(CASE WHEN a.due_at < \(bind: tasksEnd) AND (a.done_at IS NULL OR a.done_at >= \(bind: tasksEnd)) THEN 1 ELSE 0 END), 0) AS overdue
                FROM activities a WHERE \(scope) AND a.kind = 'task' \(by.groupBy)
                """
            // The company's from the tasks by time (migration 56): those done in the window are a range of it, and so are
            // the overdue, open ones (no time sorts as a value) and those done after the end. Every task ever was 57 ms
            // at scale L on SQLite, a window.
            case .everyone: """
                SELECT \(by.key) AS owner, d.done, d.with_due, d.on_time,
                       (SELECT COUNT(*) FROM activities a WHERE \(scope) AND a.kind = 'task' AND a.done_at IS NULL AND a.due_at < \(bind: tasksEnd))
                       + (SELECT COUNT(*) FROM activities a WHERE \(scope) AND a.kind = 'task' AND a.done_at >= \(bind: tasksEnd)
                              AND a.due_at < \(bind: tasksEnd)) AS overdue
                FROM (SELECT COUNT(*) AS done, COALESCE(SUM(CASE WHEN a.due_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS with_due,
                             COALESCE(SUM(CASE WHEN a.done_at <= a.due_at THEN 1 ELSE 0 END), 0) AS on_time
                      FROM activities a WHERE \(scope) AND a.kind = 'task' AND a.done_at >= \(bind: from) AND a.done_at < \(bind: tasksEnd)) d
                """
            }
            for tasks in try await sql.raw(tasks).all() {
                let owner = try tasks.decode(column: "owner", as: Int64.self)
                facts[owner]?.tasksCompleted = try tasks.decode(column: "done", as: Int64.self)
                facts[owner]?.tasksCompletedWithDue = try tasks.decode(column: "with_due", as: Int64.self)
                facts[owner]?.tasksOnTime = try tasks.decode(column: "on_time", as: Int64.self)
                facts[owner]?.tasksOverdue = try tasks.decode(column: "overdue", as: Int64.self)
            }
        }
        return facts
    }

    /// `from` and `end` bound the window's days in time too, for the owner's index by time (as for activities).
    private func leadFacts(owners: KPIOwners, window: DateWindow, from: Int64, end: Int64, now: Int64,
                           thresholds: SalesThresholds, for actor: Actor) async throws -> [Int64: KPIFacts] {
        var facts = owners.blank
        let by = owners.grouping("l")
        let scope = by.scope(RecordAccess.condition(actor, .list, .lead, row: "l"))
        let sla = Int64(thresholds.leadResponseSeconds) * 1000
        // As integer rows (a null as 0, hence `responded`): a week's 8 600 leads decoded value by value through SQLKit
        // were a seventh of the company's KPIs' processor time in Kvota at scale L on PostgreSQL.
        let rows = try await integerRows(["""
            SELECT \(by.key) AS owner, l.received_at, CASE WHEN l.first_response_at IS NULL THEN 0 ELSE 1 END AS responded,
                   l.first_response_at, CASE WHEN l.qualified_on IS NULL THEN 0 ELSE 1 END AS qualified,
                   (SELECT COUNT(*) FROM deals d WHERE d.lead_id = l.id AND d.status = 'won') AS won
            FROM leads l WHERE \(scope) AND l.received_at >= \(bind: from) AND l.received_at < \(bind: end)
                AND l.received_on BETWEEN \(bind: window.from.key) AND \(bind: window.through.key)
            """], columns: ["owner", "received_at", "responded", "first_response_at", "qualified", "won"])
        for row in 0..<rows.count {
            let owner = rows[row, 0], received = rows[row, 1]
            let response: Int64? = rows[row, 2] == 0 ? nil : rows[row, 3]
            facts[owner]?.leadsNew += 1
            if rows[row, 4] != 0 { facts[owner]?.leadsNewQualified += 1 }
            if rows[row, 5] > 0 { facts[owner]?.leadsNewWon += 1 }
            if let response { facts[owner]?.firstResponseSeconds.append(max(response - received, 0) / 1000) }
            if (response ?? now) - received > sla { facts[owner]?.leadsOverSLA += 1 }
        }
        // The plans' measure of the same name, counted the same way.
        for (owner, count) in try await qualifiedLeads(owners: owners, window: window, for: actor) { facts[owner]?.qualifiedLeads = count }
        return facts
    }

    private func dealFacts(owners: KPIOwners, window: DateWindow, from: Int64, end: Int64, asOf: LocalDate,
                           now: Int64, context: KPIContext, snapshot: Bool, for actor: Actor) async throws -> [Int64: KPIFacts] {
        var facts = owners.blank
        let by = owners.grouping("d")
        let scope = by.scope(RecordAccess.condition(actor, .list, .deal, row: "d"))
        let rates = context.rates, zone = context.zone
        let stalledSince = now - Int64(context.thresholds.stalledDays) * 86_400_000
        // The company's closed deals of a month are found by close day; SQLite's planner prefers the status index for
        // `status IN`, which reads every closed deal ever (1.7 s cold at scale L against 0.2 s), so for the company the
        // status is an expression no index holds. An owner's are found by owner either way, and faster with the status.
        let status: SQLQueryString = owners == .everyone ? "d.status || ''" : "d.status"
        // The closed deals and today's open ones as integer rows (the currency and status as texts), side by side: the
        // open deals are 27 000 at scale L, and decoding them and the week's closed ones value by value through SQLKit
        // was two fifths of the company's KPIs' processor time in Kvota on PostgreSQL.
        let closedQuery: SQLQueryString = """
            SELECT \(by.key) AS owner, d.status, d.amount_minor, d.currency, d.created_at, d.closed_on, l.received_on
            FROM deals d LEFT JOIN leads l ON l.id = d.lead_id
            WHERE \(scope) AND \(status) IN ('won', 'lost') AND d.closed_on BETWEEN \(bind: window.from.key) AND \(bind: window.through.key)
            """
        let openQueries: [SQLQueryString] = snapshot ? ["""
            SELECT \(by.key) AS owner, d.amount_minor, d.currency, d.stage_id, s.probability, d.created_at,
                   (SELECT MAX(a.occurred_at) FROM activities a WHERE a.deal_id = d.id) AS touched
            FROM deals d JOIN stages s ON s.id = d.stage_id WHERE \(scope) AND d.status = 'open'
            """] : []
        async let closedRead = integerRows([closedQuery], columns: ["owner", "status", "amount_minor", "currency", "created_at", "closed_on", "received_on"],
                                           texts: ["status", "currency"])
        async let openRead = integerRows(openQueries, columns: ["owner", "amount_minor", "currency", "stage_id", "probability", "created_at", "touched"],
                                         texts: ["currency"])
        try await read { sql in
            // Every deal is in a pipeline; naming them lets PostgreSQL (15, without skip scans) read the deals by pipeline
            // and time from the index, not every deal's entry in it (the company's week at L: 26 ms -> 9 ms).
            for row in try await sql.raw("""
                SELECT \(by.key) AS owner, COUNT(*) AS n FROM deals d
                WHERE \(scope) AND d.pipeline_id IN (SELECT id FROM pipelines) AND d.created_at >= \(bind: from) AND d.created_at < \(bind: end)
                \(by.groupBy)
                """).all() {
                facts[try row.decode(column: "owner", as: Int64.self)]?.dealsNew = try row.decode(column: "n", as: Int64.self)
            }
        }
        let closed = try await closedRead
        for row in 0..<closed.count {
            let owner = closed[row, 0]
            let closedOn = try LocalDate(key: Int(closed[row, 5]))
            let amount = try rates.toBase(closed[row, 2], try Currency(closed.text(row, 3) ?? ""), on: closedOn)
            guard closed.text(row, 1) == "won" else {
                facts[owner]?.dealsLost += 1; facts[owner]?.lostAmount += amount; continue
            }
            facts[owner]?.dealsWon += 1
            facts[owner]?.wonAmount += amount
            let created = LocalDate(Date(epochMilliseconds: closed[row, 4]), in: zone)
            facts[owner]?.cycleDays.append(Int64(max(created.days(until: closedOn), 0)))
            // A deal without a lead reads 0, no day.
            if closed[row, 6] != 0 {
                facts[owner]?.conversionDays.append(Int64(max(try LocalDate(key: Int(closed[row, 6])).days(until: closedOn), 0)))
            }
        }
        let open = try await openRead
        for row in 0..<open.count {
            let owner = open[row, 0]
            let amount = try rates.toBase(open[row, 1], try Currency(open.text(row, 2) ?? ""), on: asOf)
            facts[owner]?.pipelineOpen += amount
            let odds = context.odds[Stage.ID(open[row, 3])]?.value ?? Double(open[row, 4]) / 100
            facts[owner]?.pipelineWeighted += Int64((Double(amount) * odds).rounded())
            // No activity reads 0, before any deal was made.
            if max(open[row, 6], open[row, 5]) < stalledSince { facts[owner]?.dealsStalled += 1 }
        }
        return facts
    }
}

/// Whose facts one read gathers: everyone's together (the company), or each of these owners' apart. A team's members
/// are read in one statement a fact, grouped by owner, not one each: a team of 20 over two windows was 550 statements
/// and 0.3 s at scale L on PostgreSQL, most of it round trips.
enum KPIOwners: Hashable, Sendable {
    case everyone
    case each([User.ID])

    /// The analyses' filter for these owners' sales: everyone's, or the managers'.
    var filter: AnalyticsFilter {
        var filter = AnalyticsFilter()
        if case .each(let ids) = self { filter.managerIDs = ids }
        return filter
    }

    /// The members who share each span of days (`memberDays`' spans turned round), so that each group is one read;
    /// spans in order, members in id order.
    static func bySpan(_ spans: [User.ID: [DateWindow]]) -> [(window: DateWindow, users: [User.ID])] {
        var owners: [DateWindow: [User.ID]] = [:]
        for (user, windows) in spans {
            for window in windows { owners[window, default: []].append(user) }
        }
        return owners.map { ($0.key, $0.value.sorted()) }.sorted { ($0.window.from, $0.window.through) < ($1.window.from, $1.window.through) }
    }

    /// Empty facts under each key, for the reads to fill in.
    var blank: [Int64: KPIFacts] { Dictionary(uniqueKeysWithValues: keys.map { ($0, KPIFacts()) }) }

    /// The keys the facts come back under: the owners' ids, or 0 for everyone.
    var keys: [Int64] {
        switch self {
        case .everyone: [0]
        case .each(let owners): owners.map(\.rawValue)
        }
    }

    /// The owner column of `row` to select as the key, the condition keeping the owners' rows and the grouping by them.
    func grouping(_ row: String) -> (key: SQLQueryString, scope: (SQLQueryString) -> SQLQueryString, groupBy: SQLQueryString) {
        switch self {
        case .everyone:
            return ("CAST(0 AS BIGINT)", { $0 }, "")
        case .each(let owners):
            let column: SQLQueryString = "\(unsafeRaw: row).owner_id"
            return (column, { "\($0) AND \(column) IN \(SQLQueryString.list(owners.map(\.rawValue)[...]))" }, "GROUP BY \(column)")
        }
    }
}
