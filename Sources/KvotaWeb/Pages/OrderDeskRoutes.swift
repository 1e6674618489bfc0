import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The order desk's queue of draft orders and confirming one.
struct OrderDeskRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    struct ConfirmForm: Decodable {
        let version: Int64?
        /// The order's page when it was confirmed there; the queue otherwise.
        let `return`: String?
    }

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.orderDesk.route)) { request, context in
            let page = try await pages.pageContext(request, context, section: .orderDesk)
            _ = try AccessPolicy.require(context.actor, .update, .order)
            var filter = OrderFilter(status: .draft)
            filter.limit = PageSize.maximum
            let orders = try await database.orders(filter, for: context.actor).items
            let names = try await database.userNames()
            let accounts = try await database.names(accounts: Set(orders.map(\.accountID))).accounts
            let rows = orders.map { OrderDeskPage.Row(order: $0, accountName: accounts[$0.accountID] ?? "", ownerName: $0.ownerID.flatMap { names[$0] }) }
            return page.response(OrderDeskPage(page: page, rows: rows).html())
        }
        signedIn.post(RouterPath(SiteURL.orderConfirm(id: 0).route)) { request, context in
            var request = request
            let id = Order.ID(try context.parameters.require("id", as: Int64.self))
            let body = try await request.collectBody(upTo: 16 * 1024)
            let form = try? URLEncodedFormDecoder().decode(ConfirmForm.self, from: String(buffer: body))
            let back = SiteURL.local(form?.return) ?? SiteURL.orderDesk.path
            var patch = OrderPatch()
            patch.status = .confirmed
            do {
                _ = try await database.updateOrder(id, patch, expectedVersion: form?.version, by: context.actor, at: config.now(),
                                                   address: context.address)
            } catch is VersionConflict {
                return Response.redirect(to: back, flash: Flash(kind: .error, key: .deskChangedElsewhere), secure: config.secureCookies)
            }
            return Response.redirect(to: back, flash: .notice(.deskConfirmed), secure: config.secureCookies)
        }
    }
}
