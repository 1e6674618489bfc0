import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The survey pages of the plans section: sendings, one sending, a recipient's new link, templates and the NPS report.
/// Who may send and whose answers one sees are the store's (`.survey`, `.surveyResponse`).
struct SurveyRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.surveys.route)) { request, context in
            let page = try await pages.pageContext(request, context, section: .plans)
            return page.response(try await list(page, context, entered: [:], chosen: [], errors: [:]).html())
        }
        signedIn.post(RouterPath(SiteURL.surveys.route)) { request, context in
            var request = request
            let pairs = FormPairs.parse(String(buffer: try await request.collectBody(upTo: 256 * 1024)))
            let form = Dictionary(pairs, uniquingKeysWith: { _, b in b })
            var problems = ValidationFailure.Collector()
            var accounts = pairs.filter { $0.0 == "account" }.compactMap { Int64($0.1) }
            for part in (form["more"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " }) {
                guard let id = Int64(part) else {
                    problems.check(false, "accounts", "expected account ids separated by commas, got '\(part)'")
                    continue
                }
                accounts.append(id)
            }
            var closes: LocalDate?
            if let text = form["closesOn"], !text.isEmpty {
                closes = try? LocalDate(iso: text, field: "closesOn")
                problems.check(closes != nil, "closesOn", "expected a date like 2026-12-31, got '\(text)'")
            }
            let page = try await pages.pageContext(request, context, section: .plans)
            do {
                let (survey, links) = try await database.addSurvey(template: form["templateId"].flatMap { Int64($0) }.map { SurveyTemplate.ID($0) },
                                                                   title: form["title"], accounts: accounts.map { Account.ID($0) }, closesOn: closes,
                                                                   problems: problems, by: context.actor, at: config.now(), address: context.address,
                                                                   secrets: SurveysAPI.secrets)
                return page.response(try await linksPage(page, context, survey, links, request: request).html(),
                                     headers: [.cacheControl: "no-store"])
            } catch let failure as ValidationFailure {
                let errors = failure.formErrors(in: page.t.language, renaming: Dictionary(uniqueKeysWithValues: accounts.indices.map {
                    ("accounts[\($0)]", "accounts")
                }))
                return page.response(try await list(page, context, entered: form, chosen: Set(pairs.filter { $0.0 == "account" }.map(\.1)),
                                                     errors: errors).html(), status: .unprocessableContent)
            }
        }
        signedIn.get(RouterPath(SiteURL.survey(id: 0).route)) { request, context in
            let id = Survey.ID(try context.parameters.require("id", as: Int64.self))
            let page = try await pages.pageContext(request, context, section: .plans)
            let (survey, template, recipients) = try await database.survey(id, for: context.actor)
            let (accounts, contacts) = try await names(recipients)
            return page.response(SurveyPage(page: page, survey: survey, template: template, recipients: recipients, accounts: accounts,
                                            contacts: contacts, canSend: AccessPolicy.scope(context.actor, .update, .survey) != .nothing).html())
        }
        signedIn.post(RouterPath(SiteURL.surveyReissue(recipient: 0).route)) { request, context in
            let id = SurveyRecipient.ID(try context.parameters.require("id", as: Int64.self))
            let link = try await database.reissueSurveyLink(id, by: context.actor, at: config.now(), address: context.address,
                                                            secrets: SurveysAPI.secrets)
            let page = try await pages.pageContext(request, context, section: .plans)
            let (survey, _, _) = try await database.survey(link.recipient.surveyID, for: context.actor)
            return page.response(try await linksPage(page, context, survey, [link], request: request).html(), headers: [.cacheControl: "no-store"])
        }
        signedIn.get(RouterPath(SiteURL.surveyTemplates.route)) { request, context in
            let page = try await pages.pageContext(request, context, section: .plans)
            return page.response(try await templates(page, context, entered: [:], errors: [:]).html())
        }
        signedIn.post(RouterPath(SiteURL.surveyTemplates.route)) { request, context in
            let form = try await PlanRoutes.form(request)
            var problems = ValidationFailure.Collector()
            let questions = SurveyQuestionLines.parse(form["questions"] ?? "", into: &problems)
            do {
                _ = try await database.addSurveyTemplate(name: form["name"], intro: form["intro"], questions: questions, problems: problems,
                                                         by: context.actor,
                                                         at: config.now(), address: context.address)
                return Response.redirect(to: SiteURL.surveyTemplates.path, flash: .notice(.surveysSavedNotice), secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                let page = try await pages.pageContext(request, context, section: .plans)
                // A question's own problem (`questions[2].text`) is shown at the one questions field.
                let renaming = Dictionary(uniqueKeysWithValues: questions.indices.flatMap { index in
                    ["text", "min", "max"].map { ("questions[\(index)].\($0)", "questions") }
                })
                return page.response(try await templates(page, context, entered: form,
                                                         errors: failure.formErrors(in: page.t.language, renaming: renaming)).html(),
                                     status: .unprocessableContent)
            }
        }
        signedIn.post(RouterPath(SiteURL.surveyTemplateRetire(id: 0).route)) { _, context in
            try await database.retireSurveyTemplate(SurveyTemplate.ID(try context.parameters.require("id", as: Int64.self)), by: context.actor,
                                                    at: config.now(), address: context.address)
            return Response.redirect(to: SiteURL.surveyTemplates.path, flash: .notice(.surveysSavedNotice), secure: config.secureCookies)
        }
        signedIn.get(RouterPath(SiteURL.surveyReport(by: nil, from: nil, to: nil).route)) { request, context in
            let page = try await pages.pageContext(request, context, section: .plans)
            let parameters = request.uri.queryParameters
            var errors = ValidationFailure.Collector()
            let filter = SurveysAPI.filter(parameters, into: &errors)
            let by = decodeKey(parameters["by"].map(String.init) ?? "month", as: SurveyGrouping.self, field: "by", into: &errors) ?? .month
            let today = LocalDate(config.now(), in: try await database.companyTimeZone())
            let valid = errors.errors.isEmpty
            let (total, rows) = try await database.surveyReport(for: context.actor, valid ? filter : SurveyResponseFilter(), by: by, today: today)
            return page.response(SurveyReportPage(page: page, by: by, from: parameters["from"].map(String.init) ?? "",
                                                  to: parameters["to"].map(String.init) ?? "", total: total, rows: rows,
                                                  errors: valid ? [:] : ValidationFailure(errors.errors).formErrors(in: page.t.language)).html(),
                                 status: valid ? .ok : .badRequest)
        }
    }

    private func list(_ page: PageContext, _ context: SignedInContext, entered: [String: String], chosen: Set<String>,
                      errors: [String: String]) async throws -> SurveyListPage {
        let canSend = AccessPolicy.scope(context.actor, .create, .survey) != .nothing
        let today = LocalDate(config.now(), in: try await database.companyTimeZone())
        return SurveyListPage(page: page, surveys: try await database.surveys(for: context.actor),
                              templates: try await database.surveyTemplates(for: context.actor).filter(\.active).map { (String($0.id.rawValue), $0.name) },
                              keyCustomers: canSend ? try await database.keyCustomers(for: context.actor, today: today) : [], canSend: canSend,
                              entered: entered, chosen: chosen, errors: errors)
    }

    private func templates(_ page: PageContext, _ context: SignedInContext, entered: [String: String],
                           errors: [String: String]) async throws -> SurveyTemplatesPage {
        SurveyTemplatesPage(page: page, templates: try await database.surveyTemplates(for: context.actor),
                            canMake: AccessPolicy.scope(context.actor, .create, .survey) != .nothing, entered: entered, errors: errors)
    }

    private func linksPage(_ page: PageContext, _ context: SignedInContext, _ survey: Survey, _ links: [IssuedSurveyLink],
                           request: Request) async throws -> SurveyLinksPage {
        let (accounts, contacts) = try await names(links.map(\.recipient))
        return SurveyLinksPage(page: page, survey: survey, links: links.map { link in
            (accounts[link.recipient.accountID.rawValue] ?? "", contacts[link.recipient.contactID.rawValue] ?? "", link.recipient.email,
             SurveysAPI.link(link.secret, request: request, config: config))
        })
    }

    private func names(_ recipients: [SurveyRecipient]) async throws -> (accounts: [Int64: String], contacts: [Int64: String]) {
        (try await database.analyticsNames(.account, ids: Set(recipients.map(\.accountID.rawValue))),
         try await database.contactNames(Set(recipients.map(\.contactID.rawValue))))
    }
}
