import Foundation

/// What a bearer token may do. Browser sessions always act with the user's full role.
public enum TokenScope: String, CaseIterable, Sendable, Codable {
    /// GET and HEAD only.
    case read
    /// Everything the user's role allows.
    case readWrite = "read_write"
    /// Only the endpoints integrations post to (calls, inbound requests) and `GET /api/v1/me`.
    case integration
}

public enum TokenKind: String, CaseIterable, Sendable, Codable {
    /// Issued by `POST /api/v1/auth/token` to a user signing in; expires within a day.
    case access
    /// Created by an admin for a PBX, a web form or a script; lives until revoked or its expiry date.
    case integration
}

/// A bearer token as Kvota keeps it: the secret itself is shown once and stored only as a hash.
public struct APIToken: Hashable, Sendable {
    public typealias ID = Identifier<APIToken>
    public var id: ID
    /// Whose rights the token carries.
    public var userID: User.ID
    public var name: String
    public var kind: TokenKind
    public var scope: TokenScope
    public var createdBy: User.ID?
    public var createdAt: Date
    public var expiresAt: Date?
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(id: ID, userID: User.ID, name: String, kind: TokenKind, scope: TokenScope, createdBy: User.ID?,
                createdAt: Date, expiresAt: Date?, lastUsedAt: Date? = nil, revokedAt: Date? = nil) {
        self.id = id; self.userID = userID; self.name = name; self.kind = kind; self.scope = scope
        self.createdBy = createdBy; self.createdAt = createdAt; self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt; self.revokedAt = revokedAt
    }

    public func isUsable(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { now < $0 } ?? true)
    }
}
