import KvotaCore
import Plot

/// A new account: name, legal id, segment and notes; every problem at its field.
struct AccountFormPage {
    let page: PageContext
    var values: [String: String] = [:]
    var errors: [String: String] = [:]

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.accountsNew)).document(.group(
            .h1(.text(t(.accountsNew))),
            .if(!errors.isEmpty, .p(.class("flash error"), .attribute(named: "role", value: "alert"), .text(t(.formHasErrors)))),
            .form(.class("stack"), .method(.post), .action(RecordListName.accounts.url.path),
                  csrfField(page.csrfToken),
                  field(t(.accountName), name: "name", type: .text, value: values["name"] ?? "", error: errors["name"]),
                  field(t(.accountLegalId), name: "legalId", type: .text, value: values["legalId"] ?? "", error: errors["legalId"],
                        required: false),
                  field(t(.accountSegment), name: "segment", type: .text, value: values["segment"] ?? "", error: errors["segment"],
                        required: false),
                  .label(.for("notes"), .text(t(.accountNotes))),
                  .textarea(.id("notes"), .name("notes"), .attribute(named: "rows", value: "3"), .text(values["notes"] ?? "")),
                  .div(.class("actions"), .button(.type(.submit), .text(t(.commonSave))),
                       .a(.class("button quiet"), .href(RecordListName.accounts.url.path), .text(t(.commonCancel)))))
        ))
    }
}

/// An account: its facts, what is planned with it, quick actions and its timeline; beside them its deals with a
/// form for a new one, and its people.
struct AccountPage {
    let page: PageContext
    let account: Account
    let ownerName: String?
    let deals: [Deal]
    let contacts: [Contact]
    let stageNames: [Stage.ID: String]
    let currencies: [String]
    var quick: QuickActions
    let timeline: TimelineWindow
    var dealValues: [String: String] = [:]
    var dealErrors: [String: String] = [:]
    /// The account's answered survey responses the reader may see, newest first.
    var surveyAnswers: [SurveyRecipient] = []

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: account.name).document(.group(
            .h1(.text(account.name)),
            .div(.class("record"),
                 .div(.class("record-main"),
                      .dl(.class("facts"),
                          .dt(.text(t(.accountLegalId))), .dd(.text(account.legalID ?? t(.commonNone))),
                          .dt(.text(t(.accountSegment))), .dd(.text(account.segment ?? t(.commonNone))),
                          .dt(.text(t(.accountOwner))), .dd(.text(ownerName ?? t(.commonNone)))),
                      .unwrap(account.notes) { .p(.class("script"), .text($0)) },
                      quick.openTasksSection(), quick.formsSection(),
                      timeline.section(path: SiteURL.account(id: account.id.rawValue).path, t)),
                 .aside(.class("record-side"),
                        .section(
                            .h2(.text(t(.accountDeals))),
                            deals.isEmpty ? .p(.class("muted"), .text(t(.accountNoDeals))) : .ul(.forEach(deals) { deal in
                                .li(.a(.href(SiteURL.deal(id: deal.id.rawValue).path), .text(deal.title)),
                                    .text(" · \(t.money(deal.amount, showMinorUnits: false)) · "
                                          + (deal.status == .open ? stageNames[deal.stageID] ?? "" : t(deal.status.label))))
                            }),
                            newDealForm()),
                        .section(
                            .h2(.text(t(.accountContacts))),
                            contacts.isEmpty ? .p(.class("muted"), .text(t(.accountNoContacts))) : .ul(.forEach(contacts) { contact in
                                .li(.a(.href(SiteURL.contact(id: contact.id.rawValue).path), .text(contact.name)),
                                    .unwrap(contact.position) { .span(.class("muted"), .text(" · \($0)")) })
                            })),
                        .if(!surveyAnswers.isEmpty, surveySection()))
            )
        ))
    }

    private func surveySection() -> Node<HTML.BodyContext> {
        let t = page.t
        return .section(.h2(.text(t(.surveysAccountAnswers))), .ul(.forEach(surveyAnswers) { answer in
            .li(.a(.href(SiteURL.survey(id: answer.surveyID.rawValue).path), .text(answer.answeredAt.map(t.dateTime) ?? "")),
                .text([answer.nps.map { " · \(t(.surveysNps)) \($0)" }, answer.satisfaction.map { " · \(t(.surveysSatisfaction)) \(t.percent($0))" }]
                    .compactMap { $0 }.joined()),
                .unwrap(answer.answers.first { $0.text != nil }?.text) { .p(.class("muted"), .text("“\($0)”")) })
        }))
    }

    private func newDealForm() -> Node<HTML.BodyContext> {
        let t = page.t
        return .element(named: "details", nodes: [
            dealErrors.isEmpty ? .empty : .attribute(named: "open"),
            .element(named: "summary", text: t(.accountNewDeal)),
            .form(.class("stack"), .method(.post), .action(SiteURL.accountDeals(id: account.id.rawValue).path),
                  csrfField(page.csrfToken),
                  field(t(.accountDealTitle), name: "title", type: .text, value: dealValues["title"] ?? "", error: dealErrors["title"]),
                  field(t(.accountDealAmount), name: "amount", type: .text, value: dealValues["amount"] ?? "", error: dealErrors["amount"],
                        required: false),
                  selectField(t(.accountDealCurrency), name: "currency", options: currencies.map { ($0, $0) },
                              selected: dealValues["currency"] ?? currencies.first, error: dealErrors["currency"]),
                  .div(.class("actions"), .button(.type(.submit), .text(t(.commonSave))))),
        ])
    }
}
