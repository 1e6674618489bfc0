import Foundation
import KvotaCore

/// The organisation as the API shows it. Ids are numbers; role, kind, scope and language keys are the same strings
/// the CLI takes.
struct UserDTO: Codable, Equatable {
    let id: Int64
    let name: String
    let email: String
    let role: String
    let teamId: Int64?
    let managerId: Int64?
    let language: String
    let extension_: String?
    let active: Bool
    let createdAt: Date
    let version: Int64

    enum CodingKeys: String, CodingKey {
        case id, name, email, role, teamId, managerId, language, extension_ = "extension", active, createdAt, version
    }

    init(_ user: User) {
        id = user.id.rawValue; name = user.name; email = user.email; role = user.role.rawValue
        teamId = user.teamID?.rawValue; managerId = user.managerID?.rawValue; language = user.language.rawValue
        extension_ = user.phoneExtension; active = user.active; createdAt = user.createdAt; version = user.version
    }
}

struct TeamDTO: Codable, Equatable {
    let id: Int64
    let name: String
    let kind: String
    let headId: Int64?
    let version: Int64

    init(_ team: Team) {
        id = team.id.rawValue; name = team.name; kind = team.kind.rawValue; headId = team.headID?.rawValue
        version = team.version
    }
}

/// `GET /api/v1/me`: the caller, their team, and how they are signed in.
struct MeDTO: Encodable {
    let user: UserDTO
    let team: TeamDTO?
    /// "session", or the scope of the bearer token.
    let access: String
}

struct TokenDTO: Encodable {
    let id: Int64
    let userId: Int64
    let name: String
    let kind: String
    let scope: String
    let createdBy: Int64?
    let createdAt: Date
    let expiresAt: Date?
    let lastUsedAt: Date?
    let revokedAt: Date?
    /// Only in the answer that creates the token: it is never shown again.
    var token: String?

    init(_ token: APIToken, secret: String? = nil) {
        id = token.id.rawValue; userId = token.userID.rawValue; name = token.name; kind = token.kind.rawValue
        scope = token.scope.rawValue; createdBy = token.createdBy?.rawValue; createdAt = token.createdAt
        expiresAt = token.expiresAt; lastUsedAt = token.lastUsedAt; revokedAt = token.revokedAt; self.token = secret
    }
}

struct AuditEntryDTO: Encodable {
    let id: Int64
    let at: Date
    let actorId: Int64?
    let action: String
    /// `kind:id`, the same form `?record=` takes.
    let record: String
    let changes: [AuditEntry.FieldChange]
    let detail: String?
    let address: String?

    init(_ entry: AuditEntry) {
        id = entry.id.rawValue; at = entry.at; actorId = entry.actorID?.rawValue; action = entry.action
        record = entry.entityID.map { "\(entry.entity):\($0)" } ?? entry.entity
        changes = entry.changes; detail = entry.detail; address = entry.address
    }
}

/// A list answer: `items`, and `nextCursor` when there are more.
struct Page<Item: Encodable>: Encodable {
    let items: [Item]
    var nextCursor: String? = nil
}
