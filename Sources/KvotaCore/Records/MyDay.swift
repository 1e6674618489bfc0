import Foundation

/// What one rep works through today: tasks and meetings due today and overdue, missed calls not yet called back,
/// new leads still waiting for a first answer, and open deals with nothing planned next. Read by the store for one
/// user; each list is capped (`MyDay.limit`) and oldest-first, so the most urgent comes first.
public struct MyDay: Sendable {
    /// An open task or meeting, with what it is about.
    public struct Planned: Sendable {
        public var activity: Activity
        public var about: String?

        public init(activity: Activity, about: String?) {
            self.activity = activity; self.about = about
        }
    }

    /// A missed inbound call with no outbound call to the same number since.
    public struct Callback: Sendable {
        public var call: Activity
        public var about: String?

        public init(call: Activity, about: String?) {
            self.call = call; self.about = about
        }
    }

    /// An open deal with no open task or meeting.
    public struct IdleDeal: Sendable {
        public var deal: Deal
        public var accountName: String
        public var stageName: String
        public var lastActivityAt: Date?

        public init(deal: Deal, accountName: String, stageName: String, lastActivityAt: Date?) {
            self.deal = deal; self.accountName = accountName; self.stageName = stageName; self.lastActivityAt = lastActivityAt
        }
    }

    public static let limit = 50
    /// Missed calls older than this are no longer a callback to make today.
    public static let callbackWindow: TimeInterval = 7 * 86_400

    /// The first `limit` rows of a list and how many there are in all.
    public struct Capped<Item: Sendable>: Sendable {
        public var items: [Item]
        public var total: Int

        public init(items: [Item], total: Int) {
            self.items = items; self.total = total
        }
    }

    public var dueToday: Capped<Planned>
    public var overdue: Capped<Planned>
    public var callbacks: Capped<Callback>
    public var newLeads: Capped<Lead>
    public var dealsWithoutNextStep: Capped<IdleDeal>

    public init(dueToday: Capped<Planned>, overdue: Capped<Planned>, callbacks: Capped<Callback>, newLeads: Capped<Lead>,
                dealsWithoutNextStep: Capped<IdleDeal>) {
        self.dueToday = dueToday; self.overdue = overdue; self.callbacks = callbacks; self.newLeads = newLeads
        self.dealsWithoutNextStep = dealsWithoutNextStep
    }
}
