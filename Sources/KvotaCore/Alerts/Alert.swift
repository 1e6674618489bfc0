import Foundation

/// One raised alert as its recipient sees it.
public struct Alert: Hashable, Sendable {
    public typealias ID = Identifier<Alert>

    public enum State: String, CaseIterable, Sendable, Codable {
        /// Not opened by this recipient yet (counts on the bell).
        case new
        case seen
        /// Someone resolved it, or its condition cleared.
        case resolved
    }

    public let id: ID
    public let rule: AlertRule
    public let subjectID: Int64
    /// What distinguishes occurrences about one subject that may stand together (the measure of a plan, the months
    /// of a downgrade); empty for most rules.
    public let episode: String
    /// Whom it is about (the subject's owner; nil for the company's).
    public let ownerID: User.ID?
    /// The subject's name when raised.
    public let title: String
    /// When the condition began: a lead's arrival, a missed call, a deal's last activity, a customer's last order day.
    public let since: Date?
    /// The figure behind it: a share, a fulfilment, a count of days; nil where the rule has none.
    public let value: Double?
    public let raisedAt: Date
    public let resolvedAt: Date?
    public let resolvedBy: User.ID?
    /// When Kvota saw the condition end (nil while it holds).
    public let clearedAt: Date?
    public let seenAt: Date?

    public init(id: ID, rule: AlertRule, subjectID: Int64, episode: String, ownerID: User.ID?, title: String, since: Date?, value: Double?,
                raisedAt: Date, resolvedAt: Date?, resolvedBy: User.ID?, clearedAt: Date?, seenAt: Date?) {
        self.id = id; self.rule = rule; self.subjectID = subjectID; self.episode = episode; self.ownerID = ownerID; self.title = title
        self.since = since; self.value = value; self.raisedAt = raisedAt; self.resolvedAt = resolvedAt; self.resolvedBy = resolvedBy
        self.clearedAt = clearedAt; self.seenAt = seenAt
    }

    public var state: State { resolvedAt != nil ? .resolved : seenAt != nil ? .seen : .new }
}
