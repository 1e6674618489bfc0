import Foundation
import KvotaCore
import KvotaStore
import Plot

/// Key-customer surveys in the plans section: the sendings with the form of a new one, the links of a sending (shown
/// once), and one sending with its recipients and results.
struct SurveyListPage {
    let page: PageContext
    let surveys: [SurveyOverview]
    /// Active templates (value, label); empty with `canSend`: make a template first.
    let templates: [(String, String)]
    let keyCustomers: [(id: Account.ID, name: String)]
    let canSend: Bool
    let entered: [String: String]
    let chosen: Set<String>
    let errors: [String: String]

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.surveysTitle)).document(.group(
            .h1(.text(t(.surveysTitle))),
            PlansTab.nav(page, current: .surveys),
            .p(.a(.href(SiteURL.surveyTemplates.path), .text(t(.surveysTemplatesLink))), .text(" · "),
               .a(.href(SiteURL.surveyReport(by: nil, from: nil, to: nil).path), .text(t(.surveysReportLink)))),
            surveys.isEmpty ? .p(.class("muted"), .text(t(.surveysNone))) : .table(.class("list"),
                .thead(.tr(.th(.text(t(.surveysSurveyTitle))), .th(.text(t(.surveysTemplate))), .th(.text(t(.colCreated))),
                           .th(.text(t(.surveysClosesOn))), .th(.class("num"), .text(t(.surveysRecipients))),
                           .th(.class("num"), .text(t(.surveysAnswered))))),
                .tbody(.forEach(surveys) { overview in
                    .tr(.td(.a(.href(SiteURL.survey(id: overview.survey.id.rawValue).path), .text(overview.survey.title))),
                        .td(.text(overview.templateName)), .td(.text(t.dateTime(overview.survey.createdAt))),
                        .td(.text(overview.survey.closesOn.map(t.date) ?? "")), .td(.class("num"), .text(String(overview.recipients))),
                        .td(.class("num"), .text(String(overview.answered))))
                })),
            .if(canSend && !templates.isEmpty, form())
        ))
    }

    private func form() -> Node<HTML.BodyContext> {
        let t = page.t
        return .group(
            .h2(.text(t(.surveysSend))),
            .form(.class("stacked"), .action(SiteURL.surveys.path), .method(.post), csrfField(page.csrfToken),
                  selectField(t(.surveysTemplate), name: "templateId", options: templates, selected: entered["templateId"], error: errors["templateId"]),
                  field(t(.surveysSurveyTitle), name: "title", type: .text, value: entered["title"] ?? "", error: errors["title"]),
                  field(t(.surveysClosesOn), name: "closesOn", type: .date, value: entered["closesOn"] ?? "", error: errors["closesOn"], required: false),
                  .fieldset(.element(named: "legend", text: t(.surveysKeyCustomers)),
                            .forEach(keyCustomers) { customer in
                                .label(.class("check"),
                                       .input(.type(.checkbox), .name("account"), .value(String(customer.id.rawValue)),
                                              .checked(chosen.contains(String(customer.id.rawValue)))),
                                       .text(" " + customer.name))
                            }),
                  field(t(.surveysMoreAccounts), name: "more", type: .text, value: entered["more"] ?? "", error: errors["accounts"], required: false),
                  .button(.type(.submit), .text(t(.surveysSendButton))))
        )
    }
}

/// The links just made (or remade), each with a ready email: the only time Kvota shows them.
struct SurveyLinksPage {
    let page: PageContext
    let survey: Survey
    /// Account name, contact name, email, link.
    let links: [(account: String, contact: String, email: String?, url: String)]

    func html() -> HTML {
        let t = page.t
        let title = t(.surveysLinksTitle, ["title": survey.title])
        return Layout(page: page, title: title).document(.group(
            .h1(.text(title)),
            PlansTab.nav(page, current: .surveys),
            .p(.class("notice"), .text(t(.surveysLinksOnce))),
            .table(.class("list"),
                   .thead(.tr(.th(.text(t(.colAccount))), .th(.text(t(.colName))), .th(.text(t(.colEmail))), .th(.text(t(.surveysLink))))),
                   .tbody(.forEach(links) { link in
                       .tr(.td(.text(link.account)), .td(.text(link.contact)),
                           .td(.unwrap(link.email) { email in .a(.href(mailto(email, name: link.contact, url: link.url)), .text(t(.surveysEmailIt))) }),
                           .td(.input(.type(.text), .value(link.url), .attribute(named: "readonly", value: "readonly"), .attribute(named: "aria-label", value: t(.surveysLink)),
                                      .class("copy"))))
                   })),
            .p(.a(.href(SiteURL.survey(id: survey.id.rawValue).path), .text(t(.surveysBack))))
        ))
    }

    private func mailto(_ email: String, name: String, url: String) -> String {
        var parts = URLComponents()
        parts.scheme = "mailto"
        parts.path = email
        parts.queryItems = [URLQueryItem(name: "subject", value: page.t(.surveysEmailSubject, ["title": survey.title])),
                            URLQueryItem(name: "body", value: page.t(.surveysEmailBody, ["name": name, "link": url]))]
        return parts.string ?? "mailto:" + email
    }
}

