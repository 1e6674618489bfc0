import KvotaCore
import SQLKit

/// Where the access policy meets SQL: every query for business records takes its WHERE condition from here, so the
/// decision made by `AccessPolicy` (KvotaCore) is applied the same way in lists, record pages, search, exports and
/// analytics, and no query filters by role on its own.
enum RecordAccess {
    /// The table of each business record kind, and how its owner is found: directly, or (contacts) through the
    /// account they belong to.
    static func table(_ kind: RecordKind) -> String? {
        switch kind {
        case .account: "accounts"
        case .contact: "contacts"
        case .lead: "leads"
        case .deal: "deals"
        case .activity: "activities"
        case .order: "orders"
        case .savedView: "saved_views"
        default: nil
        }
    }

    /// The owner column of `kind`'s rows as seen from the row alias `row`.
    static func ownerExpression(_ kind: RecordKind, row: String) -> SQLQueryString {
        switch kind {
        case .contact: "(SELECT owner_id FROM accounts WHERE accounts.id = \(ident: row).account_id)"
        default: "\(ident: row).owner_id"
        }
    }

    /// A condition that holds for exactly the rows of `kind` (aliased `row`) the actor may act on this way.
    static func condition(_ actor: Actor, _ action: AccessAction, _ kind: RecordKind, row: String) -> SQLQueryString {
        switch AccessPolicy.scope(actor, action, kind) {
        case .all: return "1 = 1"
        case .nothing: return "1 = 0"
        case .concerning:
            // Only plans are about a subject instead of owned, and `planCondition` reads them.
            preconditionFailure("\(kind) is not an owned record")
        case .ownedBy(let owners):
            // Owner sets are small (one rep, or a head's team), so a bound IN list is right; sorted for stable SQL.
            let list = SQLGroupExpression(SQLList(owners.map(\.rawValue).sorted().map { SQLBind($0) }))
            let condition: SQLQueryString = switch kind {
            // Through the owners' accounts rather than each contact's account owner: the first lets the engine start
            // from the accounts_owner index (2.5 ms for a rep's first page at scale M), the second made it walk
            // every contact by name (78 ms).
            case .contact: "\(ident: row).account_id IN (SELECT id FROM accounts WHERE owner_id IN \(list))"
            // An alert is its recipient's (a row of alert_recipients); training and onboarding are the trainee's; a
            // forecast adjustment is the rep's it adjusts.
            case .alert, .training, .onboarding, .forecastAdjustment: "\(ident: row).user_id IN \(list)"
            default: "\(ident: row).owner_id IN \(list)"
            }
            return condition
        }
    }
}

extension RecordAccess {
    /// A condition that holds for exactly the plans (aliased `row`) the actor may act on this way.
    static func planCondition(_ actor: Actor, _ action: AccessAction, row: String) -> SQLQueryString {
        switch AccessPolicy.scope(actor, action, .plan) {
        case .all: return "1 = 1"
        case .nothing: return "1 = 0"
        case .ownedBy(let users): return planCondition(teams: [], users: users, row: row)
        case .concerning(let teams, let users): return planCondition(teams: teams, users: users, row: row)
        }
    }

    private static func planCondition(teams: Set<Team.ID>, users: Set<User.ID>, row: String) -> SQLQueryString {
        func list(_ ids: [Int64]) -> SQLQueryString { SQLQueryString.list(ids.sorted()[...]) }
        var parts: [SQLQueryString] = []
        if !teams.isEmpty { parts.append("(\(ident: row).subject_kind = 'team' AND \(ident: row).team_id IN \(list(teams.map(\.rawValue))))") }
        if !users.isEmpty { parts.append("(\(ident: row).subject_kind = 'user' AND \(ident: row).user_id IN \(list(users.map(\.rawValue))))") }
        return parts.isEmpty ? "1 = 0" : "(" + parts.joined(separator: " OR ") + ")"
    }
}

extension Database {
    /// Checks an action on one business record: `notFound` when it does not exist or the actor may not read it,
    /// `forbidden` when they may read it but not do this. Every single-record read and change starts here, but for a
    /// read that loads the row anyway (a deal's), which asks `AccessPolicy.require` the same of the owner it read.
    public func requireAccess(_ actor: Actor, _ action: AccessAction, _ kind: RecordKind, id: Int64) async throws {
        guard let table = RecordAccess.table(kind) else { preconditionFailure("\(kind) is not a business record") }
        let owner = try await read { sql in
            try await sql.raw("""
                SELECT \(RecordAccess.ownerExpression(kind, row: "r")) AS owner FROM \(ident: table) AS r WHERE r.id = \(bind: id)
                """).first().map { try $0.decode(column: "owner", as: Int64?.self) }
        }
        guard let owner else { throw AccessDenied.notFound(kind, id: id) }
        try AccessPolicy.require(actor, action, kind, id: id, owner: owner.map { User.ID($0) })
    }

    /// Whether the actor may read the record: for the records a page links an activity to beside its own (a deal's
    /// or a lead's account and contact may be a colleague's, which the rep may not see). Nil reads as no.
    public func canRead(_ actor: Actor, _ kind: RecordKind, id: Int64?) async throws -> Bool {
        guard let id else { return false }
        do { try await requireAccess(actor, .read, kind, id: id) } catch is AccessDenied { return false }
        return true
    }

    /// The ids of the records of `kind` the actor may act on this way, for tests and small lookups; lists page
    /// through `RecordAccess.condition` instead.
    func accessibleIDs(_ actor: Actor, _ action: AccessAction, _ kind: RecordKind) async throws -> [Int64] {
        guard let table = RecordAccess.table(kind) else { return [] }
        return try await read { sql in
            try await Self.ids(sql, """
                SELECT r.id AS id FROM \(ident: table) AS r WHERE \(RecordAccess.condition(actor, action, kind, row: "r")) ORDER BY r.id
                """)
        }
    }
}
