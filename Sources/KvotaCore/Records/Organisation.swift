import Foundation

/// What a user may do; visibility by role is described in DESIGN.md "Who uses it".
public enum Role: String, CaseIterable, Sendable, Codable {
    case rep, orderDesk = "order_desk", head, director, analyst, admin
}

public enum Language: String, CaseIterable, Sendable, Codable {
    case en, ru, uk, sv
}

public enum TeamKind: String, CaseIterable, Sendable, Codable {
    case acquisition, retention, orderDesk = "order_desk", other
}

public struct Team: Hashable, Sendable, Codable {
    public typealias ID = Identifier<Team>
    public var id: ID
    public var name: String
    public var kind: TeamKind
    public var headID: User.ID?
    /// Bumped by every change, for optimistic concurrency.
    public var version: Int64

    public init(id: ID, name: String, kind: TeamKind, headID: User.ID? = nil, version: Int64 = 1) {
        self.id = id; self.name = name; self.kind = kind; self.headID = headID; self.version = version
    }
}

public struct User: Hashable, Sendable, Codable {
    public typealias ID = Identifier<User>
    public var id: ID
    public var name: String
    public var email: String
    public var role: Role
    public var teamID: Team.ID?
    public var managerID: User.ID?
    public var language: Language
    /// The PBX extension, so calls can be attributed to the user.
    public var phoneExtension: String?
    public var active: Bool
    public var createdAt: Date
    /// Bumped by every change, for optimistic concurrency.
    public var version: Int64

    public init(id: ID, name: String, email: String, role: Role, teamID: Team.ID?, managerID: User.ID?,
                language: Language, phoneExtension: String?, active: Bool, createdAt: Date, version: Int64 = 1) {
        self.id = id; self.name = name; self.email = email; self.role = role; self.teamID = teamID
        self.managerID = managerID; self.language = language; self.phoneExtension = phoneExtension
        self.active = active; self.createdAt = createdAt; self.version = version
    }
}

/// A sales territory; regions form a tree (country → district → city), and reports roll up to parents.
public struct Region: Hashable, Sendable, Codable {
    public typealias ID = Identifier<Region>
    public var id: ID
    public var parentID: ID?
    public var code: String
    public var name: String

    public init(id: ID, parentID: ID?, code: String, name: String) {
        self.id = id; self.parentID = parentID; self.code = code; self.name = name
    }
}

/// The four standard sales channels; companies add their own as `custom`.
public enum ChannelKind: String, CaseIterable, Sendable, Codable {
    case direct, dealer, distributor, retail, custom
}

public struct Channel: Hashable, Sendable, Codable {
    public typealias ID = Identifier<Channel>
    public var id: ID
    public var code: String
    public var name: String
    public var kind: ChannelKind

    public init(id: ID, code: String, name: String, kind: ChannelKind) {
        self.id = id; self.code = code; self.name = name; self.kind = kind
    }
}
