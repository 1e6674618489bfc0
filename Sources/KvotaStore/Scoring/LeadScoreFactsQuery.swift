import Foundation
import KvotaCore
import SQLKit

extension Database {
    /// The latest `limit` closed leads by receipt, each won when it qualified (or was converted) and lost when it
    /// was disqualified; a lead has no closing time, so the split by time is by receipt.
    public func closedLeadExamples(limit: Int = scoringWindow) async throws -> [(record: Int64, facts: LeadScoreFacts, won: Bool, closedAt: Date)] {
        try await read { sql in
            try await Self.leadFacts(where: "r.status IN ('qualified', 'disqualified', 'converted')", limit: limit, now: nil, in: sql)
        }
    }

    /// Every lead still being worked (new or in work) as of `now`.
    public func openLeadFacts(at now: Date) async throws -> [(id: Int64, facts: LeadScoreFacts)] {
        try await read { sql in
            try await Self.leadFacts(where: "r.status IN ('new', 'in_work')", limit: nil, now: now, in: sql).map { ($0.record, $0.facts) }
        }
    }

    private static func leadFacts(where condition: SQLQueryString, limit: Int?, now: Date?,
                                  in sql: any SQLDatabase) async throws -> [(record: Int64, facts: LeadScoreFacts, won: Bool, closedAt: Date)] {
        let firstDays: Int64 = 3 * 86_400_000
        let bound: SQLQueryString = limit.map { "ORDER BY r.received_at DESC, r.id DESC LIMIT \(bind: $0)" } ?? "ORDER BY r.id"
        return try await sql.raw("""
            SELECT r.id, r.status, r.source, r.channel, r.region_id, r.utm_source, r.received_at, r.first_response_at,
                   CASE WHEN r.company_name IS NOT NULL AND r.company_name <> '' THEN 1 ELSE 0 END AS has_company,
                   CASE WHEN r.phone IS NOT NULL AND r.phone <> '' THEN 1 ELSE 0 END AS has_phone,
                   CASE WHEN r.email IS NOT NULL AND r.email <> '' THEN 1 ELSE 0 END AS has_email,
                   (SELECT COUNT(*) FROM activities AS ac
                    WHERE ac.lead_id = r.id AND ac.occurred_at < r.received_at + \(bind: firstDays)) AS first_days
            FROM leads AS r WHERE \(condition) \(bound)
            """).all().map { row in
            let received = try row.decode(column: "received_at", as: Int64.self)
            let response = try row.decode(column: "first_response_at", as: Int64?.self)
            let facts = LeadScoreFacts(
                source: try row.decode(column: "source", as: String.self), channel: try row.decode(column: "channel", as: String?.self),
                regionID: try row.decode(column: "region_id", as: Int64?.self), hasCompany: try row.decode(column: "has_company", as: Int.self) == 1,
                hasPhone: try row.decode(column: "has_phone", as: Int.self) == 1, hasEmail: try row.decode(column: "has_email", as: Int.self) == 1,
                utmSource: try row.decode(column: "utm_source", as: String?.self), responseSeconds: response.map { ($0 - received) / 1_000 },
                // A closed lead has had its chance to be answered.
                waitedSeconds: now.map { ($0.epochMilliseconds - received) / 1_000 } ?? .max,
                firstDaysActivities: try row.decode(column: "first_days", as: Int.self))
            let status = try row.decode(column: "status", as: String.self)
            return (try row.decode(column: "id", as: Int64.self), facts, status != "disqualified", Date(epochMilliseconds: received))
        }
    }
}
