import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// Accounts: a new account, an account's page and a new deal from it (the list is a `ListScreen`).
struct AccountRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    struct AccountForm: Decodable {
        let name: String?
        let legalId: String?
        let segment: String?
        let notes: String?
    }

    struct DealForm: Decodable {
        let title: String?
        let amount: String?
        let currency: String?
    }

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.accountNew.route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .create, .account)
            let page = try await pages.pageContext(request, context, section: .accounts)
            return page.response(AccountFormPage(page: page).html())
        }
        signedIn.post(RouterPath(RecordListName.accounts.url.route)) { request, context in
            try await create(request, context)
        }
        signedIn.get(RouterPath(SiteURL.account(id: 0).route)) { request, context in
            let page = try await pages.pageContext(request, context, section: .accounts)
            let id = Account.ID(try context.parameters.require("id", as: Int64.self))
            return page.response(try await accountPage(id, page: page, context: context, before: try TimelineWindow.before(request)).html())
        }
        signedIn.post(RouterPath(SiteURL.accountDeals(id: 0).route)) { request, context in
            try await addDeal(request, context)
        }
        signedIn.post(RouterPath(SiteURL.accountActivities(id: 0).route)) { request, context in
            let id = Account.ID(try context.parameters.require("id", as: Int64.self))
            _ = try await database.account(id, for: context.actor)
            return try await QuickActivityPost(database: database, config: config, pages: pages).handle(
                request, context, section: .accounts, back: SiteURL.account(id: id.rawValue).path,
                link: { $0.accountID = .some(id) },
                page: { page, form, errors in
                    var view = try await accountPage(id, page: page, context: context)
                    view.quick.form = form
                    view.quick.errors = errors
                    return view.html()
                })
        }
    }

    private func create(_ request: Request, _ context: SignedInContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        let page = try await pages.pageContext(request, context, section: .accounts)
        let form = (try? URLEncodedFormDecoder().decode(AccountForm.self, from: String(buffer: body))) ?? AccountForm(
            name: nil, legalId: nil, segment: nil, notes: nil)
        func cleaned(_ text: String?) -> String? {
            text.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let draft = AccountDraft(name: cleaned(form.name) ?? "", legalID: cleaned(form.legalId), segment: cleaned(form.segment),
                                 notes: cleaned(form.notes))
        do {
            let account = try await database.addAccount(draft, by: context.actor, at: config.now(), address: context.address)
            return Response.redirect(to: SiteURL.account(id: account.id.rawValue).path, flash: .notice(.accountsCreated),
                                     secure: config.secureCookies)
        } catch let failure as ValidationFailure {
            var view = AccountFormPage(page: page, values: ["name": form.name ?? "", "legalId": form.legalId ?? "",
                                                            "segment": form.segment ?? "", "notes": form.notes ?? ""])
            view.errors = failure.formErrors(in: page.t.language)
            return page.response(view.html(), status: .unprocessableContent)
        }
    }

    func accountPage(_ id: Account.ID, page: PageContext, context: SignedInContext, before: Date? = nil) async throws -> AccountPage {
        let account = try await database.account(id, for: context.actor)
        let names = try await database.userNames()
        var dealFilter = DealFilter(accountID: id)
        dealFilter.limit = PageSize.maximum
        let deals = try await database.deals(dealFilter, for: context.actor).items
        let contacts = try await database.contacts(ContactFilter(accountID: id, limit: PageSize.maximum), for: context.actor).items
        let stages = try await database.pipelines(for: context.actor).flatMap(\.1)
        let base = try await database.companySettings().baseCurrency.code
        let currencies = [base] + ["EUR", "SEK", "USD", "RUB", "UAH"].filter { $0 != base }
        // A customer of ten years has thousands of activities: the page shows a window of them.
        let timeline = try await RecordTimeline.read(database, for: context.actor, activities: ActivityFilter(accountID: id), audit: "account",
                                                     id: id.rawValue, before: before, names: names, page.t)
        let quick = QuickActions(page: page, action: .accountActivities(id: id.rawValue), returnPath: SiteURL.account(id: id.rawValue).path,
                                 openTasks: timeline.openTasks, now: config.now())
        var view = AccountPage(page: page, account: account, ownerName: account.ownerID.flatMap { names[$0] }, deals: deals,
                               contacts: contacts, stageNames: Dictionary(uniqueKeysWithValues: stages.map { ($0.id, $0.name) }),
                               currencies: currencies, quick: quick, timeline: timeline.window)
        if AccessPolicy.scope(context.actor, .list, .surveyResponse) != .nothing {
            view.surveyAnswers = Array(try await database.surveyResponses(for: context.actor, SurveyResponseFilter(account: id)).prefix(10))
        }
        return view
    }

    private func addDeal(_ request: Request, _ context: SignedInContext) async throws -> Response {
        var request = request
        let id = Account.ID(try context.parameters.require("id", as: Int64.self))
        let body = try await request.collectBody(upTo: 64 * 1024)
        let page = try await pages.pageContext(request, context, section: .accounts)
        let form = (try? URLEncodedFormDecoder().decode(DealForm.self, from: String(buffer: body))) ?? DealForm(title: nil, amount: nil, currency: nil)
        var patch = DealPatch()
        patch.accountID = id
        patch.title = form.title?.trimmingCharacters(in: .whitespaces)
        patch.currency = form.currency
        let currency = (try? Currency(form.currency ?? "")) ?? .EUR
        var errors: [String: String] = [:]
        if let text = form.amount?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            if let minor = ImportText.minorUnits(text, digits: currency.minorUnitDigits), minor >= 0 {
                patch.amountMinor = minor
            } else {
                errors["amount"] = page.t(.moveAmountInvalid)
            }
        }
        if errors.isEmpty {
            do {
                let deal = try await database.addDeal(patch, by: context.actor, at: config.now(), address: context.address)
                return Response.redirect(to: SiteURL.deal(id: deal.id.rawValue).path, flash: .notice(.accountDealCreated),
                                         secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                errors = failure.formErrors(in: page.t.language, renaming: ["amountMinor": "amount"])
            }
        }
        // Only a refused deal needs the account page again (its read is also what answers 404 for someone else's).
        var view = try await accountPage(id, page: page, context: context)
        view.dealValues = ["title": form.title ?? "", "amount": form.amount ?? "", "currency": form.currency ?? ""]
        view.dealErrors = errors
        return page.response(view.html(), status: .unprocessableContent)
    }
}
