import Foundation
import KvotaCore
import SQLKit

/// Why a survey link does not take an answer. The public page says which, and nothing about anyone's answers.
public enum SurveyLinkProblem: Error, Equatable, Sendable {
    /// No recipient has this link (never made, mistyped, or replaced by a new one).
    case unknown
    /// Answered already: a link takes one answer and never shows it back.
    case answered
    /// The sending closed before the answer came.
    case closed
}

/// What a respondent's page shows: the questions, and whom they are asked as.
public struct SurveyInvitation: Hashable, Sendable {
    public var survey: Survey
    public var template: SurveyTemplate
    public var accountName: String
    public var contactName: String
}

/// Which answered responses to read: one sending, one account, answered within these days (company time zone).
public struct SurveyResponseFilter: Hashable, Sendable {
    public var survey: Survey.ID?
    public var account: Account.ID?
    public var from: LocalDate?
    public var through: LocalDate?

    public init(survey: Survey.ID? = nil, account: Account.ID? = nil, from: LocalDate? = nil, through: LocalDate? = nil) {
        self.survey = survey; self.account = account; self.from = from; self.through = through
    }
}

/// How the survey report groups responses.
public enum SurveyGrouping: String, CaseIterable, Sendable {
    /// The month the answer came (company time zone).
    case month
    /// The account's owner when the answer came.
    case manager
    /// The account's region.
    case region
    /// The account's ABC class by revenue over the 12 months up to the report's last day, in the whole company.
    case abcClass = "abc_class"
}

public struct SurveyReportRow: Hashable, Sendable {
    public var key: String
    public var name: String
    public var summary: SurveySummary
}

extension Database {
    /// The survey behind a link, for its respondent. The first call marks the link opened.
    public func surveyInvitation(secretHash: String, at now: Date) async throws -> SurveyInvitation {
        let zone = try await companyTimeZone()
        return try await write { sql in
            let (recipient, survey, template) = try await Self.usableLink(secretHash, at: now, zone: zone, in: sql)
            if recipient.openedAt == nil {
                try await sql.raw("UPDATE survey_recipients SET opened_at = \(bind: now.epochMilliseconds) WHERE id = \(bind: recipient.id.rawValue)").run()
            }
            let names = try await sql.raw("""
                SELECT a.name AS account, c.name AS contact FROM accounts a, contacts c
                WHERE a.id = \(bind: recipient.accountID.rawValue) AND c.id = \(bind: recipient.contactID.rawValue)
                """).first()
            return SurveyInvitation(survey: survey, template: template, accountName: try names?.decode(column: "account", as: String.self) ?? "",
                                    contactName: try names?.decode(column: "contact", as: String.self) ?? "")
        }
    }

    /// Takes a respondent's answers, once: every problem is named by question key and nothing is written; a second
    /// answer, even at the same moment from two tabs, is `SurveyLinkProblem.answered`.
    public func answerSurvey(secretHash: String, form: [String: String], at now: Date, address: String? = nil) async throws {
        let zone = try await companyTimeZone()
        try await write { sql in
            let (recipient, _, template) = try await Self.usableLink(secretHash, at: now, zone: zone, in: sql)
            let answers = try template.answers(from: form)
            let (nps, satisfaction) = template.measures(of: answers)
            let json = String(decoding: try Self.payEncoder.encode(answers), as: UTF8.self)
            let manager = try await sql.raw("SELECT owner_id FROM accounts WHERE id = \(bind: recipient.accountID.rawValue)").first()?
                .decode(column: "owner_id", as: Int64?.self)
            guard try await sql.raw("""
                UPDATE survey_recipients SET answered_at = \(bind: now.epochMilliseconds), answers = \(bind: json), nps = \(bind: nps),
                    satisfaction = \(bind: satisfaction), manager_id = \(bind: manager), opened_at = COALESCE(opened_at, \(bind: now.epochMilliseconds))
                WHERE id = \(bind: recipient.id.rawValue) AND answered_at IS NULL
                RETURNING id
                """).first() != nil else { throw SurveyLinkProblem.answered }
            try await AuditLog.append(.init(at: now, actorID: nil, action: "create", entity: "survey response", entityID: recipient.id.rawValue,
                                            changes: AuditLog.created([("nps", nps.map(String.init)),
                                                                       ("satisfaction", satisfaction.map { String(format: "%.3f", $0) })]),
                                            detail: "answered by survey link", address: address), in: sql)
        }
    }

    /// Answered responses the actor may see, newest first.
    public func surveyResponses(for actor: Actor, _ filter: SurveyResponseFilter = .init()) async throws -> [SurveyRecipient] {
        _ = try AccessPolicy.require(actor, .list, .surveyResponse)
        let zone = try await companyTimeZone()
        return try await read { sql in
            try await Self.surveyRecipients(for: actor, Self.responseCondition(filter, zone: zone), in: sql)
                .sorted { ($0.answeredAt!, $0.id.rawValue) > ($1.answeredAt!, $1.id.rawValue) }
        }
    }

