import Foundation
import KvotaCore
import SQLKit

/// What became of an inbound request.
public struct InboundReceipt: Hashable, Sendable {
    public enum Outcome: String, CaseIterable, Sendable, Codable {
        /// Nobody Kvota knows: a new lead, owned by the rules' choice (or nobody yet).
        case newLead = "new_lead"
        /// The sender has a lead still being worked (or a conversation with one): the request joins it.
        case openLead = "open_lead"
        /// An existing customer's contact: a new lead on their account, for the account's owner.
        case customerLead = "customer_lead"
    }

    public var requestID: Int64
    public var leadID: Lead.ID
    public var outcome: Outcome
    public var ownerID: User.ID?
    public var reason: LeadAssignment.Reason
    public var ruleID: AssignmentRule.ID?
    public var contactID: Contact.ID?
    public var accountID: Account.ID?
}

/// Inbound requests (issue 9): a web form's post, an integration's lead and a messenger message all come through
/// `receiveInbound`. It finds who the sender is (the messenger conversation, then the contacts' phones, emails and
/// handles, then open leads), joins the request to a lead still being worked, or opens a lead given its owner by the
/// assignment rules; and keeps the request itself, linked to where it went. All of it or nothing is written, as
/// Kvota itself (the request's address in the audit trail).
extension Database {
    public func receiveInbound(_ request: InboundRequest, at now: Date, address: String? = nil) async throws -> InboundReceipt {
        let country = try await defaultCountry()
        let zone = try await companyTimeZone()
        var errors = ValidationFailure.Collector()
        let request = request.normalised(country: country, now: now, into: &errors)
        return try await write { sql in
            var region = request.regionID
            if let code = request.regionCode {
                region = try await sql.raw("SELECT id FROM regions WHERE LOWER(code) = \(bind: code.lowercased())").first()
                    .map { Region.ID(try $0.decode(column: "id", as: Int64.self)) }
                errors.check(region != nil, "region", "no region with the code '\(code)'")
            }
            if !errors.errors.contains(where: { $0.field == "source" }) { try await Self.checkSource(request.source, in: sql, into: &errors) }
            try errors.finish()

            let sender = try await Self.sender(of: request, in: sql)
            var outcome: InboundReceipt.Outcome
            var lead: Lead.ID
            var assignment = LeadAssignment.Outcome(ownerID: sender.owner, reason: .existingOwner, ruleID: nil, roundRobinUser: nil)
            if let open = sender.openLead {
                outcome = .openLead
                lead = open.id
                assignment.ownerID = open.owner
                if open.owner == nil {
                    // The lead has waited in the pool; the new request is a reason to give it to someone now.
                    assignment = try await Self.assignOwner(existingOwner: sender.owner, region: region ?? sender.region, source: request.source,
                                                            channel: request.via == .messenger ? request.channel : nil, in: sql)
                    if let owner = assignment.ownerID {
                        try await sql.raw("UPDATE leads SET owner_id = \(bind: owner.rawValue), version = version + 1 WHERE id = \(bind: lead.rawValue)").run()
                        try await AuditLog.append(.init(at: now, actorID: nil, action: "update", entity: "lead", entityID: lead.rawValue,
                                                        changes: [.init("owner", old: nil, new: owner.description)], detail: "assigned",
                                                        address: address), in: sql)
                        let assigned = try await Self.lead(lead, in: sql)
                        var waiting = assigned
                        waiting.ownerID = nil
                        try await WebhookOutbox.leadChanged(from: waiting, to: assigned, by: nil, at: now, in: sql)
                    }
                }
            } else {
                outcome = sender.contact == nil ? .newLead : .customerLead
                assignment = try await Self.assignOwner(existingOwner: sender.owner, region: region ?? sender.region, source: request.source,
                                                        channel: request.via == .messenger ? request.channel : nil, in: sql)
                var patch = LeadPatch()
                patch.source = request.source
                patch.receivedAt = request.sentAt ?? now
                patch.name = request.leadName
                patch.companyName = .some(request.company ?? sender.accountName)
                patch.phone = .some(request.phone)
                patch.email = .some(request.email)
                patch.message = .some(request.text)
                patch.utmSource = .some(request.utm.source)
                patch.utmCampaign = .some(request.utm.campaign)
                patch.ownerID = .some(assignment.ownerID)
                patch.custom = request.custom.isEmpty ? nil : request.custom
                let made = try await Self.insertLead(patch, problems: .init(), country: country, zone: zone, by: Self.evaluator, at: now,
                                                     address: address, in: sql)
                lead = made.id
                try await sql.raw("""
                    UPDATE leads SET utm_medium = \(bind: request.utm.medium), utm_term = \(bind: request.utm.term),
                        utm_content = \(bind: request.utm.content), page_url = \(bind: request.pageURL),
                        channel = \(bind: request.via == .messenger ? request.channel : nil), region_id = \(bind: (region ?? sender.region)?.rawValue),
                        account_id = \(bind: sender.account?.rawValue), contact_id = \(bind: sender.contact?.rawValue)
                    WHERE id = \(bind: lead.rawValue)
                    """).run()
            }
            let row = try await sql.raw("""
                INSERT INTO inbound_requests (via, channel, form_id, sender_id, name, phone, email, text, page_url, sent_at, received_at, outcome,
                                              lead_id, contact_id, account_id, owner_id, rule_id, address)
                VALUES (\(bind: request.via.rawValue), \(bind: request.channel), \(bind: request.formID?.rawValue), \(bind: request.senderID),
                        \(bind: request.name), \(bind: request.phone), \(bind: request.email), \(bind: request.text), \(bind: request.pageURL),
                        \(bind: (request.sentAt ?? now).epochMilliseconds), \(bind: now.epochMilliseconds), \(bind: outcome.rawValue),
                        \(bind: lead.rawValue), \(bind: sender.contact?.rawValue), \(bind: sender.account?.rawValue),
                        \(bind: assignment.ownerID?.rawValue), \(bind: assignment.ruleID?.rawValue), \(bind: address))
                RETURNING id
                """).first()
            return InboundReceipt(requestID: try row!.decode(column: "id", as: Int64.self), leadID: lead, outcome: outcome, ownerID: assignment.ownerID,
                                  reason: assignment.reason, ruleID: assignment.ruleID, contactID: sender.contact, accountID: sender.account)
        }
    }

