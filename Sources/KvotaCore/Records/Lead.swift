import Foundation

public enum LeadSource: String, CaseIterable, Sendable, Codable {
    case webForm = "web_form", inboundCall = "inbound_call", email, messenger, referral
    case coldOutreach = "cold_outreach", event, other
}

public enum LeadStatus: String, CaseIterable, Sendable, Codable {
    case new, inWork = "in_work", qualified, disqualified, converted
}

/// An inbound request before it becomes (or fails to become) a deal.
/// The deal a converted lead became points back at it (`Deal.leadID`).
public struct Lead: Hashable, Sendable, Codable {
    public typealias ID = Identifier<Lead>
    public var id: ID
    public var source: LeadSource
    public var receivedAt: Date
    /// The first outbound call, message or meeting by anyone (METRICS.md "first-response time").
    public var firstResponseAt: Date?
    public var status: LeadStatus
    public var disqualifyReason: String?
    public var ownerID: User.ID?
    public var name: String
    public var companyName: String?
    public var phone: String?
    public var email: String?
    public var message: String?
    public var utmSource: String?
    public var utmCampaign: String?
    public var accountID: Account.ID?
    public var contactID: Contact.ID?
    public var custom: [String: CustomValue] = [:]
    /// Bumped by every change, for optimistic concurrency.
    public var version: Int64

    public init(id: ID, source: LeadSource, receivedAt: Date, firstResponseAt: Date?, status: LeadStatus,
                disqualifyReason: String?, ownerID: User.ID?, name: String, companyName: String?, phone: String?,
                email: String?, message: String?, utmSource: String?, utmCampaign: String?, accountID: Account.ID?,
                contactID: Contact.ID?, version: Int64 = 1) {
        self.version = version
        self.id = id; self.source = source; self.receivedAt = receivedAt; self.firstResponseAt = firstResponseAt
        self.status = status; self.disqualifyReason = disqualifyReason; self.ownerID = ownerID; self.name = name
        self.companyName = companyName; self.phone = phone; self.email = email; self.message = message
        self.utmSource = utmSource; self.utmCampaign = utmCampaign; self.accountID = accountID
        self.contactID = contactID
    }
}