    /// NPS and satisfaction of the responses the actor may see, in all and by `grouping`.
    public func surveyReport(for actor: Actor, _ filter: SurveyResponseFilter, by grouping: SurveyGrouping,
                             today: LocalDate) async throws -> (total: SurveySummary, rows: [SurveyReportRow]) {
        let responses = try await surveyResponses(for: actor, filter)
        let zone = try await companyTimeZone()
        var groups: [String: SurveySummary] = [:]
        var names: [String: String] = [:]
        func key(_ response: SurveyRecipient) -> String? {
            switch grouping {
            case .month: Period(.month, containing: LocalDate(response.answeredAt!, in: zone)).label
            case .manager: response.managerID.map { String($0.rawValue) }
            case .region, .abcClass: nil
            }
        }
        var accountKeys: [Int64: String] = [:]
        let accounts = Set(responses.map(\.accountID.rawValue))
        switch grouping {
        case .month:
            break
        case .manager:
            let users = try await userNames()
            for (id, name) in users { names[String(id.rawValue)] = name }
        case .region:
            let regions = Dictionary(uniqueKeysWithValues: try await regions().map { ($0.id.rawValue, $0.name) })
            let regionOf = accounts.isEmpty ? [] : try await read { sql in
                try await sql.raw("SELECT id, region_id FROM accounts WHERE id IN \(SQLQueryString.list(accounts.sorted()[...]))").all()
            }
            for row in regionOf {
                let region = try row.decode(column: "region_id", as: Int64?.self)
                accountKeys[try row.decode(column: "id", as: Int64.self)] = region.map(String.init) ?? ""
                if let region { names[String(region)] = regions[region] ?? "#\(region)" }
            }
        case .abcClass:
            for (account, category) in try await customerClasses(through: filter.through ?? today) where accounts.contains(account) {
                accountKeys[account] = category.rawValue
            }
            for category in ABCClass.allCases { names[category.rawValue] = category.rawValue }
        }
        for response in responses {
            let group = key(response) ?? accountKeys[response.accountID.rawValue] ?? ""
            groups[group, default: SurveySummary()].add(nps: response.nps, satisfaction: response.satisfaction)
        }
        let rows = groups.map { SurveyReportRow(key: $0.key, name: $0.key.isEmpty ? "" : names[$0.key] ?? $0.key, summary: $0.value) }
            .sorted { grouping == .month || grouping == .abcClass ? $0.key < $1.key : ($0.summary.responses, $1.name) > ($1.summary.responses, $0.name) }
        return (SurveySummary(responses), rows)
    }

    /// The key customers the actor may send a survey to: class A by revenue in the whole company over the 12 months up
    /// to `today`, biggest first.
    public func keyCustomers(for actor: Actor, today: LocalDate) async throws -> [(id: Account.ID, name: String)] {
        let revenue = try await customerRevenue(through: today)
        let a = Self.customerClasses(revenue).filter { $0.value == .a }.map(\.key)
        guard !a.isEmpty else { return [] }
        return try await read { sql in
            try await sql.raw("""
                SELECT a.id, a.name FROM accounts a WHERE a.id IN \(SQLQueryString.list(a.sorted()[...]))
                    AND \(RecordAccess.condition(actor, .read, .account, row: "a"))
                """).all().map { (id: Account.ID(try $0.decode(column: "id", as: Int64.self)), name: try $0.decode(column: "name", as: String.self)) }
        }.sorted { (revenue[$0.id.rawValue] ?? 0, $1.name) > (revenue[$1.id.rawValue] ?? 0, $0.name) }
    }

    /// Each customer's ABC class by revenue in the whole company over the 12 months up to `last` (whatever the reader
    /// may see: a rep's A customer is the company's A customer).
    private func customerClasses(through last: LocalDate) async throws -> [Int64: ABCClass] {
        Self.customerClasses(try await customerRevenue(through: last))
    }

    private static func customerClasses(_ revenue: [Int64: Int64]) -> [Int64: ABCClass] {
        let rows = ABCAnalysis.classify(revenue.map { (id: $0.key, value: $0.value) }).rows
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.category) })
    }

    private func customerRevenue(through last: LocalDate) async throws -> [Int64: Int64] {
        let window = try DateWindow(from: last.adding(days: 1).adding(months: -12), through: last)
        return try await salesTotals(for: Self.evaluator, filter: AnalyticsFilter(), window: window, key: .account).mapValues(\.revenue)
    }

    private static func responseCondition(_ filter: SurveyResponseFilter, zone: TimeZone) -> SQLQueryString {
        var parts: [SQLQueryString] = ["r.answered_at IS NOT NULL"]
        if let survey = filter.survey { parts.append("r.survey_id = \(bind: survey.rawValue)") }
        if let account = filter.account { parts.append("r.account_id = \(bind: account.rawValue)") }
        if let from = filter.from { parts.append("r.answered_at >= \(bind: from.start(in: zone).epochMilliseconds)") }
        if let through = filter.through { parts.append("r.answered_at < \(bind: through.adding(days: 1).start(in: zone).epochMilliseconds)") }
        return parts.joined(separator: " AND ")
    }

    /// The recipient, sending and template of a link that can take an answer.
    private static func usableLink(_ secretHash: String, at now: Date, zone: TimeZone,
                                   in sql: any SQLDatabase) async throws -> (SurveyRecipient, Survey, SurveyTemplate) {
        guard let row = try await sql.raw("""
            SELECT r.id, r.survey_id, r.account_id, r.contact_id, r.email, r.opened_at, r.answered_at, r.manager_id, r.answers, r.nps, r.satisfaction
            FROM survey_recipients r WHERE r.token_hash = \(bind: secretHash)
            """).first() else { throw SurveyLinkProblem.unknown }
        let recipient = try surveyRecipient(from: row)
        guard recipient.answeredAt == nil else { throw SurveyLinkProblem.answered }
        guard let survey = try await surveyRows(in: sql, id: recipient.surveyID).first,
              let template = try await surveyTemplates(in: sql, id: survey.templateID).first else { throw SurveyLinkProblem.unknown }
        if let closesOn = survey.closesOn, LocalDate(now, in: zone) > closesOn { throw SurveyLinkProblem.closed }
        return (recipient, survey, template)
    }
}
