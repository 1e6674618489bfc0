import Foundation
import KvotaCore
import SQLKit

/// One occurrence of a rule's condition, found now.
struct AlertCandidate: Sendable {
    let subjectID: Int64
    var episode: String = ""
    let ownerID: Int64?
    let title: String
    var since: Int64?
    var value: Double?
    /// Also to the directors (the company's and teams' matters), besides the owner and their head.
    var directors = false
}

/// When a rule's condition is looked at: the instant, the company's day and zone, the thresholds.
struct AlertMoment: Sendable {
    let now: Int64
    let today: LocalDate
    let zone: TimeZone
    let thresholds: SalesThresholds

    var lookbackStart: Int64 { now - Int64(thresholds.lookbackDays) * 86_400_000 }
    /// A day key at or before the lookback's start, for the day indexes.
    var lookbackDay: Int { today.adding(days: -thresholds.lookbackDays - 1).key }
}

/// The conditions of the rules that SQL alone decides (docs/alerts.md): each finds its occurrences now, and tells
/// which of some subjects still hold. The second is what clears an alert, and runs inside the very transaction of a
/// write that may end the condition, so an answered lead stops alerting the moment the call is logged.
enum AlertConditions {
    static let sqlRules: Set<AlertRule> = [.leadUnanswered, .missedCall, .dealStalled, .keyCustomerSilent]

    static func leadsUnanswered(_ at: AlertMoment, only ids: [Int64]?, in sql: any SQLDatabase) async throws -> [AlertCandidate] {
        let cut = at.now - Int64(at.thresholds.leadResponseSeconds) * 1000
        let bound: SQLQueryString = ids.map { "l.id IN \(SQLQueryString.list($0[...]))" }
            ?? "l.received_on >= \(bind: at.lookbackDay) AND l.received_at >= \(bind: at.lookbackStart)"
        return try await sql.raw("""
            SELECT l.id, l.owner_id, l.name AS title, l.received_at AS since FROM leads l
            WHERE \(bound) AND l.first_response_at IS NULL AND l.status IN ('new', 'in_work') AND l.received_at <= \(bind: cut)
            """).all().map(candidate)
    }

    /// A missed inbound call ends when the number is called back, or calls again and is answered.
    static func missedCalls(_ at: AlertMoment, only ids: [Int64]?, in sql: any SQLDatabase) async throws -> [AlertCandidate] {
        let cut = at.now - Int64(at.thresholds.callbackSeconds) * 1000
        let bound: SQLQueryString = ids.map { "a.id IN \(SQLQueryString.list($0[...]))" }
            ?? "a.kind = 'call' AND a.occurred_on >= \(bind: at.lookbackDay) AND a.occurred_at >= \(bind: at.lookbackStart)"
        return try await sql.raw("""
            SELECT a.id, a.owner_id, COALESCE(a.external_number, a.subject) AS title, a.occurred_at AS since FROM activities a
            WHERE \(bound) AND a.kind = 'call' AND a.call_direction = 'inbound' AND a.call_disposition = 'missed'
                AND a.occurred_at <= \(bind: cut)
                AND NOT EXISTS (SELECT 1 FROM activities b WHERE b.external_number = a.external_number AND b.kind = 'call'
                                AND b.occurred_at >= a.occurred_at AND b.id <> a.id
                                AND (b.call_direction = 'outbound' OR b.call_disposition = 'answered'))
            """).all().map(candidate)
    }

    static func dealsStalled(_ at: AlertMoment, only ids: [Int64]?, in sql: any SQLDatabase) async throws -> [AlertCandidate] {
        let cut = at.now - Int64(at.thresholds.stalledDays) * 86_400_000
        let bound: SQLQueryString = ids.map { "d.id IN \(SQLQueryString.list($0[...]))" } ?? "1 = 1"
        return try await sql.raw("""
            SELECT d.id, d.owner_id, d.title,
                   COALESCE((SELECT MAX(a.occurred_at) FROM activities a WHERE a.deal_id = d.id), d.created_at) AS since
            FROM deals d WHERE \(bound) AND \(Database.stalledCondition(deal: "d", before: cut))
            """).all().map(candidate)
    }

    /// Which of these accounts have had no order for the silence threshold (whatever their class now: a customer who
    /// fell out of A by not buying is still the silence the alert is about).
    static func silentCustomers(_ at: AlertMoment, among ids: [Int64], in sql: any SQLDatabase) async throws -> [AlertCandidate] {
        guard !ids.isEmpty else { return [] }
        let lastDay = at.today.adding(days: -at.thresholds.silentDays).key
        var found: [AlertCandidate] = []
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ ids[$0..<min($0 + 500, ids.count)] }) {
            for row in try await sql.raw("""
                SELECT a.id, a.owner_id, a.name AS title, s.last_day FROM accounts a JOIN sales_customers s ON s.account_id = a.id
                WHERE a.id IN \(SQLQueryString.list(chunk)) AND s.last_day <= \(bind: lastDay)
                """).all() {
                let last = try LocalDate(key: try row.decode(column: "last_day", as: Int.self))
                found.append(AlertCandidate(subjectID: try row.decode(column: "id", as: Int64.self),
                                            ownerID: try row.decode(column: "owner_id", as: Int64?.self),
                                            title: try row.decode(column: "title", as: String.self),
                                            since: last.start(in: at.zone).epochMilliseconds,
                                            value: Double(last.days(until: at.today))))
            }
        }
        return found
    }

    /// The occurrences among `ids` of a rule SQL decides, as of `at`.
    static func holding(_ rule: AlertRule, _ at: AlertMoment, among ids: [Int64], in sql: any SQLDatabase) async throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        let found: [AlertCandidate] = switch rule {
        case .leadUnanswered: try await leadsUnanswered(at, only: ids, in: sql)
        case .missedCall: try await missedCalls(at, only: ids, in: sql)
        case .dealStalled: try await dealsStalled(at, only: ids, in: sql)
        case .keyCustomerSilent: try await silentCustomers(at, among: ids, in: sql)
        default: preconditionFailure("\(rule) is not decided by SQL alone")
        }
        return Set(found.map(\.subjectID))
    }

    private static func candidate(_ row: any SQLRow) throws -> AlertCandidate {
        AlertCandidate(subjectID: try row.decode(column: "id", as: Int64.self), ownerID: try row.decode(column: "owner_id", as: Int64?.self),
                       title: try row.decode(column: "title", as: String.self), since: try row.decode(column: "since", as: Int64?.self))
    }
}

extension Database {
    /// An open deal (aliased `deal`) created before `before` with no activity since: METRICS.md's stalled deal, for the
    /// daily meeting's list and the alert alike.
    static func stalledCondition(deal row: String, before: Int64) -> SQLQueryString {
        """
        \(ident: row).status = 'open' AND \(ident: row).created_at < \(bind: before)
            AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.deal_id = \(ident: row).id AND a.occurred_at >= \(bind: before))
        """
    }
}
