import Foundation

/// A change to a user: nil leaves a field as it is; for the optional fields `.some(nil)` clears it.
public struct UserPatch: Hashable, Sendable {
    public var name: String?
    public var role: Role?
    public var teamID: Team.ID??
    public var managerID: User.ID??
    public var language: Language?
    public var phoneExtension: String??
    public var active: Bool?

    public init(name: String? = nil, role: Role? = nil, teamID: Team.ID?? = nil, managerID: User.ID?? = nil,
                language: Language? = nil, phoneExtension: String?? = nil, active: Bool? = nil) {
        self.name = name; self.role = role; self.teamID = teamID; self.managerID = managerID
        self.language = language; self.phoneExtension = phoneExtension; self.active = active
    }

    /// The user after the change, before the checks that need the database.
    public func applied(to user: User) -> User {
        var changed = user
        if let name { changed.name = name.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let role { changed.role = role }
        if let teamID { changed.teamID = teamID }
        if let managerID { changed.managerID = managerID }
        if let language { changed.language = language }
        if let phoneExtension {
            let trimmed = phoneExtension?.trimmingCharacters(in: .whitespacesAndNewlines)
            changed.phoneExtension = trimmed == "" ? nil : trimmed
        }
        if let active { changed.active = active }
        return changed
    }

    /// Whether the change moves the user in the organisation, which dates a new row of team history.
    public static func movesInOrganisation(_ old: User, _ new: User) -> Bool {
        old.role != new.role || old.teamID != new.teamID || old.managerID != new.managerID
    }
}

/// What it takes to add a team, or a team's new state.
public struct TeamDraft: Hashable, Sendable {
    public var name: String
    public var kind: TeamKind
    public var headID: User.ID?

    public init(name: String, kind: TeamKind, headID: User.ID? = nil) {
        self.name = name; self.kind = kind; self.headID = headID
    }

    public func normalised() -> TeamDraft {
        var draft = self
        draft.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        return draft
    }

    public func check(into errors: inout ValidationFailure.Collector) {
        errors.check(!name.isEmpty, "name", "must not be empty")
        errors.check(name.count <= 200, "name", "must be at most 200 characters")
    }
}

/// One row of a user's dated team history: what they were from `from` until `to` (nil: still).
public struct UserAssignment: Hashable, Sendable {
    public var role: Role
    public var teamID: Team.ID?
    public var managerID: User.ID?
    public var from: Date
    public var to: Date?

    public init(role: Role, teamID: Team.ID?, managerID: User.ID?, from: Date, to: Date?) {
        self.role = role; self.teamID = teamID; self.managerID = managerID; self.from = from; self.to = to
    }
}
