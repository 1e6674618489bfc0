import KvotaCore
import Plot

/// The list of accounts the user may see, searchable, a page at a time.
struct AccountListPage {
    let page: PageContext
    let text: String
    let accounts: [Account]
    let ownerNames: [User.ID: String]
    let next: String?
    let canCreate: Bool

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: t(.navAccounts)).document(.group(
            .h1(.text(t(.navAccounts))),
            .div(.class("actions"),
                 .form(.class("filters"), .method(.get), .action(SiteURL.accounts(text: nil, cursor: nil).path),
                       .label(.for("q"), .class("visually-hidden"), .text(t(.accountsSearch))),
                       .input(.id("q"), .name("q"), .type(.search), .value(text), .placeholder(t(.accountsSearch))),
                       .button(.type(.submit), .class("quiet"), .text(t(.accountsFind)))),
                 .if(canCreate, .a(.class("button"), .href(SiteURL.accountNew.path), .text(t(.accountsNew))))),
            accounts.isEmpty ? .p(.class("muted"), .text(t(.accountsNone))) : .table(
                .class("list"),
                .thead(.tr(.th(.text(t(.accountName))), .th(.text(t(.accountLegalId))), .th(.text(t(.accountSegment))),
                           .th(.text(t(.accountOwner))))),
                .tbody(.forEach(accounts) { row($0) })),
            .unwrap(next) { cursor in
                .p(.a(.href(SiteURL.accounts(text: text, cursor: cursor).path), .text(t(.accountsNextPage))))
            }
        ))
    }

    private func row(_ account: Account) -> Node<HTML.TableContext> {
        let t = page.t
        return .tr(
            .td(.attribute(named: "data-label", value: t(.accountName)), .a(.href(SiteURL.account(id: account.id.rawValue).path), .text(account.name))),
            .td(.attribute(named: "data-label", value: t(.accountLegalId)), .text(account.legalID ?? "")),
            .td(.attribute(named: "data-label", value: t(.accountSegment)), .text(account.segment ?? "")),
            .td(.attribute(named: "data-label", value: t(.accountOwner)), .text(account.ownerID.flatMap { ownerNames[$0] } ?? ""))
        )
    }
}

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
            .form(.class("stack"), .method(.post), .action(SiteURL.accounts(text: nil, cursor: nil).path),
                  csrfField(page.csrfToken),
                  field(t(.accountName), name: "name", type: .text, value: values["name"] ?? "", error: errors["name"]),
                  field(t(.accountLegalId), name: "legalId", type: .text, value: values["legalId"] ?? "", error: errors["legalId"],
                        required: false),
                  field(t(.accountSegment), name: "segment", type: .text, value: values["segment"] ?? "", error: errors["segment"],
                        required: false),
                  .label(.for("notes"), .text(t(.accountNotes))),
                  .textarea(.id("notes"), .name("notes"), .attribute(named: "rows", value: "3"), .text(values["notes"] ?? "")),
                  .div(.class("actions"), .button(.type(.submit), .text(t(.commonSave))),
                       .a(.class("button quiet"), .href(SiteURL.accounts(text: nil, cursor: nil).path), .text(t(.commonCancel)))))
        ))
    }
}

/// An account: its facts, its deals and people, and a form for a new deal.
struct AccountPage {
    let page: PageContext
    let account: Account
    let ownerName: String?
    let deals: [Deal]
    let contacts: [Contact]
    let stageNames: [Stage.ID: String]
    let currencies: [String]
    var dealValues: [String: String] = [:]
    var dealErrors: [String: String] = [:]

    func html() -> HTML {
        let t = page.t
        return Layout(page: page, title: account.name).document(.group(
            .h1(.text(account.name)),
            .dl(.class("facts"),
                .dt(.text(t(.accountLegalId))), .dd(.text(account.legalID ?? t(.commonNone))),
                .dt(.text(t(.accountSegment))), .dd(.text(account.segment ?? t(.commonNone))),
                .dt(.text(t(.accountOwner))), .dd(.text(ownerName ?? t(.commonNone)))),
            .unwrap(account.notes) { .p(.class("script"), .text($0)) },
            .h2(.text(t(.accountDeals))),
            deals.isEmpty ? .p(.class("muted"), .text(t(.accountNoDeals))) : .ul(.forEach(deals) { deal in
                .li(.a(.href(SiteURL.deal(id: deal.id.rawValue).path), .text(deal.title)),
                    .text(" · \(t.money(deal.amount, showMinorUnits: false)) · \(stageNames[deal.stageID] ?? "")"))
            }),
            newDealForm(),
            .h2(.text(t(.accountContacts))),
            contacts.isEmpty ? .p(.class("muted"), .text(t(.accountNoContacts))) : .ul(.forEach(contacts) { contact in
                .li(.text(contact.name), .unwrap(contact.position) { .span(.class("muted"), .text(" · \($0)")) })
            })
        ))
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
