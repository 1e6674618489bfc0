import Foundation

/// One line of the append-only audit trail: who did what to which record, when, and which fields changed.
public struct AuditEntry: Hashable, Sendable {
    public typealias ID = Identifier<AuditEntry>

    /// A field's value before and after a change, as text (nil: absent).
    public struct FieldChange: Hashable, Sendable, Codable {
        public let field: String
        public let old: String?
        public let new: String?

        public init(_ field: String, old: String?, new: String?) {
            self.field = field; self.old = old; self.new = new
        }
    }

    public var id: ID
    public var at: Date
    /// Nil for Kvota itself (the CLI, a migration, the demo).
    public var actorID: User.ID?
    public var action: String
    public var entity: String
    public var entityID: Int64?
    public var changes: [FieldChange]
    public var detail: String?
    public var address: String?

    public init(id: ID, at: Date, actorID: User.ID?, action: String, entity: String, entityID: Int64?,
                changes: [FieldChange], detail: String?, address: String?) {
        self.id = id; self.at = at; self.actorID = actorID; self.action = action; self.entity = entity
        self.entityID = entityID; self.changes = changes; self.detail = detail; self.address = address
    }
}
