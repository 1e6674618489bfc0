import Foundation

/// A change to a lead (or, applied to a blank one, a new lead): nil leaves a field; `.some(nil)` clears it.
public struct LeadPatch: Hashable, Sendable {
    public var source: LeadSource?
    public var receivedAt: Date?
    public var status: LeadStatus?
    public var disqualifyReason: String??
    public var ownerID: User.ID??
    public var name: String?
    public var companyName: String??
    public var phone: String??
    public var email: String??
    public var message: String??
    public var utmSource: String??
    public var utmCampaign: String??
    /// The custom fields to set (null clears one); others stay.
    public var custom: [String: JSONValue]?

    public init() {}

    /// The lead after the change, normalised, with every problem collected. Converting is its own step (it makes an
    /// account, contact and deal), so a change cannot set `converted` or touch a converted lead's status.
    public func applied(to lead: Lead, country: String, now: Date, into errors: inout ValidationFailure.Collector) -> Lead {
        var changed = lead
        func text(_ value: String??, _ keyPath: WritableKeyPath<Lead, String?>) {
            if let value { changed[keyPath: keyPath] = value.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 } }
        }
        if let source { changed.source = source }
        if let receivedAt {
            errors.check(receivedAt <= now.addingTimeInterval(300), "receivedAt", "must not be in the future")
            changed.receivedAt = receivedAt
        }
        if let status {
            errors.check(status != .converted, "status", "a lead becomes converted by converting it, not by setting its status")
            errors.check(lead.status != .converted || status == .converted, "status", "a converted lead stays converted")
            changed.status = status
        }
        text(disqualifyReason, \.disqualifyReason)
        if let ownerID { changed.ownerID = ownerID }
        if let name { changed.name = name.trimmingCharacters(in: .whitespacesAndNewlines) }
        text(companyName, \.companyName)
        text(email, \.email)
        text(message, \.message)
        text(utmSource, \.utmSource)
        text(utmCampaign, \.utmCampaign)
        if let phone {
            let raw = phone.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            if let raw {
                do throws(ValueError) { changed.phone = try PhoneNumber.e164(raw, country: country) } catch {
                    errors.check(false, error.field, error.reason)
                }
            } else {
                changed.phone = nil
            }
        }
        if changed.status != .disqualified { changed.disqualifyReason = nil }
        errors.check(changed.status != .disqualified || changed.disqualifyReason != nil, "disqualifyReason",
                     "is required when a lead is disqualified")
        errors.check(!changed.name.isEmpty, "name", "must not be empty")
        errors.check(changed.name.count <= 300, "name", "must be at most 300 characters")
        if let email = changed.email {
            errors.check(UserDraft.looksLikeEmail(email), "email", "expected an address like name@example.com, got '\(email)'")
        }
        if let message = changed.message { errors.check(message.count <= 10_000, "message", "must be at most 10 000 characters") }
        return changed
    }
}