    /// Who sent a request, as far as Kvota knows: the contact (by the messenger conversation, a phone, an email or a
    /// messenger handle), their account with its owner and region, and a lead of theirs still being worked.
    private static func sender(of request: InboundRequest, in sql: any SQLDatabase) async throws -> (
        contact: Contact.ID?, account: Account.ID?, accountName: String?, owner: User.ID?, region: Region.ID?, openLead: (id: Lead.ID, owner: User.ID?)?
    ) {
        var contact: Int64?
        var conversationLead: Int64?
        if request.via == .messenger, let sender = request.senderID {
            if let row = try await sql.raw("""
                SELECT lead_id, contact_id FROM inbound_requests WHERE channel = \(bind: request.channel) AND sender_id = \(bind: sender)
                ORDER BY id DESC LIMIT 1
                """).first() {
                conversationLead = try row.decode(column: "lead_id", as: Int64.self)
                contact = try row.decode(column: "contact_id", as: Int64?.self)
            }
        }
        // Then by the messenger's handle, the phone, the email: the first of these a contact has.
        var channels: [(ContactChannel.Kind, String)] = []
        if request.via == .messenger, let sender = request.senderID, let kind = ContactChannel.Kind(rawValue: request.channel) {
            channels.append((kind, sender))
        }
        if let phone = request.phone { channels.append((.phone, phone)) }
        if let email = request.email { channels.append((.email, email)) }
        for (kind, value) in channels where contact == nil {
            contact = try await sql.raw("SELECT c.id FROM contacts c WHERE \(hasChannel(kind, value)) ORDER BY c.id LIMIT 1").first()?
                .decode(column: "id", as: Int64.self)
        }
        var account: Int64?, accountName: String?, owner: Int64?, region: Int64?
        if let contact, let row = try await sql.raw("""
            SELECT a.id, a.name, a.owner_id, a.region_id FROM contacts c JOIN accounts a ON a.id = c.account_id WHERE c.id = \(bind: contact)
            """).first() {
            account = try row.decode(column: "id", as: Int64.self)
            accountName = try row.decode(column: "name", as: String.self)
            owner = try row.decode(column: "owner_id", as: Int64?.self)
            region = try row.decode(column: "region_id", as: Int64?.self)
        }
        // A lead still being worked: the conversation's, else one with this phone or email, else the contact's.
        var conditions: [SQLQueryString] = []
        if let conversationLead { conditions.append("id = \(bind: conversationLead)") }
        if let phone = request.phone { conditions.append("phone = \(bind: phone)") }
        if let email = request.email { conditions.append("LOWER(email) = \(bind: email)") }
        if let contact { conditions.append("contact_id = \(bind: contact)") }
        var openLead: (id: Lead.ID, owner: User.ID?)?
        if !conditions.isEmpty {
            let match = conditions.dropFirst().reduce(conditions[0]) { $0 + " OR " + $1 }
            if let row = try await sql.raw("""
                SELECT id, owner_id FROM leads WHERE status IN ('new', 'in_work', 'qualified') AND (\(match))
                ORDER BY \(conversationLead.map { "CASE WHEN id = \(bind: $0) THEN 0 ELSE 1 END, " as SQLQueryString } ?? "") received_at DESC, id DESC
                LIMIT 1
                """).first() {
                openLead = (Lead.ID(try row.decode(column: "id", as: Int64.self)), try row.decode(column: "owner_id", as: Int64?.self).map { User.ID($0) })
            }
        }
        return (contact.map { Contact.ID($0) }, account.map { Account.ID($0) }, accountName, owner.map { User.ID($0) }, region.map { Region.ID($0) },
                openLead)
    }
}
