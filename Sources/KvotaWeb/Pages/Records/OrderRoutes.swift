import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// An order's page. Confirming posts to the order desk's own route, which comes back here.
struct OrderRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.order(id: 0).route)) { request, context in
            let id = Order.ID(try context.parameters.require("id", as: Int64.self))
            let before = try TimelineWindow.before(request)
            let page = try await pages.pageContext(request, context, section: .orders)
            return page.response(try await orderPage(id, page: page, actor: context.actor, before: before).html())
        }
    }

    func orderPage(_ id: Order.ID, page: PageContext, actor: Actor, before: Date? = nil) async throws -> OrderPage {
        let order = try await database.order(id, for: actor)
        let lines = try await database.orderLines(of: id, for: actor)
        let products = try await database.productNames(Set(lines.map(\.productID)))
        let names = try await database.userNames()
        let account = try await database.names(accounts: [order.accountID]).accounts[order.accountID] ?? ""
        let dealTitle = try await database.dealTitles(Set([order.dealID].compactMap { $0 })).values.first
        let channel = order.channelID == nil ? nil : try await database.channels().first { $0.id == order.channelID }?.name
        let region = order.regionID == nil ? nil : try await database.regions().first { $0.id == order.regionID }?.name
        let audit = try await database.auditEntries(AuditQuery(entity: "order", entityID: id.rawValue, to: before, limit: TimelineWindow.perSource))
        let base = try await database.companySettings().baseCurrency
        return OrderPage(page: page, order: order, accountName: account, dealTitle: dealTitle, ownerName: order.ownerID.flatMap { names[$0] },
                         channelName: channel, regionName: region,
                         lines: lines.map { OrderPage.Line(line: $0, sku: products[$0.productID]?.sku ?? "", name: products[$0.productID]?.name ?? "") },
                         baseCurrency: base,
                         canConfirm: order.status == .draft && AccessPolicy.allows(actor, .update, .order, owner: order.ownerID),
                         timeline: TimelineWindow([.init(events: Timeline.events(audit, names: names, page.t), read: audit.map(\.at))], start: before))
    }
}
