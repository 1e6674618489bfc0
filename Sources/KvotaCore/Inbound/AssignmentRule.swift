import Foundation

/// A rule that gives a new request an owner (issue 9), kept by an admin. A rule matches a request by its region (a
/// rule for a region covers its sub-regions), by its source (and, for messengers, the channel), or any request; it
/// names a person, or a team whose members on shift take turns.
public struct AssignmentRule: Hashable, Sendable, Codable {
    public typealias ID = Identifier<AssignmentRule>
    public enum Kind: String, CaseIterable, Sendable, Codable { case region, source, any }

    public var id: ID
    public var kind: Kind
    /// Order among the rules of its kind.
    public var position: Int
    public var regionID: Region.ID?
    public var source: LeadSource?
    /// With `source`: only requests through this messenger (`telegram`…).
    public var channel: String?
    public var userID: User.ID?
    public var teamID: Team.ID?
    public var active: Bool
    /// The team member who took the last request by this rule (round-robin goes on from them).
    public var lastUserID: User.ID?
    public var version: Int64

    public init(id: ID, kind: Kind, position: Int, regionID: Region.ID? = nil, source: LeadSource? = nil, channel: String? = nil,
                userID: User.ID? = nil, teamID: Team.ID? = nil, active: Bool = true, lastUserID: User.ID? = nil, version: Int64 = 1) {
        self.id = id; self.kind = kind; self.position = position; self.regionID = regionID; self.source = source
        self.channel = channel; self.userID = userID; self.teamID = teamID; self.active = active; self.lastUserID = lastUserID
        self.version = version
    }
}

/// A change to a rule (or a new one): nil leaves a field, `.some(nil)` clears an optional one.
public struct AssignmentRulePatch: Hashable, Sendable {
    public var kind: AssignmentRule.Kind?
    public var position: Int?
    public var regionID: Region.ID??
    public var source: LeadSource??
    public var channel: String??
    public var userID: User.ID??
    public var teamID: Team.ID??
    public var active: Bool?

    public init() {}

    /// The rule after the change: a region rule names a region, a source rule a source, and every rule one person or
    /// one team.
    public func applied(to rule: AssignmentRule, into errors: inout ValidationFailure.Collector) -> AssignmentRule {
        var changed = rule
        if let kind { changed.kind = kind }
        if let position {
            errors.check((0...10_000).contains(position), "position", "expected 0 to 10000")
            changed.position = position
        }
        if let regionID { changed.regionID = regionID }
        if let source { changed.source = source }
        if let channel { changed.channel = channel?.trimmingCharacters(in: .whitespaces).lowercased().nilIfEmpty }
        if let userID { changed.userID = userID }
        if let teamID { changed.teamID = teamID }
        if let active { changed.active = active }
        switch changed.kind {
        case .region:
            errors.check(changed.regionID != nil, "regionId", "is required for a region rule")
            changed.source = nil; changed.channel = nil
        case .source:
            errors.check(changed.source != nil, "source", "is required for a source rule")
            changed.regionID = nil
        case .any:
            changed.regionID = nil; changed.source = nil; changed.channel = nil
        }
        if let channel = changed.channel {
            errors.check(InboundRequest.isChannelName(channel), "channel", "expected a messenger's name such as telegram, got '\(channel)'")
        }
        errors.check((changed.userID == nil) != (changed.teamID == nil), "userId", "name either a user or a team to give the requests to")
        if changed.teamID != rule.teamID { changed.lastUserID = nil }
        return changed
    }
}

/// Who a new request goes to (issue 9), in this order: the customer's existing owner; the rules for the request's
/// region (its own region before its parents'); the rules for its source (a messenger's own channel before the source
/// as a whole); the rules for any request; else nobody, and it waits in the unassigned pool. A rule that names a
/// person who is away or off shift, or a team with nobody on shift, is passed over for the next.
public enum LeadAssignment {
    public enum Reason: String, CaseIterable, Sendable, Codable { case existingOwner = "existing_owner", rule, none }

    public struct Outcome: Hashable, Sendable {
        public var ownerID: User.ID?
        public var reason: Reason
        public var ruleID: AssignmentRule.ID?
        /// For a team rule: the member who took it, to go on from next time.
        public var roundRobinUser: User.ID?

        public init(ownerID: User.ID?, reason: Reason, ruleID: AssignmentRule.ID? = nil, roundRobinUser: User.ID? = nil) {
            self.ownerID = ownerID; self.reason = reason; self.ruleID = ruleID; self.roundRobinUser = roundRobinUser
        }
    }

    public struct Request: Hashable, Sendable {
        public var existingOwner: User.ID?
        /// The request's region and its ancestors, nearest first.
        public var regions: [Region.ID]
        public var source: LeadSource
        public var channel: String?

        public init(existingOwner: User.ID?, regions: [Region.ID], source: LeadSource, channel: String?) {
            self.existingOwner = existingOwner; self.regions = regions; self.source = source; self.channel = channel
        }
    }

    /// `available` are the active users on shift; `members` each team's members who may take requests, in a
    /// stable order. An existing owner need only be active (`active`): a customer's request goes to them on or
    /// off shift.
    public static func assign(_ request: Request, rules: [AssignmentRule], active: Set<User.ID>, available: Set<User.ID>,
                              members: [Team.ID: [User.ID]]) -> Outcome {
        if let owner = request.existingOwner, active.contains(owner) {
            return Outcome(ownerID: owner, reason: .existingOwner, ruleID: nil, roundRobinUser: nil)
        }
        for rule in ordered(rules, for: request) {
            if let user = rule.userID {
                if available.contains(user) { return Outcome(ownerID: user, reason: .rule, ruleID: rule.id, roundRobinUser: nil) }
            } else if let team = rule.teamID,
                      let user = next(after: rule.lastUserID, among: (members[team] ?? []).filter(available.contains)) {
                return Outcome(ownerID: user, reason: .rule, ruleID: rule.id, roundRobinUser: user)
            }
        }
        return Outcome(ownerID: nil, reason: .none, ruleID: nil, roundRobinUser: nil)
    }

    /// The active rules that match, in the order they are tried.
    public static func ordered(_ rules: [AssignmentRule], for request: Request) -> [AssignmentRule] {
        func rank(_ rule: AssignmentRule) -> (Int, Int, Int, Int64)? {
            guard rule.active else { return nil }
            switch rule.kind {
            case .region:
                guard let region = rule.regionID, let depth = request.regions.firstIndex(of: region) else { return nil }
                return (0, depth, rule.position, rule.id.rawValue)
            case .source:
                guard rule.source == request.source else { return nil }
                if let channel = rule.channel { return channel == request.channel ? (1, 0, rule.position, rule.id.rawValue) : nil }
                return (1, 1, rule.position, rule.id.rawValue)
            case .any:
                return (2, 0, rule.position, rule.id.rawValue)
            }
        }
        return rules.compactMap { rule in rank(rule).map { (rule, $0) } }.sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// Round-robin: the member after the last one who took a request, from the start again after the last member.
    public static func next(after last: User.ID?, among members: [User.ID]) -> User.ID? {
        guard !members.isEmpty else { return nil }
        guard let last else { return members[0] }
        return members.first { $0.rawValue > last.rawValue } ?? members[0]
    }
}
