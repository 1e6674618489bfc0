import Foundation
import KvotaCore
import SQLKit

/// What one round of evaluation did, per rule.
public struct AlertRound: Sendable {
    public var checked: [AlertRule] = []
    public var raised: [AlertRule: Int] = [:]
    public var cleared: [AlertRule: Int] = [:]

    public var raisedTotal: Int { raised.values.reduce(0, +) }
}

/// An alert not yet cleared, as the evaluation sees it.
struct OpenAlert: Sendable {
    let id: Int64
    let subjectID: Int64
    let episode: String

    var key: String { "\(subjectID)|\(episode)" }
}

extension AlertCandidate {
    var key: String { "\(subjectID)|\(episode)" }
}

extension Database {
    /// Kvota itself, reading every record to evaluate the rules and take the forecasts' weekly snapshots (never writing
    /// as anyone).
    public static let evaluator = Actor(userID: User.ID(0), role: .admin, teamID: nil)

    /// Evaluates the rules as of `date`: raises an alert for each new occurrence and clears those whose condition has
    /// ended. `onSchedule` skips a rule checked more recently than its cadence (by any server: the time is kept in
    /// the database), so the schedule can tick every minute. Safe to run on several servers at once: the open-alert
    /// index lets only one of them raise an occurrence.
    public func evaluateAlerts(at date: Date, rules: [AlertRule] = AlertRule.evaluated, onSchedule: Bool = false) async throws -> AlertRound {
        let settings = try await companySettings()
        let now = date.epochMilliseconds
        let moment = AlertMoment(now: now, today: LocalDate(date, in: settings.timeZone), zone: settings.timeZone, thresholds: settings.thresholds)
        let checked = onSchedule ? try await lastChecks() : [:]
        var round = AlertRound()
        let people = try await AlertPeople.load(self)
        for rule in rules {
            if let last = checked[rule], now - last < Int64(rule.cadenceSeconds) * 1000 { continue }
            let open = try await openAlerts(of: rule)
            let (candidates, holding) = try await look(at: rule, moment, open: open, people: people)
            let (raised, cleared) = try await write { sql -> (Int, Int) in
                let cleared = try await Self.clear(open.filter { !holding.contains($0.key) }.map(\.id), at: now, in: sql)
                let known = Set(open.map(\.key))
                var raised = 0
                for candidate in candidates where !known.contains(candidate.key) {
                    if try await Self.raise(rule, candidate, at: now, people: people, in: sql) { raised += 1 }
                }
                try await sql.raw("""
                    INSERT INTO alert_checks (rule, last_checked) VALUES (\(bind: rule.rawValue), \(bind: now))
                    ON CONFLICT (rule) DO UPDATE SET last_checked = excluded.last_checked
                    """).run()
                return (raised, cleared)
            }
            round.checked.append(rule)
            round.raised[rule] = raised
            round.cleared[rule] = cleared
        }
        return round
    }

    /// Clears the open alerts of `rule` about these subjects whose condition no longer holds, inside the caller's
    /// transaction: the writes that can end a condition (a call logged, a lead answered, a deal touched, an order
    /// placed) call it, so the alert goes the moment its cause does.
    static func recheckAlerts(_ rule: AlertRule, subjects: [Int64]? = nil, at date: Date, zone: TimeZone, in sql: any SQLDatabase) async throws {
        let open = try await openAlerts(of: rule, subjects: subjects, in: sql)
        guard !open.isEmpty else { return }
        let moment = AlertMoment(now: date.epochMilliseconds, today: LocalDate(date, in: zone), zone: zone,
                                 thresholds: try await companySettings(in: sql).thresholds)
        let holding = try await AlertConditions.holding(rule, moment, among: open.map(\.subjectID), in: sql)
        _ = try await clear(open.filter { !holding.contains($0.subjectID) }.map(\.id), at: date.epochMilliseconds, in: sql)
    }

    /// The alerts a logged activity may end: its lead's, its deal's, and a missed call from the number it calls or answers.
    static func recheckAlerts(after activity: Activity, at date: Date, zone: TimeZone, in sql: any SQLDatabase) async throws {
        if let lead = activity.leadID { try await recheckAlerts(.leadUnanswered, subjects: [lead.rawValue], at: date, zone: zone, in: sql) }
        if activity.kind == .call, let number = activity.call?.externalNumber {
            // Only a missed call from the same number can be ended by this one; not every open missed-call alert.
            let missed = try await sql.raw("""
                SELECT al.subject_id FROM alerts al JOIN activities a ON a.id = al.subject_id
                WHERE al.rule = \(bind: AlertRule.missedCall.rawValue) AND al.cleared_at IS NULL AND a.external_number = \(bind: number)
                """).all().map { try $0.decode(column: "subject_id", as: Int64.self) }
            try await recheckAlerts(.missedCall, subjects: missed, at: date, zone: zone, in: sql)
        }
        if let deal = activity.dealID { try await recheckAlerts(.dealStalled, subjects: [deal.rawValue], at: date, zone: zone, in: sql) }
    }

