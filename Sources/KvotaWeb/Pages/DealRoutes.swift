import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The deal page, its quick actions (log a call, add a note, schedule a task or meeting) and marking a task done.
/// Every read goes through the store's access policy: a deal the user may not see is a 404, as in the API.
struct DealRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    struct EditForm: Decodable {
        let title: String?
        let amount: String?
        let expectedClose: String?
        let contact: String?
        let forecastCategory: String?
        let version: Int64?
    }

    struct ReturnForm: Decodable {
        let `return`: String?
    }

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.deal(id: 0).route)) { request, context in
            let id = Deal.ID(try context.parameters.require("id", as: Int64.self))
            let before = try TimelineWindow.before(request)
            let page = try await pages.pageContext(request, context, section: .board)
            return page.response(try await dealPage(id, page: page, context: context, before: before).html())
        }
        signedIn.post(RouterPath(SiteURL.dealActivities(id: 0).route)) { request, context in
            try await addActivity(request, context)
        }
        signedIn.post(RouterPath(SiteURL.dealEdit(id: 0).route)) { request, context in
            try await edit(request, context)
        }
        signedIn.post(RouterPath(SiteURL.activityDone(id: 0).route)) { request, context in
            var request = request
            let id = Activity.ID(try context.parameters.require("id", as: Int64.self))
            let body = try await request.collectBody(upTo: 16 * 1024)
            let form = try? URLEncodedFormDecoder().decode(ReturnForm.self, from: String(buffer: body))
            var done = ActivityPatch()
            done.done = true
            _ = try await database.updateActivity(id, done, expectedVersion: nil, by: context.actor, at: config.now(), address: context.address)
            let back = SiteURL.local(form?.return) ?? SiteURL.home.path
            return Response.redirect(to: back, flash: .notice(.quickDone), secure: config.secureCookies)
        }
    }

    func dealPage(_ id: Deal.ID, page: PageContext, context: SignedInContext, before: Date? = nil) async throws -> DealPage {
        let actor = context.actor
        let t = page.t
        let deal = try await database.deal(id, for: actor)
        let linked = try await database.names(accounts: [deal.accountID], contacts: Set([deal.contactID].compactMap { $0 }))
        let (_, stages) = try await database.pipeline(deal.pipelineID, for: actor)
        let names = try await database.userNames()
        let history = try await database.latestStageChanges(of: id, before: before, limit: TimelineWindow.perSource, for: actor)
        let stageNames = Dictionary(uniqueKeysWithValues: stages.map { ($0.id, $0.name) })
        let moves = history.map { change in
            TimelineEvent(at: change.enteredAt, title: t(.dealEnteredStage, ["stage": stageNames[change.stageID] ?? "?"]), detail: nil,
                          by: change.userID.flatMap { names[$0] })
        }
        // The deal itself was read through the access policy above; its own audit lines come with it. Stage moves
        // have their own line from the stage history.
        let timeline = try await RecordTimeline.read(database, for: actor, activities: ActivityFilter(dealID: id), audit: "deal",
                                                     id: id.rawValue, before: before, names: names,
                                                     skipping: ["stage", "status", "closedAt"],
                                                     more: [.init(events: moves, read: history.map(\.enteredAt))], t)
        let quick = QuickActions(page: page, action: .dealActivities(id: id.rawValue), returnPath: SiteURL.deal(id: id.rawValue).path,
                                 openTasks: timeline.openTasks, now: config.now())
        let contacts = try await database.contacts(ContactFilter(accountID: deal.accountID, limit: PageSize.maximum), for: actor).items
        return DealPage(page: page, deal: deal, accountName: linked.accounts[deal.accountID] ?? "",
                        contactName: deal.contactID.flatMap { linked.contacts[$0] },
                        ownerName: names[deal.ownerID] ?? "", stages: stages, quick: quick, timeline: timeline.window,
                        lossReasons: try await database.lossReasons(for: actor, appliesTo: .deal), contacts: contacts,
                        hasLines: !(try await database.dealLines(of: id, for: actor)).isEmpty,
                        documents: try await database.libraryDocuments(for: actor, stage: deal.stageID))
    }

    private func addActivity(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = Deal.ID(try context.parameters.require("id", as: Int64.self))
        let deal = try await database.deal(id, for: context.actor)
        // The activity shows on the deal's account and contact too, when the rep may see them: a rep's deal may be
        // on a colleague's account, and linking a record one cannot see is refused (the two-server test found it).
        let account = try await database.canRead(context.actor, .account, id: deal.accountID.rawValue) ? deal.accountID : nil
        let contact = try await database.canRead(context.actor, .contact, id: deal.contactID?.rawValue) ? deal.contactID : nil
        return try await QuickActivityPost(database: database, config: config, pages: pages).handle(
            request, context, section: .board, back: SiteURL.deal(id: id.rawValue).path,
            link: { patch in
                patch.dealID = .some(id)
                patch.accountID = .some(account)
                patch.contactID = .some(contact)
            },
            page: { page, form, errors in
                var view = try await dealPage(id, page: page, context: context)
                view.quick.form = form
                view.quick.errors = errors
                return view.html()
            })
    }

    /// The edit form: title, amount in the deal's currency, expected close, contact; a stale version shows the deal
    /// as it is now rather than overwrite someone else's change.
    private func edit(_ request: Request, _ context: SignedInContext) async throws -> Response {
        var request = request
        let id = Deal.ID(try context.parameters.require("id", as: Int64.self))
        let body = try await request.collectBody(upTo: 64 * 1024)
        let page = try await pages.pageContext(request, context, section: .board)
        let t = page.t
        let deal = try await database.deal(id, for: context.actor)
        let form = (try? URLEncodedFormDecoder().decode(EditForm.self, from: String(buffer: body)))
            ?? EditForm(title: nil, amount: nil, expectedClose: nil, contact: nil, forecastCategory: nil, version: nil)
        var errors: [String: String] = [:]
        var patch = DealPatch()
        patch.title = form.title?.trimmingCharacters(in: .whitespaces)
        if let text = form.amount?.trimmingCharacters(in: .whitespaces) {
            if text.isEmpty {
                patch.amountMinor = 0
            } else if let minor = ImportText.minorUnits(text, digits: deal.amount.currency.minorUnitDigits), minor >= 0 {
                patch.amountMinor = minor
            } else {
                errors["amount"] = t(.moveAmountInvalid)
            }
            patch.currency = deal.amount.currency.code
        }
        if let text = form.expectedClose?.trimmingCharacters(in: .whitespaces) {
            if text.isEmpty { patch.expectedClose = .some(nil) } else if let day = try? LocalDate(iso: text) { patch.expectedClose = .some(day) } else {
                errors["expectedClose"] = t(.moveDateInvalid)
            }
        }
        if let text = form.contact { patch.contactID = .some(Int64(text).map { Contact.ID($0) }) }
        // Only a changed category is the rep's choice; saving the form with the stage's own leaves it following the stage.
        if let text = form.forecastCategory, text != deal.forecastCategory.rawValue {
            if let category = ForecastCategory(rawValue: text) {
                patch.forecastCategory = category
            } else {
                errors["forecastCategory"] = t(.forecastCategoryInvalid)
            }
        }
        if errors.isEmpty {
            do {
                _ = try await database.updateDeal(id, patch, expectedVersion: form.version, by: context.actor, at: config.now(),
                                                  address: context.address)
                return .redirect(to: SiteURL.deal(id: id.rawValue).path, flash: .notice(.dealSaved), secure: config.secureCookies)
            } catch is VersionConflict {
                return .redirect(to: SiteURL.deal(id: id.rawValue).path, flash: Flash(kind: .error, key: .dealChangedElsewhere),
                                 secure: config.secureCookies)
            } catch let failure as ValidationFailure {
                errors = failure.formErrors(in: t.language, renaming: ["amountMinor": "amount", "contactId": "contact"], otherwise: "title")
            }
        }
        var view = try await dealPage(id, page: page, context: context)
        view.editValues = ["title": form.title ?? "", "amount": form.amount ?? "", "expectedClose": form.expectedClose ?? "",
                           "contact": form.contact ?? "", "forecastCategory": form.forecastCategory ?? deal.forecastCategory.rawValue]
        view.editErrors = errors
        return page.response(view.html(), status: .unprocessableContent)
    }
}
