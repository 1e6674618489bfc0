import Foundation

public enum ActivityKind: String, CaseIterable, Sendable, Codable {
    case call, meeting, task, note, message
}

public enum CallDirection: String, CaseIterable, Sendable, Codable {
    case inbound, outbound
}

public enum CallDisposition: String, CaseIterable, Sendable, Codable {
    case answered, missed, busy, failed
}

/// The call-specific part of an activity.
public struct CallDetails: Hashable, Sendable, Codable {
    public var direction: CallDirection
    public var disposition: CallDisposition
    public var externalNumber: String?
    public var talkSeconds: Int

    public init(direction: CallDirection, disposition: CallDisposition, externalNumber: String?, talkSeconds: Int) {
        self.direction = direction; self.disposition = disposition; self.externalNumber = externalNumber
        self.talkSeconds = talkSeconds
    }
}

/// Something a rep did or must do: a call, meeting, task, note or message, linked to whatever it concerns.
public struct Activity: Hashable, Sendable, Codable {
    public typealias ID = Identifier<Activity>
    public var id: ID
    public var kind: ActivityKind
    public var ownerID: User.ID
    public var accountID: Account.ID?
    public var contactID: Contact.ID?
    public var dealID: Deal.ID?
    public var leadID: Lead.ID?
    public var subject: String
    /// When it happened (calls, meetings held, notes, messages) or was created (tasks).
    public var occurredAt: Date
    /// Tasks and planned meetings: when it is due.
    public var dueAt: Date?
    /// Tasks and meetings: when it was completed; nil while open.
    public var doneAt: Date?
    public var call: CallDetails?
    /// Bumped by every change, for optimistic concurrency.
    public var version: Int64
    public var custom: [String: CustomValue] = [:]

    public init(id: ID, kind: ActivityKind, ownerID: User.ID, accountID: Account.ID?, contactID: Contact.ID?,
                dealID: Deal.ID?, leadID: Lead.ID?, subject: String, occurredAt: Date, dueAt: Date?, doneAt: Date?,
                call: CallDetails?, version: Int64 = 1) {
        self.version = version
        self.id = id; self.kind = kind; self.ownerID = ownerID; self.accountID = accountID
        self.contactID = contactID; self.dealID = dealID; self.leadID = leadID; self.subject = subject
        self.occurredAt = occurredAt; self.dueAt = dueAt; self.doneAt = doneAt; self.call = call
    }
}