    private func lastChecks() async throws -> [AlertRule: Int64] {
        try await read { sql in
            var checks: [AlertRule: Int64] = [:]
            for row in try await sql.raw("SELECT rule, last_checked FROM alert_checks").all() {
                if let rule = AlertRule(rawValue: try row.decode(column: "rule", as: String.self)) {
                    checks[rule] = try row.decode(column: "last_checked", as: Int64.self)
                }
            }
            return checks
        }
    }

    private func openAlerts(of rule: AlertRule) async throws -> [OpenAlert] {
        try await read { sql in try await Self.openAlerts(of: rule, in: sql) }
    }

    /// The rule's open alerts, or only those about `subjects`: a logged activity rechecks its deal's alert inside the
    /// write, and reading all 14 000 open stalled-deal alerts of scale L to find it held the writer for 15 ms.
    private static func openAlerts(of rule: AlertRule, subjects: [Int64]? = nil, in sql: any SQLDatabase) async throws -> [OpenAlert] {
        if let subjects, subjects.isEmpty { return [] }
        let only: SQLQueryString = subjects.map { " AND subject_id IN \(SQLQueryString.list($0[...]))" } ?? ""
        return try await sql.raw("SELECT id, subject_id, episode FROM alerts WHERE rule = \(bind: rule.rawValue) AND cleared_at IS NULL\(only)").all().map {
            OpenAlert(id: try $0.decode(column: "id", as: Int64.self), subjectID: try $0.decode(column: "subject_id", as: Int64.self),
                      episode: try $0.decode(column: "episode", as: String.self))
        }
    }

    /// The occurrences of `rule` now, and which of the open alerts still hold (by key).
    private func look(at rule: AlertRule, _ at: AlertMoment, open: [OpenAlert],
                      people: AlertPeople) async throws -> (candidates: [AlertCandidate], holding: Set<String>) {
        switch rule {
        case .leadUnanswered, .missedCall, .dealStalled:
            return try await read { sql in
                let found: [AlertCandidate] = switch rule {
                case .leadUnanswered: try await AlertConditions.leadsUnanswered(at, only: nil, in: sql)
                case .missedCall: try await AlertConditions.missedCalls(at, only: nil, in: sql)
                default: try await AlertConditions.dealsStalled(at, only: nil, in: sql)
                }
                let holding = try await AlertConditions.holding(rule, at, among: open.map(\.subjectID), in: sql)
                return (found, Set(holding.map { "\($0)|" }))
            }
        case .keyCustomerSilent:
            let year = try DateWindow(from: at.today.adding(months: -12).adding(days: 1), through: at.today)
            let classes = ABCAnalysis.classify(try await customerRevenue(in: year).map { (id: $0.key, value: $0.value) })
            let aClass = classes.rows.filter { $0.category == .a }.map(\.id)
            return try await read { sql in
                let found = try await AlertConditions.silentCustomers(at, among: aClass, in: sql)
                let holding = try await AlertConditions.holding(rule, at, among: open.map(\.subjectID), in: sql)
                return (found, Set(holding.map { "\($0)|" }))
            }
        case .concentration:
            let year = try DateWindow(from: at.today.adding(months: -12).adding(days: 1), through: at.today)
            let revenue = try await customerRevenue(in: year)
            let figures = Concentration(revenue.map { (id: $0.key, value: $0.value) }, thresholds: at.thresholds.concentration)
            guard figures.alert, let top = figures.ranked.first else { return ([], []) }
            let name = try await analyticsNames(.account, ids: [top.id])[top.id] ?? "#\(top.id)"
            let candidate = AlertCandidate(subjectID: 0, ownerID: nil, title: name, value: figures.topShare, directors: true)
            return ([candidate], [candidate.key])
        case .planBehind:
            return try await plansBehind(at, open: open, people: people)
        case .downgradedFromA:
            // Events: an open one stays until a person resolves it.
            return (try await downgrades(at), Set(open.map(\.key)))
        case .webhookPaused:
            // Raised by the delivery round (WebhookQueue), never looked for.
            return ([], Set(open.map(\.key)))
        }
    }

    private func customerRevenue(in window: DateWindow) async throws -> [Int64: Int64] {
        try await salesTotals(for: Self.evaluator, filter: AnalyticsFilter(), window: window, key: .account).mapValues(\.revenue)
    }

    /// Approved plans from the middle of their period on whose run-rate fulfilment of a target is under the threshold;
    /// an open alert about a plan holds while that is so (after the period, on the final actual).
    private func plansBehind(_ at: AlertMoment, open: [OpenAlert],
                             people: AlertPeople) async throws -> (candidates: [AlertCandidate], holding: Set<String>) {
        let current = try await plans(for: Self.evaluator, filter: PlanFilter(from: at.today, through: at.today, status: .approved))
        let openIDs = Set(open.map(\.subjectID))
        var candidates: [AlertCandidate] = [], holding: Set<String> = []
        for plan in current where plan.period.start.days(until: at.today) + 1 >= (plan.period.dayCount + 1) / 2 {
            candidates += try await behind(plan, at, people: people)
        }
        for id in openIDs {
            // A plan deleted since holds nothing.
            guard let plan = try? await self.plan(Plan.ID(id), for: Self.evaluator) else { continue }
            holding.formUnion(try await behind(plan, at, people: people).map(\.key))
        }
        return (candidates, holding)
    }

