import Foundation
import KvotaCore
import KvotaStore
import Plot

/// The page a customer's contact opens from their link, without signing in: the questions, or why the link takes no
/// answer. It never shows an answer, theirs or anyone's.
struct SurveyAnswerPage {
    enum Content {
        case questions(SurveyInvitation, secret: String, entered: [String: String], errors: [String: String])
        case message(UIKey)
    }

    let page: PageContext
    let content: Content

    func html() -> HTML {
        let t = page.t
        switch content {
        case .message(let key):
            return Layout(page: page, title: t(.surveyPageTitle)).document(.group(.h1(.text(t(.surveyPageTitle))), .p(.text(t(key)))))
        case .questions(let invitation, let secret, let entered, let errors):
            return Layout(page: page, title: invitation.survey.title).document(.group(
                .h1(.text(invitation.survey.title)),
                .p(.class("muted"), .text(t(.surveyPageFor, ["account": invitation.accountName]))),
                .if(!invitation.template.intro.isEmpty, .p(.text(invitation.template.intro))),
                .form(.class("stacked survey"), .action(SiteURL.surveyAnswer(secret: secret).path), .method(.post),
                      .forEach(invitation.template.questions) { question(t, $0, entered: entered[$0.key], error: errors[$0.key]) },
                      .button(.type(.submit), .text(t(.surveyPageSubmit))))
            ))
        }
    }

    private func question(_ t: Localizer, _ question: SurveyTemplate.Question, entered: String?, error: String?) -> Node<HTML.FormContext> {
        let label = question.text + (question.required ? "" : " " + t(.surveyPageOptional))
        switch question.kind {
        case .text:
            return textareaField(label, name: question.key, value: entered ?? "", error: error, rows: 3)
        case .nps, .scale:
            return .fieldset(.class("scale"),
                             .attribute(named: "aria-describedby", value: error == nil ? "" : "\(question.key)-error"),
                             .element(named: "legend", text: label),
                             .forEach(Array(question.min...question.max)) { score in
                                 .label(.class("check"),
                                        .input(.type(.radio), .name(question.key), .value(String(score)), .checked(entered == String(score)),
                                               .required(question.required)),
                                        .text(" \(score)"))
                             },
                             .if(question.kind == .nps, .p(.class("muted"), .text(t(.surveyPageNpsLow) + " · " + t(.surveyPageNpsHigh)))),
                             .unwrap(error) { .p(.class("error"), .id("\(question.key)-error"), .text($0)) })
        }
    }
}
