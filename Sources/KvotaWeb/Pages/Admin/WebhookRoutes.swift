import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/admin/webhooks`: the admin's outgoing webhook subscriptions in the browser, with the API's checks (the store's).
struct WebhookRoutes {
    let database: Database
    let config: AppConfig
    let secrets: SecretBox
    let pages: PageContexts

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.adminWebhooks.route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .list, .integration)
            let page = try await pages.pageContext(request, context, section: .admin)
            return page.response(try await view(page, context.actor).html())
        }
        signedIn.post(RouterPath(SiteURL.adminWebhooks.route)) { request, context in
            _ = try AccessPolicy.require(context.actor, .create, .integration)
            var request = request
            let pairs = FormPairs.parse(String(buffer: try await request.collectBody(upTo: 64 * 1024)))
            let form = Dictionary(pairs, uniquingKeysWith: { _, b in b })
            let chosen = pairs.filter { $0.0 == "events" }.map(\.1)
            var errors = ValidationFailure.Collector()
            let events = chosen.compactMap { decodeKey($0, as: WebhookEvent.self, field: "events", into: &errors) }
            let patch = WebhookSubscriptionPatch(url: form["url"] ?? "", description: form["description"] ?? "", events: events)
            let page = try await pages.pageContext(request, context, section: .admin)
            let secret = Secrets.generate(prefix: "kvw_")
            do {
                let made = try await database.addWebhookSubscription(patch, problems: errors, sealedSecret: try secrets.seal(secret),
                                                                     by: context.actor, at: config.now(), address: context.address)
                var view = try await view(page, context.actor)
                view.secret = (made.url, secret)
                return page.response(view.html(), status: .created)
            } catch let failure as ValidationFailure {
                var view = try await view(page, context.actor)
                view.values = form
                view.events = Set(chosen)
                view.errors = failure.formErrors(in: page.t.language)
                return page.response(view.html(), status: .unprocessableContent)
            }
        }
        signedIn.post(RouterPath(SiteURL.adminWebhookState(id: 0).route)) { request, context in
            let id = WebhookSubscription.ID(try context.parameters.require("id", as: Int64.self))
            let form = try await PlanRoutes.form(request)
            var errors = ValidationFailure.Collector()
            let state = decodeKey(form["state"], as: WebhookSubscription.State.self, field: "state", into: &errors)
            _ = try await database.updateWebhookSubscription(id, WebhookSubscriptionPatch(state: state), problems: errors,
                                                             expectedVersion: form["version"].flatMap { Int64($0) }, by: context.actor,
                                                             at: config.now(), address: context.address)
            return Response.redirect(to: SiteURL.adminWebhooks.path, flash: .notice(.adminSaved), secure: config.secureCookies)
        }
        signedIn.post(RouterPath(SiteURL.adminWebhookSecret(id: 0).route)) { request, context in
            let id = WebhookSubscription.ID(try context.parameters.require("id", as: Int64.self))
            let secret = Secrets.generate(prefix: "kvw_")
            let changed = try await database.replaceWebhookSecret(id, sealedSecret: try secrets.seal(secret), by: context.actor, at: config.now(),
                                                                  address: context.address)
            let page = try await pages.pageContext(request, context, section: .admin)
            var view = try await view(page, context.actor)
            view.secret = (changed.url, secret)
            return page.response(view.html())
        }
        signedIn.post(RouterPath(SiteURL.adminWebhookDelete(id: 0).route)) { request, context in
            let id = WebhookSubscription.ID(try context.parameters.require("id", as: Int64.self))
            let form = try await PlanRoutes.form(request)
            try await database.deleteWebhookSubscription(id, expectedVersion: form["version"].flatMap { Int64($0) }, by: context.actor,
                                                         at: config.now(), address: context.address)
            return Response.redirect(to: SiteURL.adminWebhooks.path, flash: .notice(.adminSaved), secure: config.secureCookies)
        }
    }

    private func view(_ page: PageContext, _ actor: Actor) async throws -> WebhooksPage {
        let subscriptions = try await database.webhookSubscriptions(for: actor)
        var recent: [WebhookSubscription.ID: [WebhookDelivery]] = [:]
        for subscription in subscriptions {
            recent[subscription.id] = try await database.webhookDeliveries(of: subscription.id, limit: 10, for: actor)
        }
        return WebhooksPage(page: page, subscriptions: subscriptions, recent: recent)
    }
}
