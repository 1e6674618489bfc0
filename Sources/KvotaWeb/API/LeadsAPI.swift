import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/leads`: inbound requests, newest first.
struct LeadsAPI {
    let database: Database
    let config: AppConfig

    struct LeadDTO: Codable, Equatable {
        let id: Int64
        let source: String
        let receivedAt: Date
        let firstResponseAt: Date?
        let status: String
        let disqualifyReason: String?
        let ownerId: Int64?
        let name: String
        let companyName: String?
        let phone: String?
        let email: String?
        let message: String?
        let utmSource: String?
        let utmCampaign: String?
        let accountId: Int64?
        let contactId: Int64?
        let custom: [String: JSONValue]
        let utmMedium: String?
        let utmTerm: String?
        let utmContent: String?
        let pageUrl: String?
        let channel: String?
        let regionId: Int64?
        /// Kvota's last score while the record is open (docs/scoring.md).
        let score: ScoreDTO?
        let version: Int64

        init(_ l: Lead) {
            custom = l.custom.mapValues(\.json)
            id = l.id.rawValue; source = l.source.rawValue; receivedAt = l.receivedAt; firstResponseAt = l.firstResponseAt
            status = l.status.rawValue; disqualifyReason = l.disqualifyReason; ownerId = l.ownerID?.rawValue; name = l.name
            companyName = l.companyName; phone = l.phone; email = l.email; message = l.message; utmSource = l.utmSource
            utmCampaign = l.utmCampaign; accountId = l.accountID?.rawValue; contactId = l.contactID?.rawValue; version = l.version
            utmMedium = l.utmMedium; utmTerm = l.utmTerm; utmContent = l.utmContent; pageUrl = l.pageURL; channel = l.channel
            regionId = l.regionID?.rawValue
            score = l.score.map(ScoreDTO.init)
        }
    }

    /// POST needs source and name; PATCH changes what it names (`null` clears an optional field).
    struct Body: Decodable {
        var patch = LeadPatch()
        var sourceKey: String?
        var statusKey: String?

        enum CodingKeys: String, CodingKey {
            case source, receivedAt, status, disqualifyReason, ownerId, name, companyName, phone, email, message, utmSource, utmCampaign, custom
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            patch.custom = try c.decodeIfPresent([String: JSONValue].self, forKey: .custom)
            func optional(_ key: CodingKeys) throws -> String?? {
                c.contains(key) ? .some(try c.decodeIfPresent(String.self, forKey: key)) : nil
            }
            sourceKey = try c.decodeIfPresent(String.self, forKey: .source)
            statusKey = try c.decodeIfPresent(String.self, forKey: .status)
            patch.receivedAt = try c.decodeIfPresent(Date.self, forKey: .receivedAt)
            patch.disqualifyReason = try optional(.disqualifyReason)
            if c.contains(.ownerId) { patch.ownerID = .some(try c.decodeIfPresent(Int64.self, forKey: .ownerId).map { User.ID($0) }) }
            patch.name = try c.decodeIfPresent(String.self, forKey: .name)
            patch.companyName = try optional(.companyName)
            patch.phone = try optional(.phone)
            patch.email = try optional(.email)
            patch.message = try optional(.message)
            patch.utmSource = try optional(.utmSource)
            patch.utmCampaign = try optional(.utmCampaign)
        }

        /// The patch with its enum keys read; unknown keys are problems the store reports with its own.
        func read() -> (LeadPatch, ValidationFailure.Collector) {
            var errors = ValidationFailure.Collector()
            var patch = patch
            // Standard or own: the store knows the company's own sources and names the valid ones.
            patch.source = sourceKey.map { LeadSource(rawValue: $0) }
            patch.status = decodeKey(statusKey, as: LeadStatus.self, field: "status", into: &errors)
            return (patch, errors)
        }
    }

    var routes: RecordRoutes<Lead, LeadDTO, LeadFilter> {
        RecordRoutes(
            path: "/leads", kind: .lead, csvName: "leads.csv",
            csvHeader: ["id", "source", "received_at", "status", "disqualify_reason", "owner_id", "name", "company_name", "phone",
                        "email", "utm_source", "utm_campaign", "account_id", "contact_id"],
            csvRow: { l in
                [l.id.description, l.source.rawValue, l.receivedAt.iso8601, l.status.rawValue, l.disqualifyReason,
                 l.ownerID?.description, l.name, l.companyName, l.phone, l.email, l.utmSource, l.utmCampaign,
                 l.accountID?.description, l.contactID?.description]
            },
            dto: LeadDTO.init, version: \.version,
            filter: { parameters, errors in
                var filter = LeadFilter(ownerID: ListParameters.id(parameters, "owner", into: &errors).map { User.ID($0) },
                                        text: parameters["q"].map(String.init))
                filter.status = decodeKey(parameters["status"].map(String.init), as: LeadStatus.self, field: "status", into: &errors)
                filter.source = parameters["source"].map { LeadSource(rawValue: String($0)) }
                return filter
            },
            list: { filter, actor, action in try await database.leads(filter, for: actor, action: action) },
            read: { id, actor in try await database.lead(Lead.ID(id), for: actor) },
            create: { request, context in
                let (patch, problems) = try await JSONBody.decode(Body.self, from: request).read()
                return try await database.addLead(patch, problems: problems, by: context.actor, at: config.now(),
                                                  address: context.address)
            },
            update: { id, request, version, context in
                let (patch, problems) = try await JSONBody.decode(Body.self, from: request).read()
                return try await database.updateLead(Lead.ID(id), patch, problems: problems, expectedVersion: version,
                                                     by: context.actor, at: config.now(), address: context.address)
            },
            delete: { id, version, context in
                try await database.deleteLead(Lead.ID(id), expectedVersion: version, by: context.actor, at: config.now(),
                                              address: context.address)
            },
            customFields: CustomFieldColumns(kind: .lead, database: database, values: \.custom, filter: { $0.custom = $1 }))
    }

    /// The body of `POST /leads/ID/convert`: every part optional.
    struct Conversion: Decodable {
        let accountId: Int64?
        let account: AccountsAPI.Body?
        let contactId: Int64?
        let createDeal: Bool?
        let deal: DealsAPI.Body?
    }

    struct ConvertedDTO: Encodable {
        let lead: LeadDTO
        let accountId: Int64
        let accountCreated: Bool
        let contactId: Int64?
        let contactCreated: Bool
        let deal: DealsAPI.DealDTO?
    }

    /// `POST /leads/ID/convert`: the lead becomes an account, a contact and a deal (made or linked) in one go.
    func registerConversion(on api: RouterGroup<SignedInContext>) {
        api.post("/leads/:id/convert") { request, context -> Response in
            let id = Lead.ID(try request.id(.lead, context: context))
            let body = try await JSONBody.decode(Conversion.self, from: request)
            var conversion = LeadConversion()
            conversion.accountID = body.accountId.map { Account.ID($0) }
            if let account = body.account {
                let patch = account.patch
                conversion.account = AccountDraft(name: account.name ?? "", legalID: patch.legalID ?? nil, regionID: patch.regionID ?? nil,
                                                  channelID: patch.channelID ?? nil, ownerID: patch.ownerID ?? nil,
                                                  segment: patch.segment ?? nil, tags: patch.tags ?? [], notes: patch.notes ?? nil,
                                                  addresses: patch.addresses ?? [])
                conversion.account?.custom = patch.custom
            }
            conversion.contactID = body.contactId.map { Contact.ID($0) }
            conversion.createDeal = body.createDeal ?? true
            var problems = ValidationFailure.Collector()
            for error in body.account?.problems.errors ?? [] { problems.check(false, "account." + error.field, error.reason) }
            if let deal = body.deal {
                let (patch, dealProblems) = deal.read()
                conversion.deal = patch
                for error in dealProblems.errors { problems.check(false, "deal." + error.field, error.reason) }
            }
            let converted = try await database.convertLead(id, conversion, problems: problems,
                                                           expectedVersion: try Versioning.expectedVersion(request), by: context.actor,
                                                           at: config.now(), address: context.address)
            let answer = ConvertedDTO(lead: LeadDTO(converted.lead), accountId: converted.accountID.rawValue,
                                      accountCreated: converted.accountCreated, contactId: converted.contactID?.rawValue,
                                      contactCreated: converted.contactCreated, deal: converted.deal.map(DealsAPI.DealDTO.init))
            return try Versioning.response(answer, version: converted.lead.version)
        }
    }
}