/// One sending: its results over the recipients the reader may see, each question summed up, and the recipients.
struct SurveyPage {
    let page: PageContext
    let survey: Survey
    let template: SurveyTemplate
    let recipients: [SurveyRecipient]
    let accounts: [Int64: String]
    let contacts: [Int64: String]
    let canSend: Bool

    func html() -> HTML {
        let t = page.t
        let summary = SurveySummary(recipients)
        let answered = recipients.filter { $0.answeredAt != nil }
        return Layout(page: page, title: survey.title).document(.group(
            .h1(.text(survey.title)),
            PlansTab.nav(page, current: .surveys),
            .p(.class("muted"), .text(template.name + (survey.closesOn.map { " · " + t(.surveysClosesOn) + " " + t.date($0) } ?? ""))),
            .h2(.text(t(.surveysResults))),
            SurveySummaryTable(t: t).html([(t(.surveysAll), summary)]),
            answered.isEmpty ? .p(.class("muted"), .text(t(.surveysNoAnswers))) : .dl(.forEach(template.questions) { question in
                .group(.dt(.text(question.text)), .dd(results(question, answered)))
            }),
            .h2(.text(t(.surveysRecipients))),
            .table(.class("list"),
                   .thead(.tr(.th(.text(t(.colAccount))), .th(.text(t(.colName))), .th(.text(t(.colEmail))), .th(.text(t(.surveysState))),
                              .th(.class("num"), .text(t(.surveysNps))), .th())),
                   .tbody(.forEach(recipients) { recipient in
                       .tr(.td(.a(.href(SiteURL.account(id: recipient.accountID.rawValue).path),
                                  .text(accounts[recipient.accountID.rawValue] ?? "#\(recipient.accountID)"))),
                           .td(.text(contacts[recipient.contactID.rawValue] ?? "#\(recipient.contactID)")), .td(.text(recipient.email ?? "")),
                           .td(.text(state(recipient))), .td(.class("num"), .text(recipient.nps.map(String.init) ?? "")),
                           .td(.if(canSend && recipient.answeredAt == nil,
                                   .form(.class("inline"), .action(SiteURL.surveyReissue(recipient: recipient.id.rawValue).path), .method(.post),
                                         csrfField(page.csrfToken), .button(.type(.submit), .class("quiet"), .text(t(.surveysReissue)))))))
                   }))
        ))
    }

    private func state(_ recipient: SurveyRecipient) -> String {
        if let answered = recipient.answeredAt { return page.t(.surveysStateAnswered) + " " + page.t.dateTime(answered) }
        return page.t(recipient.openedAt == nil ? .surveysStateSent : .surveysStateOpened)
    }

    private func results(_ question: SurveyTemplate.Question, _ answered: [SurveyRecipient]) -> Node<HTML.BodyContext> {
        let given = answered.compactMap { recipient in recipient.answers.first { $0.key == question.key }.map { (recipient, $0) } }
        switch question.kind {
        case .nps, .scale:
            let scores = given.compactMap { $0.1.score }
            guard !scores.isEmpty else { return .text("–") }
            let mean = Double(scores.reduce(0, +)) / Double(scores.count)
            return .text(page.t(.surveysMean, ["mean": String(format: "%.1f", mean), "min": String(question.min), "max": String(question.max),
                                               "n": String(scores.count)]))
        case .text:
            return .ul(.forEach(given.filter { $0.1.text != nil }) { recipient, answer in
                .li(.text(answer.text!), .span(.class("muted"), .text(" — " + (accounts[recipient.accountID.rawValue] ?? ""))))
            })
        }
    }
}

/// Responses, NPS with its promoters, passives and detractors, and satisfaction: one row per group.
struct SurveySummaryTable {
    let t: Localizer

    func html(_ rows: [(String, SurveySummary)]) -> Node<HTML.BodyContext> {
        .table(.class("list"),
               .thead(.tr(.th(), .th(.class("num"), .text(t(.surveysResponses))), .th(.class("num"), .text(t(.surveysNps))),
                          .th(.class("num"), .text(t(.surveysPromoters))), .th(.class("num"), .text(t(.surveysPassives))),
                          .th(.class("num"), .text(t(.surveysDetractors))), .th(.class("num"), .text(t(.surveysSatisfaction))))),
               .tbody(.forEach(rows) { name, summary in
                   .tr(.td(.text(name)), .td(.class("num"), .text(String(summary.responses))),
                       .td(.class("num"), .text(summary.nps.map { String(format: "%.0f", $0) } ?? "–")),
                       .td(.class("num"), .text(String(summary.promoters))), .td(.class("num"), .text(String(summary.passives))),
                       .td(.class("num"), .text(String(summary.detractors))),
                       .td(.class("num"), .text(summary.satisfaction.map { t.percent($0) } ?? "–")))
               }))
    }
}
