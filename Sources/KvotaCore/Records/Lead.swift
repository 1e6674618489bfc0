import Foundation

/// Where a request came from: one of the standard sources, or one of the company's own (`OwnLeadSource`, kept by an
/// admin), both stored and exchanged by key.
public struct LeadSource: RawRepresentable, Hashable, Sendable, Codable {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let webForm = LeadSource(rawValue: "web_form")
    public static let inboundCall = LeadSource(rawValue: "inbound_call")
    public static let email = LeadSource(rawValue: "email")
    public static let messenger = LeadSource(rawValue: "messenger")
    public static let referral = LeadSource(rawValue: "referral")
    public static let coldOutreach = LeadSource(rawValue: "cold_outreach")
    public static let event = LeadSource(rawValue: "event")
    public static let other = LeadSource(rawValue: "other")

    public static let standard: [LeadSource] = [.webForm, .inboundCall, .email, .messenger, .referral, .coldOutreach, .event, .other]

    public var isStandard: Bool { Self.standard.contains(self) }
}

/// A lead source of the company's own ("trade fair in Kyiv", "partner portal"), beside the standard ones.
public struct OwnLeadSource: Hashable, Sendable {
    public var key: String
    public var label: String
    /// A retired source stays on the leads that carry it but is not offered for new ones.
    public var active: Bool
    public var position: Int

    public init(key: String, label: String, active: Bool = true, position: Int = 0) {
        self.key = key; self.label = label; self.active = active; self.position = position
    }

    /// A key as stored, with its problems: lower-case letters, digits and underscores, not a standard source's.
    public static func checkedKey(_ text: String?, into errors: inout ValidationFailure.Collector) -> String {
        let key = (text ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        errors.check((2...40).contains(key.count) && key.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" }, "key",
                     "expected 2 to 40 lower-case letters, digits or underscores, got '\(text ?? "")'")
        errors.check(!LeadSource(rawValue: key).isStandard, "key", "'\(key)' is a standard source already")
        return key
    }
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
    /// The rest of the landing page's tags, the page itself, and the messenger a request came through (issue 9).
    public var utmMedium: String?
    public var utmTerm: String?
    public var utmContent: String?
    public var pageURL: String?
    public var channel: String?
    /// The region a request named (its form's, or the one it chose), which the assignment rules read.
    public var regionID: Region.ID?
    /// Kvota's last score of the lead while it is worked (docs/scoring.md); nil before the first scoring round and
    /// once it is closed. Not part of the record: it changes no version.
    public var score: Score?
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
