import Foundation
import KvotaCore
import SQLKit

/// A survey as its list shows it: the sending, its template's name, and how many of the recipients the reader may see
/// have been sent a link and have answered.
public struct SurveyOverview: Hashable, Sendable {
    public var survey: Survey
    public var templateName: String
    public var recipients: Int
    public var answered: Int

    public init(survey: Survey, templateName: String, recipients: Int, answered: Int) {
        self.survey = survey; self.templateName = templateName; self.recipients = recipients; self.answered = answered
    }
}

/// A recipient's link as made: the secret goes into the URL and is shown this once; the database keeps its hash.
public struct IssuedSurveyLink: Hashable, Sendable {
    public var recipient: SurveyRecipient
    public var secret: String
}

/// A new link secret and the hash the database keeps of it (made by the web layer, which owns `Secrets`).
public typealias SurveySecretMaker = @Sendable () -> (secret: String, hash: String)

/// Survey templates and sendings. Templates and sendings are `AccessPolicy`'s `.survey`; a recipient and their answers
/// are `.surveyResponse`, reached through the account's owner as the account is.
extension Database {
    public func surveyTemplates(for actor: Actor) async throws -> [SurveyTemplate] {
        _ = try AccessPolicy.require(actor, .list, .survey)
        return try await read { sql in try await Self.surveyTemplates(in: sql) }
    }