    private func behind(_ plan: Plan, _ at: AlertMoment, people: AlertPeople) async throws -> [AlertCandidate] {
        let asOf = min(at.today, plan.period.end.adding(days: -1))
        let standing = try await standing(of: plan, for: Self.evaluator, asOf: asOf)
        let (owner, name) = people.subject(plan.subject)
        return standing.targets.compactMap { target in
            guard target.progress.target > 0, let projection = target.progress.projection else { return nil }
            let fulfilment = Double(projection) / Double(target.progress.target)
            guard fulfilment < at.thresholds.planFulfilment else { return nil }
            return AlertCandidate(subjectID: plan.id.rawValue, episode: target.measure.rawValue, ownerID: owner?.rawValue,
                                  title: "\(name) · \(plan.period.label)", value: fulfilment, directors: plan.subject.isCompanyOrTeam)
        }
    }

    /// Customers A in the three full months before the last three, and B, C or without purchases in the last three.
    private func downgrades(_ at: AlertMoment) async throws -> [AlertCandidate] {
        let thisMonth = Period(.month, containing: at.today).start
        let recent = try DateWindow(from: thisMonth.adding(months: -3), through: thisMonth.adding(days: -1))
        let before = try DateWindow(from: thisMonth.adding(months: -6), through: thisMonth.adding(months: -3).adding(days: -1))
        func classes(_ window: DateWindow) async throws -> [Int64: ABCClass] {
            let result = ABCAnalysis.classify(try await customerRevenue(in: window).map { (id: $0.key, value: $0.value) })
            return Dictionary(uniqueKeysWithValues: result.rows.map { ($0.id, $0.category) })
        }
        let then = try await classes(before), now = try await classes(recent)
        let fallen = then.filter { $0.value == .a && now[$0.key] != .a }.map(\.key).sorted()
        guard !fallen.isEmpty else { return [] }
        let names = try await analyticsNames(.account, ids: Set(fallen))
        let owners = try await accountOwners(Set(fallen))
        let episode = "\(recent.from.iso)/\(recent.through.iso)"
        return fallen.map { id in
            // An account without an owner reads as owner 0.
            AlertCandidate(subjectID: id, episode: episode, ownerID: owners[id].flatMap { $0 == 0 ? nil : $0 }, title: names[id] ?? "#\(id)",
                           value: now[id].map { $0 == .b ? 2 : 3 } ?? 4)
        }
    }

    /// Writes one occurrence and its recipients; false when another server raised it first.
    private static func raise(_ rule: AlertRule, _ candidate: AlertCandidate, at now: Int64, people: AlertPeople,
                              in sql: any SQLDatabase) async throws -> Bool {
        try await raise(rule, candidate, at: now,
                        recipients: people.recipients(owner: candidate.ownerID.map { User.ID($0) }, directors: candidate.directors), in: sql)
    }

    /// Writes one occurrence for these recipients; false when another server raised it first.
    static func raise(_ rule: AlertRule, _ candidate: AlertCandidate, at now: Int64, recipients: [User.ID],
                      in sql: any SQLDatabase) async throws -> Bool {
        guard let row = try await sql.raw("""
            INSERT INTO alerts (rule, subject_id, episode, owner_id, title, since_at, value, raised_at)
            VALUES (\(bind: rule.rawValue), \(bind: candidate.subjectID), \(bind: candidate.episode), \(bind: candidate.ownerID),
                    \(bind: candidate.title), \(bind: candidate.since), \(bind: candidate.value), \(bind: now))
            ON CONFLICT DO NOTHING RETURNING id
            """).first() else { return false }
        let id = try row.decode(column: "id", as: Int64.self)
        for user in recipients {
            try await sql.raw("INSERT INTO alert_recipients (alert_id, user_id) VALUES (\(bind: id), \(bind: user.rawValue))").run()
        }
        try await WebhookOutbox.enqueue(.alertRaised, [
            "id": id, "rule": rule.rawValue, "subject": rule.subject.rawValue, "subjectId": candidate.subjectID,
            "ownerId": candidate.ownerID, "title": candidate.title, "value": candidate.value,
            "recipientIds": recipients.map(\.rawValue),
        ], by: nil, at: Date(epochMilliseconds: now), in: sql)
        return true
    }

    /// Marks these alerts cleared (and resolved, if nobody resolved them).
    private static func clear(_ ids: [Int64], at now: Int64, in sql: any SQLDatabase) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ ids[$0..<min($0 + 500, ids.count)] }) {
            try await sql.raw("""
                UPDATE alerts SET cleared_at = \(bind: now), resolved_at = COALESCE(resolved_at, \(bind: now))
                WHERE id IN \(SQLQueryString.list(chunk)) AND cleared_at IS NULL
                """).run()
        }
        return ids.count
    }
}
