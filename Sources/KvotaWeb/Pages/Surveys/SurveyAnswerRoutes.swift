import Foundation
import HTTPTypes
import Hummingbird
import KvotaCore
import KvotaStore

/// `/q/{secret}`: a survey respondent's page, reached by the link alone (no sign-in, no session). The secret is
/// looked up by its hash; an unknown, spent or closed link says so and shows nothing else.
struct SurveyAnswerRoutes {
    let database: Database
    let config: AppConfig

    func register(public router: Router<AppRequestContext>) {
        router.get(RouterPath(SiteURL.surveyAnswer(secret: "").route)) { request, context in
            let secret = try context.parameters.require("secret")
            let page = SignInRoutes.signedOutPage(request, secureCookies: config.secureCookies)
            do {
                let invitation = try await database.surveyInvitation(secretHash: Secrets.hash(secret), at: config.now())
                return Self.respond(page, .questions(invitation, secret: secret, entered: [:], errors: [:]))
            } catch let problem as SurveyLinkProblem {
                return Self.respond(page, .message(problem.message), status: problem.status(onPost: false))
            }
        }
        router.post(RouterPath(SiteURL.surveyAnswer(secret: "").route)) { request, context in
            let secret = try context.parameters.require("secret")
            let form = try await PlanRoutes.form(request)
            let page = SignInRoutes.signedOutPage(request, secureCookies: config.secureCookies)
            do {
                try await database.answerSurvey(secretHash: Secrets.hash(secret), form: form, at: config.now(), address: context.clientAddress)
                return Self.respond(page, .message(.surveyPageThanks))
            } catch let problem as SurveyLinkProblem {
                return Self.respond(page, .message(problem.message), status: problem.status(onPost: true))
            } catch let failure as ValidationFailure {
                let invitation = try await database.surveyInvitation(secretHash: Secrets.hash(secret), at: config.now())
                return Self.respond(page, .questions(invitation, secret: secret, entered: form, errors: failure.formErrors(in: page.t.language)),
                                    status: .unprocessableContent)
            }
        }
    }

    /// Never cached, never sent on as a referrer: the address holds the link's secret.
    private static func respond(_ page: PageContext, _ content: SurveyAnswerPage.Content, status: HTTPResponse.Status = .ok) -> Response {
        page.response(SurveyAnswerPage(page: page, content: content).html(), status: status,
                      headers: [.cacheControl: "no-store", HTTPField.Name("Referrer-Policy")!: "no-referrer"])
    }
}

extension SurveyLinkProblem {
    var message: UIKey {
        switch self {
        case .unknown: .surveyPageUnknown
        case .answered: .surveyPageAnswered
        case .closed: .surveyPageClosed
        }
    }

    func status(onPost: Bool) -> HTTPResponse.Status {
        switch self {
        case .unknown: .notFound
        case .answered: onPost ? .conflict : .ok
        case .closed: .gone
        }
    }
}
