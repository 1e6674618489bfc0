import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// The leads inbox and the steps of a lead: take in work, qualify, disqualify with a reason, convert into account,
/// contact and deal (one transaction in the store).
struct LeadRoutes {
    let database: Database
    let config: AppConfig
    let pages: PageContexts

    struct StatusForm: Decodable {
        let status: String
        let version: Int64?
        let reason: String?
        let `return`: String?
    }

    struct ConvertForm: Decodable {
        let version: Int64?
    }

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get(RouterPath(SiteURL.leads(status: nil, cursor: nil).route)) { request, context in
            let page = try await pages.pageContext(request, context, section: .leads)
            let status = request.uri.queryParameters["status"].flatMap { LeadStatus(rawValue: String($0)) } ?? .new
            var filter = LeadFilter(status: status)
            filter.cursor = request.uri.queryParameters["after"].map(String.init)
            let byScore = request.uri.queryParameters["order"] == "score"
            if byScore { filter.sort = ListSort("score", descending: true) }
            let list = try await database.leads(filter, for: context.actor)
            let names = try await database.userNames()
            let reasons = try await database.lossReasons(for: context.actor, appliesTo: .lead)
            return page.response(LeadsPage(page: page, status: status, byScore: byScore, leads: list.items, ownerNames: names,
                                           reasons: reasons, next: list.next, now: config.now(), ownSources: try await database.leadSources(for: context.actor),
                                           responseSeconds: try await database.companySettings().thresholds.leadResponseSeconds).html())
        }
        signedIn.get(RouterPath(SiteURL.lead(id: 0).route)) { request, context in
            let id = Lead.ID(try context.parameters.require("id", as: Int64.self))
            let before = try TimelineWindow.before(request)
            let page = try await pages.pageContext(request, context, section: .leads)
            return page.response(try await leadPage(id, page: page, actor: context.actor, before: before).html())
        }
        signedIn.post(RouterPath(SiteURL.leadActivities(id: 0).route)) { request, context in
            let id = Lead.ID(try context.parameters.require("id", as: Int64.self))
            let lead = try await database.lead(id, for: context.actor)
            // As on a deal's page: the lead's account and contact only when the rep may see them.
            let account = try await database.canRead(context.actor, .account, id: lead.accountID?.rawValue) ? lead.accountID : nil
            let contact = try await database.canRead(context.actor, .contact, id: lead.contactID?.rawValue) ? lead.contactID : nil
            return try await QuickActivityPost(database: database, config: config, pages: pages).handle(
                request, context, section: .leads, back: SiteURL.lead(id: id.rawValue).path,
                link: { patch in
                    patch.leadID = .some(id)
                    patch.accountID = .some(account)
                    patch.contactID = .some(contact)
                },
                page: { page, form, errors in
                    var view = try await leadPage(id, page: page, actor: context.actor)
                    view.quick.form = form
                    view.quick.errors = errors
                    return view.html()
                })
        }
        signedIn.post(RouterPath(SiteURL.leadStatus(id: 0).route)) { request, context in
            var request = request
            let id = Lead.ID(try context.parameters.require("id", as: Int64.self))
            let body = try await request.collectBody(upTo: 16 * 1024)
            guard let form = try? URLEncodedFormDecoder().decode(StatusForm.self, from: String(buffer: body)),
                  let status = LeadStatus(rawValue: form.status) else {
                throw HTTPError(.unprocessableContent, message: "status: expected new, in_work, qualified or disqualified")
            }
            let back = SiteURL.local(form.return) ?? SiteURL.leads(status: nil, cursor: nil).path
            var patch = LeadPatch()
            patch.status = status
            if status == .disqualified { patch.disqualifyReason = .some(form.reason.flatMap { $0.isEmpty ? nil : $0 }) }
            do {
                _ = try await database.updateLead(id, patch, expectedVersion: form.version, by: context.actor, at: config.now(),
                                                  address: context.address)
            } catch is VersionConflict {
                return Response.redirect(to: back, flash: Flash(kind: .error, key: .leadsChangedElsewhere), secure: config.secureCookies)
            }
            return Response.redirect(to: back, flash: .notice(.leadsUpdated), secure: config.secureCookies)
        }
        signedIn.post(RouterPath(SiteURL.leadConvert(id: 0).route)) { request, context in
            var request = request
            let id = Lead.ID(try context.parameters.require("id", as: Int64.self))
            let body = try await request.collectBody(upTo: 16 * 1024)
            let form = try? URLEncodedFormDecoder().decode(ConvertForm.self, from: String(buffer: body))
            let converted = try await database.convertLead(id, LeadConversion(), expectedVersion: form?.version, by: context.actor,
                                                           at: config.now(), address: context.address)
            let target = converted.deal.map { SiteURL.deal(id: $0.id.rawValue).path } ?? SiteURL.account(id: converted.accountID.rawValue).path
            return Response.redirect(to: target, flash: .notice(.leadsConverted), secure: config.secureCookies)
        }
    }

    func leadPage(_ id: Lead.ID, page: PageContext, actor: Actor, before: Date? = nil) async throws -> LeadPage {
        let t = page.t
        let lead = try await database.lead(id, for: actor)
        let names = try await database.userNames()
        var accountName: String?
        if let account = lead.accountID { accountName = try await database.names(accounts: [account]).accounts[account] }
        let timeline = try await RecordTimeline.read(database, for: actor, activities: ActivityFilter(leadID: id), audit: "lead",
                                                     id: id.rawValue, before: before, names: names, t)
        let path = SiteURL.lead(id: id.rawValue).path
        return LeadPage(page: page, lead: lead, ownerName: lead.ownerID.flatMap { names[$0] }, accountName: accountName,
                        actions: LeadActions(page: page, reasons: try await database.lossReasons(for: actor, appliesTo: .lead), returnPath: path),
                        quick: QuickActions(page: page, action: .leadActivities(id: id.rawValue), returnPath: path,
                                            openTasks: timeline.openTasks, now: config.now()),
                        timeline: timeline.window, ownSources: try await database.leadSources(for: actor),
                        requests: try await database.inboundRequests(lead: id, for: actor))
    }
}
