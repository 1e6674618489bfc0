import Foundation

/// A change to an activity (or the fields of a new one): nil leaves a field; `.some(nil)` clears an optional one.
public struct ActivityPatch: Hashable, Sendable {
    public var kind: ActivityKind?
    public var ownerID: User.ID?
    public var accountID: Account.ID??
    public var contactID: Contact.ID??
    public var dealID: Deal.ID??
    public var leadID: Lead.ID??
    public var subject: String?
    public var occurredAt: Date?
    public var dueAt: Date??
    /// true marks a task or meeting done now (keeping an earlier done time); false opens it again.
    public var done: Bool?
    public var callDirection: CallDirection?
    public var callDisposition: CallDisposition?
    public var externalNumber: String??
    public var talkSeconds: Int?
    /// The custom fields to set (null clears one); others stay.
    public var custom: [String: JSONValue]?

    public init() {}

    /// The activity after the change, with every problem that needs no database collected. Only calls carry call
    /// details; every activity concerns at least one account, contact, lead or deal.
    public func applied(to activity: Activity, country: String, now: Date, into errors: inout ValidationFailure.Collector) -> Activity {
        var changed = activity
        if let kind { changed.kind = kind }
        if let ownerID { changed.ownerID = ownerID }
        if let accountID { changed.accountID = accountID }
        if let contactID { changed.contactID = contactID }
        if let dealID { changed.dealID = dealID }
        if let leadID { changed.leadID = leadID }
        if let subject { changed.subject = subject.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let occurredAt { changed.occurredAt = occurredAt }
        if let dueAt { changed.dueAt = dueAt }
        if let done { changed.doneAt = done ? (activity.doneAt ?? now) : nil }
        let callFields = callDirection != nil || callDisposition != nil || externalNumber != nil || talkSeconds != nil
        if changed.kind == .call {
            var call = changed.call ?? CallDetails(direction: .outbound, disposition: .answered, externalNumber: nil, talkSeconds: 0)
            if activity.call == nil {
                errors.check(callDirection != nil, "callDirection", "is required for a call")
                errors.check(callDisposition != nil, "callDisposition", "is required for a call")
            }
            if let callDirection { call.direction = callDirection }
            if let callDisposition { call.disposition = callDisposition }
            if let talkSeconds {
                errors.check((0...86_400).contains(talkSeconds), "talkSeconds", "expected 0 to 86400 seconds")
                call.talkSeconds = talkSeconds
            }
            if let externalNumber {
                if let number = externalNumber?.trimmingCharacters(in: .whitespaces), !number.isEmpty {
                    do throws(ValueError) { call.externalNumber = try PhoneNumber.e164(number, country: country, field: "externalNumber") } catch {
                        errors.check(false, error.field, error.reason)
                    }
                } else {
                    call.externalNumber = nil
                }
            }
            changed.call = call
        } else {
            errors.check(!callFields, "kind", "only calls have a direction, disposition, number and talk time")
            changed.call = nil
        }
        errors.check(!changed.subject.isEmpty, "subject", "must not be empty")
        errors.check(changed.subject.count <= 500, "subject", "must be at most 500 characters")
        // A task may stand alone (an internal to-do, such as one from a SWOT item); what happened with a customer is
        // always about a record.
        errors.check(changed.kind == .task || changed.accountID != nil || changed.contactID != nil || changed.dealID != nil || changed.leadID != nil,
                     "accountId", "link the activity to an account, contact, lead or deal")
        return changed
    }

    /// Whether this activity answers a lead: the first outbound call, message or meeting sets its first-response time
    /// (METRICS.md "first-response time").
    public static func respondsToLead(_ activity: Activity) -> Bool {
        switch activity.kind {
        case .call: activity.call?.direction == .outbound
        case .meeting, .message: true
        case .task, .note: false
        }
    }
}
