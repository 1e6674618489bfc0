import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// A contact's page and its quick actions. The contact is read through the access policy (someone else's answers
/// 404, as in the API); so is everything listed on it.
struct ContactRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.contact(id: 0).route)) { request, context in
            let id = Contact.ID(try context.parameters.require("id", as: Int64.self))
            let before = try TimelineWindow.before(request)
            let page = try await pages.pageContext(request, context, section: .contacts)
            return page.response(try await contactPage(id, page: page, actor: context.actor, before: before).html())
        }
        signedIn.post(RouterPath(SiteURL.contactActivities(id: 0).route)) { request, context in
            let id = Contact.ID(try context.parameters.require("id", as: Int64.self))
            let contact = try await database.contact(id, for: context.actor)
            return try await QuickActivityPost(database: database, config: config, pages: pages).handle(
                request, context, section: .contacts, back: SiteURL.contact(id: id.rawValue).path,
                link: { patch in
                    patch.contactID = .some(id)
                    patch.accountID = .some(contact.accountID)
                },
                page: { page, form, errors in
                    var view = try await contactPage(id, page: page, actor: context.actor)
                    view.quick.form = form
                    view.quick.errors = errors
                    return view.html()
                })
        }
    }

    func contactPage(_ id: Contact.ID, page: PageContext, actor: Actor, before: Date? = nil) async throws -> ContactPage {
        let t = page.t
        let contact = try await database.contact(id, for: actor)
        let names = try await database.userNames()
        var accountName: String?
        var deals: [Deal] = []
        if let account = contact.accountID {
            accountName = try await database.names(accounts: [account]).accounts[account]
            var filter = DealFilter(accountID: account)
            filter.limit = PageSize.maximum
            deals = try await database.deals(filter, for: actor).items.filter { $0.contactID == id }
        }
        var activities = ActivityFilter()
        activities.contactID = id
        let timeline = try await RecordTimeline.read(database, for: actor, activities: activities, audit: "contact", id: id.rawValue,
                                                     before: before, names: names, t)
        let quick = QuickActions(page: page, action: .contactActivities(id: id.rawValue), returnPath: SiteURL.contact(id: id.rawValue).path,
                                 openTasks: timeline.openTasks, now: config.now())
        return ContactPage(page: page, contact: contact, accountName: accountName, deals: deals, quick: quick, timeline: timeline.window)
    }
}
