import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/survey-templates`, `/api/v1/surveys`, `/api/v1/survey-responses` and `/api/v1/survey-report` (issue 8,
/// key-customer surveys): templates, sendings with each recipient's link (shown once), the answers per account, and
/// NPS and satisfaction by month, manager, region or ABC class. Respondents answer on `/q/{secret}` (SurveyAnswerRoutes).
struct SurveysAPI {
    let database: Database
    let config: AppConfig

    struct QuestionDTO: Codable {
        let key: String?
        let kind: String?
        let text: String?
        let min: Int?
        let max: Int?
        let required: Bool?

        init(_ question: SurveyTemplate.Question) {
            key = question.key; kind = question.kind.rawValue; text = question.text; required = question.required
            min = question.kind == .text ? nil : question.min; max = question.kind == .text ? nil : question.max
        }
    }

    struct TemplateDTO: Encodable {
        let id: Int64
        let name: String
        let intro: String
        let questions: [QuestionDTO]
        let active: Bool
        let createdAt: Date

        init(_ template: SurveyTemplate) {
            id = template.id.rawValue; name = template.name; intro = template.intro; questions = template.questions.map(QuestionDTO.init)
            active = template.active; createdAt = template.createdAt
        }
    }

    struct SurveyDTO: Encodable {
        let id: Int64
        let templateId: Int64
        let title: String
        let closesOn: String?
        let createdAt: Date
        let recipients: Int
        let answered: Int

        init(_ overview: SurveyOverview) {
            id = overview.survey.id.rawValue; templateId = overview.survey.templateID.rawValue; title = overview.survey.title
            closesOn = overview.survey.closesOn?.iso; createdAt = overview.survey.createdAt; recipients = overview.recipients
            answered = overview.answered
        }
    }

    struct RecipientDTO: Encodable {
        let id: Int64
        let surveyId: Int64
        let accountId: Int64
        let contactId: Int64
        let email: String?
        /// sent, opened or answered.
        let state: String
        let answeredAt: Date?
        let managerId: Int64?
        let nps: Int?
        let satisfaction: Double?
        let answers: [SurveyAnswer]

        init(_ recipient: SurveyRecipient) {
            id = recipient.id.rawValue; surveyId = recipient.surveyID.rawValue; accountId = recipient.accountID.rawValue
            contactId = recipient.contactID.rawValue; email = recipient.email; answeredAt = recipient.answeredAt
            state = recipient.answeredAt != nil ? "answered" : recipient.openedAt != nil ? "opened" : "sent"
            managerId = recipient.managerID?.rawValue; nps = recipient.nps; satisfaction = recipient.satisfaction; answers = recipient.answers
        }
    }

    struct SummaryDTO: Encodable {
        let responses: Int
        let promoters: Int
        let passives: Int
        let detractors: Int
        let nps: Double?
        let satisfaction: Double?

        init(_ summary: SurveySummary) {
            responses = summary.responses; promoters = summary.promoters; passives = summary.passives; detractors = summary.detractors
            nps = summary.nps; satisfaction = summary.satisfaction
        }
    }

    struct LinkDTO: Encodable {
        let recipientId: Int64
        let accountId: Int64
        let contactId: Int64
        let email: String?
        let url: String
    }

    struct Created: Encodable { let survey: SurveyDTO; let links: [LinkDTO] }
    struct Details: Encodable { let survey: SurveyDTO; let template: TemplateDTO; let recipients: [RecipientDTO]; let summary: SummaryDTO }
    struct Report: Encodable {
        struct Group: Encodable {
            let key: String
            let name: String
            let summary: SummaryDTO
        }
        let by: String
        let total: SummaryDTO
        let groups: [Group]
    }
    struct Templates: Encodable { let items: [TemplateDTO] }
    struct Surveys: Encodable { let items: [SurveyDTO] }
    struct Responses: Encodable { let items: [RecipientDTO] }

    struct NewTemplate: Decodable { let name: String?; let intro: String?; let questions: [QuestionDTO]? }
    struct NewSurvey: Decodable { let templateId: Int64?; let title: String?; let accounts: [Int64]?; let closesOn: String? }

    /// A template's questions from a client, each bad kind named (`questions[2].kind`).
    static func questions(_ given: [QuestionDTO]?, into errors: inout ValidationFailure.Collector) -> [SurveyTemplate.Question]? {
        given?.enumerated().map { index, question in
            let kind = decodeKey(question.kind, as: SurveyTemplate.Question.Kind.self, field: "questions[\(index)].kind", into: &errors)
            errors.check(question.kind != nil, "questions[\(index)].kind", "is required (nps, scale or text)")
            // A question of a bad kind stays in its place as text, so the later ones keep their numbers in the problems.
            return SurveyTemplate.Question(key: "", kind: kind ?? .text, text: question.text ?? "", min: question.min, max: question.max,
                                           required: question.required ?? true)
        }
    }

    static func filter(_ parameters: Parameters, into errors: inout ValidationFailure.Collector) -> SurveyResponseFilter {
        SurveyResponseFilter(survey: ListParameters.id(parameters, "survey", into: &errors).map { Survey.ID($0) },
                             account: ListParameters.id(parameters, "account", into: &errors).map { Account.ID($0) },
                             from: ListParameters.date(parameters, "from", into: &errors), through: ListParameters.date(parameters, "to", into: &errors))
    }

    /// The link a respondent opens.
    static func link(_ secret: String, request: Request, config: AppConfig) -> String {
        config.publicBase(for: request) + SiteURL.surveyAnswer(secret: secret).path
    }

    static let secrets: SurveySecretMaker = {
        let secret = Secrets.generate(prefix: "kvq_")
        return (secret, Secrets.hash(secret))
    }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/survey-templates") { _, context -> Response in
            try JSONBody.response(Templates(items: try await database.surveyTemplates(for: context.actor).map(TemplateDTO.init)))
        }
        api.post("/survey-templates") { request, context -> Response in
            let body = try await JSONBody.decode(NewTemplate.self, from: request)
            var errors = ValidationFailure.Collector()
            let questions = Self.questions(body.questions, into: &errors)
            let template = try await database.addSurveyTemplate(name: body.name, intro: body.intro, questions: questions, problems: errors, by: context.actor,
                                                                at: config.now(), address: context.address)
            return try JSONBody.response(TemplateDTO(template), status: .created)
        }
        api.post("/survey-templates/:id/retire") { request, context -> Response in
            try await database.retireSurveyTemplate(SurveyTemplate.ID(try request.id(.survey, context: context)), by: context.actor,
                                                    at: config.now(), address: context.address)
            return Response(status: .noContent)
        }
        api.get("/surveys") { _, context -> Response in
            try JSONBody.response(Surveys(items: try await database.surveys(for: context.actor).map(SurveyDTO.init)))
        }
        api.post("/surveys") { request, context -> Response in
            let body = try await JSONBody.decode(NewSurvey.self, from: request)
            var errors = ValidationFailure.Collector()
            var closes: LocalDate?
            if let text = body.closesOn {
                closes = try? LocalDate(iso: text, field: "closesOn")
                errors.check(closes != nil, "closesOn", "expected a date like 2026-12-31, got '\(text)'")
            }
            let (survey, links) = try await database.addSurvey(template: body.templateId.map { SurveyTemplate.ID($0) }, title: body.title,
                                                               accounts: (body.accounts ?? []).map { Account.ID($0) }, closesOn: closes,
                                                               problems: errors, by: context.actor, at: config.now(), address: context.address,
                                                               secrets: Self.secrets)
            let overview = SurveyOverview(survey: survey, templateName: "", recipients: links.count, answered: 0)
            return try JSONBody.response(Created(survey: SurveyDTO(overview), links: links.map {
                LinkDTO(recipientId: $0.recipient.id.rawValue, accountId: $0.recipient.accountID.rawValue, contactId: $0.recipient.contactID.rawValue,
                        email: $0.recipient.email, url: Self.link($0.secret, request: request, config: config))
            }), status: .created)
        }
        api.get("/surveys/:id") { request, context -> Response in
            let (survey, template, recipients) = try await database.survey(Survey.ID(try request.id(.survey, context: context)), for: context.actor)
            let overview = SurveyOverview(survey: survey, templateName: template.name, recipients: recipients.count,
                                          answered: recipients.filter { $0.answeredAt != nil }.count)
            return try JSONBody.response(Details(survey: SurveyDTO(overview), template: TemplateDTO(template),
                                                 recipients: recipients.map(RecipientDTO.init), summary: SummaryDTO(SurveySummary(recipients))))
        }
        api.post("/surveys/recipients/:id/reissue") { request, context -> Response in
            let link = try await database.reissueSurveyLink(SurveyRecipient.ID(try request.id(.surveyResponse, context: context)), by: context.actor,
                                                            at: config.now(), address: context.address, secrets: Self.secrets)
            return try JSONBody.response(LinkDTO(recipientId: link.recipient.id.rawValue, accountId: link.recipient.accountID.rawValue,
                                                 contactId: link.recipient.contactID.rawValue, email: link.recipient.email,
                                                 url: Self.link(link.secret, request: request, config: config)))
        }
        api.get("/survey-responses") { request, context -> Response in
            var errors = ValidationFailure.Collector()
            let filter = Self.filter(request.uri.queryParameters, into: &errors)
            try errors.finish()
            return try JSONBody.response(Responses(items: try await database.surveyResponses(for: context.actor, filter).map(RecipientDTO.init)))
        }
        api.get("/survey-report") { request, context -> Response in
            var errors = ValidationFailure.Collector()
            let parameters = request.uri.queryParameters
            let filter = Self.filter(parameters, into: &errors)
            let by = decodeKey(parameters["by"].map(String.init) ?? "month", as: SurveyGrouping.self, field: "by", into: &errors)
            try errors.finish()
            let today = LocalDate(config.now(), in: try await database.companyTimeZone())
            let (total, rows) = try await database.surveyReport(for: context.actor, filter, by: by!, today: today)
            return try JSONBody.response(Report(by: by!.rawValue, total: SummaryDTO(total), groups: rows.map {
                Report.Group(key: $0.key, name: $0.name, summary: SummaryDTO($0.summary))
            }))
        }
    }
}