    public func addSurveyTemplate(name: String?, intro: String?, questions: [SurveyTemplate.Question]?,
                                  problems: ValidationFailure.Collector = .init(), by actor: Actor, at now: Date,
                                  address: String? = nil) async throws -> SurveyTemplate {
        _ = try AccessPolicy.require(actor, .create, .survey)
        var errors = problems
        let name = name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let intro = intro?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        // Keys follow the order, whatever a client sent: answers are stored by key and a template never changes.
        let questions = (questions ?? []).enumerated().map { index, question in
            SurveyTemplate.Question(key: "q\(index + 1)", kind: question.kind, text: question.text.trimmingCharacters(in: .whitespacesAndNewlines),
                                    min: question.min, max: question.max, required: question.required)
        }
        SurveyTemplate.check(name: name, intro: intro, questions: questions, into: &errors)
        try errors.finish()
        let json = String(decoding: try Self.payEncoder.encode(questions), as: UTF8.self)
        return try await write { sql in
            let row = try await sql.raw("""
                INSERT INTO survey_templates (name, intro, questions, created_at, created_by)
                VALUES (\(bind: name), \(bind: intro), \(bind: json), \(bind: now.epochMilliseconds), \(bind: actor.userID.rawValue))
                RETURNING id
                """).first()
            let template = SurveyTemplate(id: .init(try row!.decode(column: "id", as: Int64.self)), name: name, intro: intro, questions: questions,
                                          createdAt: now)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "survey template",
                                            entityID: template.id.rawValue,
                                            changes: AuditLog.created([("name", name), ("intro", intro), ("questions", json)]), address: address), in: sql)
            return template
        }
    }

    /// Retires a template: no new sendings of it; its sendings and answers stay.
    public func retireSurveyTemplate(_ id: SurveyTemplate.ID, by actor: Actor, at now: Date, address: String? = nil) async throws {
        _ = try AccessPolicy.require(actor, .update, .survey)
        try await write { sql in
            guard try await Self.surveyTemplates(in: sql, id: id).first != nil else { throw AccessDenied.notFound(.survey, id: id.rawValue) }
            try await sql.raw("UPDATE survey_templates SET active = FALSE WHERE id = \(bind: id.rawValue)").run()
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "survey template", entityID: id.rawValue,
                                            changes: [.init("active", old: "true", new: "false")], address: address), in: sql)
        }
    }

    /// The sendings, newest first, each counted over the recipients the actor may see.
    public func surveys(for actor: Actor) async throws -> [SurveyOverview] {
        _ = try AccessPolicy.require(actor, .list, .survey)
        return try await read { sql in
            let names = Dictionary(uniqueKeysWithValues: try await Self.surveyTemplates(in: sql).map { ($0.id, $0.name) })
            var counts: [Int64: (Int, Int)] = [:]
            for row in try await sql.raw("""
                SELECT r.survey_id, COUNT(*) AS n, COUNT(r.answered_at) AS answered
                FROM survey_recipients r JOIN accounts a ON a.id = r.account_id
                WHERE \(RecordAccess.condition(actor, .read, .surveyResponse, row: "a")) GROUP BY r.survey_id
                """).all() {
                counts[try row.decode(column: "survey_id", as: Int64.self)] = (try row.decode(column: "n", as: Int.self),
                                                                               try row.decode(column: "answered", as: Int.self))
            }
            return try await Self.surveyRows(in: sql).map { survey in
                let (recipients, answered) = counts[survey.id.rawValue] ?? (0, 0)
                return SurveyOverview(survey: survey, templateName: names[survey.templateID] ?? "#\(survey.templateID)", recipients: recipients,
                                      answered: answered)
            }
        }
    }

    /// One sending with its template and the recipients the actor may see (with their answers).
    public func survey(_ id: Survey.ID, for actor: Actor) async throws -> (survey: Survey, template: SurveyTemplate, recipients: [SurveyRecipient]) {
        _ = try AccessPolicy.require(actor, .read, .survey)
        return try await read { sql in
            guard let survey = try await Self.surveyRows(in: sql, id: id).first,
                  let template = try await Self.surveyTemplates(in: sql, id: survey.templateID).first else {
                throw AccessDenied.notFound(.survey, id: id.rawValue)
            }
            return (survey, template, try await Self.surveyRecipients(for: actor, "r.survey_id = \(bind: id.rawValue)", in: sql))
        }
    }

    /// Sends a template to every contact of the chosen accounts: one link each, shown in the answer this once. Each
    /// account must be one the actor may read and have contacts; a contact already asked in this sending is not asked
    /// twice.
    public func addSurvey(template: SurveyTemplate.ID?, title: String?, accounts: [Account.ID], closesOn: LocalDate?,
                          problems: ValidationFailure.Collector = .init(), by actor: Actor, at now: Date, address: String? = nil,
                          secrets: SurveySecretMaker) async throws -> (survey: Survey, links: [IssuedSurveyLink]) {
        _ = try AccessPolicy.require(actor, .create, .survey)
        var errors = problems
        let title = title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        errors.check(template != nil || problems.has("templateId"), "templateId", "is required")
        errors.check(!title.isEmpty && title.count <= 200, "title", "expected 1 to 200 characters")
        errors.check(!accounts.isEmpty || problems.has("accounts"), "accounts", "choose at least one account")
        errors.check(accounts.count <= 1_000, "accounts", "expected at most 1000 accounts in one sending")
        let zone = try await companyTimeZone()
        if let closesOn { errors.check(closesOn >= LocalDate(now, in: zone), "closesOn", "expected today or later, got \(closesOn.iso)") }
        return try await write { sql in
            if let template {
                let found = try await Self.surveyTemplates(in: sql, id: template).first
                errors.check(found != nil, "templateId", "no survey template \(template)")
                errors.check(found?.active != false, "templateId", "survey template \(template) is retired")
            }
            var seen: Set<Int64> = []
            let unique = accounts.map(\.rawValue).filter { seen.insert($0).inserted }
            // An empty IN list is an error on PostgreSQL.
            let readable = unique.isEmpty ? [] : try await Self.ids(sql, """
                SELECT a.id AS id FROM accounts a WHERE a.id IN \(SQLQueryString.list(unique[...]))
                    AND \(RecordAccess.condition(actor, .read, .account, row: "a"))
                """)
            var contacts: [Int64: [(id: Int64, email: String?)]] = [:]
            if !readable.isEmpty {
                for row in try await sql.raw("""
                    SELECT id, account_id, email FROM contacts WHERE account_id IN \(SQLQueryString.list(readable[...])) ORDER BY id
                    """).all() {
                    contacts[try row.decode(column: "account_id", as: Int64.self), default: []]
                        .append((try row.decode(column: "id", as: Int64.self), try row.decode(column: "email", as: String?.self)))
                }
            }
            for (index, account) in unique.enumerated() {
                if !readable.contains(account) {
                    errors.check(false, "accounts[\(index)]", "no account \(account)")
                } else {
                    errors.check(contacts[account] != nil, "accounts[\(index)]", "account \(account) has no contacts to ask")
                }
            }
            try errors.finish()
            let row = try await sql.raw("""
                INSERT INTO surveys (template_id, title, closes_on, created_at, created_by)
                VALUES (\(bind: template!.rawValue), \(bind: title), \(bind: closesOn?.key), \(bind: now.epochMilliseconds), \(bind: actor.userID.rawValue))
                RETURNING id
                """).first()
            let survey = Survey(id: .init(try row!.decode(column: "id", as: Int64.self)), templateID: template!, title: title, closesOn: closesOn,
                                createdBy: actor.userID, createdAt: now)
            var links: [IssuedSurveyLink] = []
            for account in unique {
                for contact in contacts[account] ?? [] {
                    links.append(try await Self.insertRecipient(survey.id, account: Account.ID(account), contact: Contact.ID(contact.id),
                                                                email: contact.email, at: now, secrets: secrets, in: sql))
                }
            }
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "create", entity: "survey", entityID: survey.id.rawValue,
                                            changes: AuditLog.created([("templateId", String(template!.rawValue)), ("title", title),
                                                                       ("closesOn", closesOn?.iso), ("recipients", String(links.count))]),
                                            address: address), in: sql)
            return (survey, links)
        }
    }

    /// A new link for a recipient who has not answered (the old one stops working): for a lost or forwarded email.
    public func reissueSurveyLink(_ id: SurveyRecipient.ID, by actor: Actor, at now: Date, address: String? = nil,
                                  secrets: SurveySecretMaker) async throws -> IssuedSurveyLink {
        _ = try AccessPolicy.require(actor, .update, .survey)
        return try await write { sql in
            guard var recipient = try await Self.surveyRecipients(for: actor, "r.id = \(bind: id.rawValue)", in: sql).first else {
                throw AccessDenied.notFound(.surveyResponse, id: id.rawValue)
            }
            guard recipient.answeredAt == nil else {
                throw ValidationFailure([.invalid(field: "id", reason: "recipient \(id) has answered; their link is spent")])
            }
            let (secret, hash) = secrets()
            try await sql.raw("UPDATE survey_recipients SET token_hash = \(bind: hash), opened_at = NULL WHERE id = \(bind: id.rawValue)").run()
            recipient.openedAt = nil
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "survey recipient", entityID: id.rawValue,
                                            changes: [.init("link", old: "issued", new: "reissued")], address: address), in: sql)
            return IssuedSurveyLink(recipient: recipient, secret: secret)
        }
    }

    /// Contacts' names by id, for pages that list recipients the store has already let the reader see.
    public func contactNames(_ ids: Set<Int64>) async throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        return try await read { sql in
            var names: [Int64: String] = [:]
            for row in try await sql.raw("SELECT id, name FROM contacts WHERE id IN \(SQLQueryString.list(ids.sorted()[...]))").all() {
                names[try row.decode(column: "id", as: Int64.self)] = try row.decode(column: "name", as: String.self)
            }
            return names
        }
    }

    private static func insertRecipient(_ survey: Survey.ID, account: Account.ID, contact: Contact.ID, email: String?, at now: Date,
                                        secrets: SurveySecretMaker, in sql: any SQLDatabase) async throws -> IssuedSurveyLink {
        let (secret, hash) = secrets()
        let row = try await sql.raw("""
            INSERT INTO survey_recipients (survey_id, account_id, contact_id, email, token_hash, created_at)
            VALUES (\(bind: survey.rawValue), \(bind: account.rawValue), \(bind: contact.rawValue), \(bind: email), \(bind: hash),
                    \(bind: now.epochMilliseconds))
            RETURNING id
            """).first()
        let recipient = SurveyRecipient(id: .init(try row!.decode(column: "id", as: Int64.self)), surveyID: survey, accountID: account,
                                        contactID: contact, email: email)
        return IssuedSurveyLink(recipient: recipient, secret: secret)
    }

    // MARK: - Rows

    static func surveyTemplates(in sql: any SQLDatabase, id: SurveyTemplate.ID? = nil) async throws -> [SurveyTemplate] {
        let condition: SQLQueryString = id.map { "WHERE id = \(bind: $0.rawValue)" } ?? ""
        return try await sql.raw("SELECT id, name, intro, questions, active, created_at FROM survey_templates \(condition) ORDER BY id DESC").all()
            .map { row in
                SurveyTemplate(id: .init(try row.decode(column: "id", as: Int64.self)), name: try row.decode(column: "name", as: String.self),
                               intro: try row.decode(column: "intro", as: String.self),
                               questions: try JSONDecoder().decode([SurveyTemplate.Question].self,
                                                                   from: Data(try row.decode(column: "questions", as: String.self).utf8)),
                               active: try row.decode(column: "active", as: Bool.self),
                               createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)))
            }
    }

    static func surveyRows(in sql: any SQLDatabase, id: Survey.ID? = nil) async throws -> [Survey] {
        let condition: SQLQueryString = id.map { "WHERE id = \(bind: $0.rawValue)" } ?? ""
        return try await sql.raw("SELECT id, template_id, title, closes_on, created_by, created_at FROM surveys \(condition) ORDER BY id DESC").all()
            .map { row in
                Survey(id: .init(try row.decode(column: "id", as: Int64.self)),
                       templateID: .init(try row.decode(column: "template_id", as: Int64.self)), title: try row.decode(column: "title", as: String.self),
                       closesOn: try row.decode(column: "closes_on", as: Int?.self).map { try LocalDate(key: $0) },
                       createdBy: try row.decode(column: "created_by", as: Int64?.self).map { User.ID($0) },
                       createdAt: Date(epochMilliseconds: try row.decode(column: "created_at", as: Int64.self)))
            }
    }

    /// Recipients matching `condition` (over `r`, the recipient, and `a`, their account) that the actor may see.
    static func surveyRecipients(for actor: Actor, _ condition: SQLQueryString, in sql: any SQLDatabase) async throws -> [SurveyRecipient] {
        try await sql.raw("""
            SELECT r.id, r.survey_id, r.account_id, r.contact_id, r.email, r.opened_at, r.answered_at, r.manager_id, r.answers, r.nps, r.satisfaction
            FROM survey_recipients r JOIN accounts a ON a.id = r.account_id
            WHERE \(condition) AND \(RecordAccess.condition(actor, .read, .surveyResponse, row: "a"))
            ORDER BY r.id
            """).all().map(surveyRecipient(from:))
    }

    static func surveyRecipient(from row: any SQLRow) throws -> SurveyRecipient {
        let answers = try row.decode(column: "answers", as: String?.self)
        return SurveyRecipient(id: .init(try row.decode(column: "id", as: Int64.self)),
                               surveyID: .init(try row.decode(column: "survey_id", as: Int64.self)),
                               accountID: .init(try row.decode(column: "account_id", as: Int64.self)),
                               contactID: .init(try row.decode(column: "contact_id", as: Int64.self)),
                               email: try row.decode(column: "email", as: String?.self),
                               openedAt: try row.decode(column: "opened_at", as: Int64?.self).map(Date.init(epochMilliseconds:)),
                               answeredAt: try row.decode(column: "answered_at", as: Int64?.self).map(Date.init(epochMilliseconds:)),
                               managerID: try row.decode(column: "manager_id", as: Int64?.self).map { User.ID($0) },
                               answers: try answers.map { try JSONDecoder().decode([SurveyAnswer].self, from: Data($0.utf8)) } ?? [],
                               nps: try row.decode(column: "nps", as: Int?.self), satisfaction: try row.decode(column: "satisfaction", as: Double?.self))
    }
}
