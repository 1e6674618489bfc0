import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/inbound/leads` and `/api/v1/inbound/messages` (issue 9): requests from a website's back end, a lead
/// marketplace or a messenger bridge, with an integration token. Each is de-duplicated against the customers and open
/// leads Kvota knows and given its owner by the assignment rules (docs/inbound.md).
struct InboundAPI {
    let database: Database
    let config: AppConfig

    struct LeadBody: Decodable {
        let source: String?
        let name: String?
        let phone: String?
        let email: String?
        let company: String?
        let message: String?
        let pageUrl: String?
        let utmSource: String?
        let utmMedium: String?
        let utmCampaign: String?
        let utmTerm: String?
        let utmContent: String?
        let region: String?
        let receivedAt: Date?
        let custom: [String: JSONValue]?
    }

    struct MessageBody: Decodable {
        let channel: String?
        let senderId: String?
        let phone: String?
        let name: String?
        let text: String?
        let sentAt: Date?
    }

    struct Receipt: Encodable {
        let requestId: Int64
        let leadId: Int64
        let outcome: String
        let ownerId: Int64?
        /// How the owner was found: `existing_owner`, `rule` or `none` (the lead waits in the unassigned pool).
        let assignedBy: String
        let ruleId: Int64?
        let contactId: Int64?
        let accountId: Int64?

        init(_ receipt: InboundReceipt) {
            requestId = receipt.requestID; leadId = receipt.leadID.rawValue; outcome = receipt.outcome.rawValue; ownerId = receipt.ownerID?.rawValue
            assignedBy = receipt.reason.rawValue; ruleId = receipt.ruleID?.rawValue; contactId = receipt.contactID?.rawValue
            accountId = receipt.accountID?.rawValue
        }
    }

    struct Record: Encodable {
        let id: Int64; let via: String; let channel: String; let senderId: String?; let name: String?; let phone: String?; let email: String?
        let text: String?; let pageUrl: String?; let sentAt: Date; let outcome: String

        init(_ r: InboundRecord) {
            id = r.id; via = r.via.rawValue; channel = r.channel; senderId = r.senderID; name = r.name; phone = r.phone; email = r.email
            text = r.text; pageUrl = r.pageURL; sentAt = r.sentAt; outcome = r.outcome.rawValue
        }
    }
    struct Records: Encodable { let items: [Record] }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/leads/:id/requests") { request, context -> Response in
            let lead = Lead.ID(try request.id(.lead, context: context))
            return try JSONBody.response(Records(items: try await database.inboundRequests(lead: lead, for: context.actor).map(Record.init)))
        }
        api.post("/inbound/leads") { request, context -> Response in
            _ = try AccessPolicy.require(context.actor, .create, .inboundRequest)
            let body = try await JSONBody.decode(LeadBody.self, from: request)
            var inbound = InboundRequest(via: .api, source: body.source.map(LeadSource.init(rawValue:)) ?? .webForm, channel: "api")
            inbound.name = body.name; inbound.phone = body.phone; inbound.email = body.email; inbound.company = body.company
            inbound.text = body.message; inbound.pageURL = body.pageUrl; inbound.regionCode = body.region; inbound.sentAt = body.receivedAt
            inbound.utm = UTMTags(source: body.utmSource, medium: body.utmMedium, campaign: body.utmCampaign, term: body.utmTerm,
                                  content: body.utmContent)
            inbound.custom = body.custom ?? [:]
            return try JSONBody.response(Receipt(try await receive(inbound, context: context)), status: .created)
        }
        api.post("/inbound/messages") { request, context -> Response in
            _ = try AccessPolicy.require(context.actor, .create, .inboundRequest)
            let body = try await JSONBody.decode(MessageBody.self, from: request)
            var errors = ValidationFailure.Collector()
            errors.check(body.channel != nil, "channel", "is required (the messenger: telegram, whatsapp, viber…)")
            try errors.finish()
            var inbound = InboundRequest(via: .messenger, source: .messenger, channel: body.channel?.lowercased() ?? "")
            inbound.senderID = body.senderId; inbound.phone = body.phone; inbound.name = body.name; inbound.text = body.text
            inbound.sentAt = body.sentAt
            return try JSONBody.response(Receipt(try await receive(inbound, context: context)), status: .created)
        }
    }

    /// Refusals are logged, so an integration that sends bad requests shows in the server's log, not only to itself.
    private func receive(_ inbound: InboundRequest, context: SignedInContext) async throws -> InboundReceipt {
        do {
            return try await database.receiveInbound(inbound, at: config.now(), address: context.address)
        } catch let failure as ValidationFailure {
            context.logger.notice("an inbound request was refused", metadata: ["via": "\(inbound.via.rawValue)", "problems": "\(failure)"])
            throw failure
        }
    }
}
