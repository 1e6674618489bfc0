import Foundation
import KvotaCore
import SQLKit

/// What a hand-over moved.
public struct HandOverSummary: Hashable, Sendable, Codable {
    public var accounts = 0
    public var deals = 0
    public var leads = 0
    public var tasks = 0
    public init() {}
}

extension Database {
    /// Gives everything a leaving rep owns and still works on (accounts, open deals, open leads, open tasks) to one
    /// colleague, or spreads it across several, in one transaction. An account's open deals and tasks go with the
    /// account, so a customer keeps one face; the rest is dealt round-robin. Each moved record gets an owner change
    /// in the audit trail, and the hand-over itself one line more.
    ///
    /// The actor must be allowed to change records of the leaver and of every receiver (a head within their team;
    /// directors and admins anywhere), which the one access policy decides.
    public func handOver(from leaver: User.ID, to receivers: [User.ID], by actor: Actor, at now: Date,
                         address: String? = nil) async throws -> HandOverSummary {
        let receivers = Array(Set(receivers).subtracting([leaver])).sorted { $0.rawValue < $1.rawValue }
        for kind in [RecordKind.account, .deal, .lead, .activity] {
            let scope = AccessPolicy.scope(actor, .update, kind)
            guard scope.allows(owner: leaver) else { throw AccessDenied.notFound(.user, id: leaver.rawValue) }
            guard receivers.allSatisfy({ scope.allows(owner: $0) }) else { throw AccessDenied.forbidden(.update, kind) }
        }
        return try await write { sql in
            var errors = ValidationFailure.Collector()
            errors.check(!receivers.isEmpty, "to", "name at least one other user to hand the work to")
            for receiver in receivers {
                let user = try await Self.user(id: receiver, in: sql)
                errors.check(user?.active == true && [.rep, .head].contains(user?.role), "to",
                             "user \(receiver) is not an active rep or head")
            }
            errors.check(try await Self.user(id: leaver, in: sql) != nil, "from", "no user \(leaver)")
            try errors.finish()

            var deal = RoundRobin(receivers)
            var summary = HandOverSummary()
            var changes: [(table: String, kind: String, id: Int64, to: User.ID)] = []

            var accountOwner: [Int64: User.ID] = [:]
            for id in try await Self.ids(sql, "SELECT id FROM accounts WHERE owner_id = \(bind: leaver.rawValue) ORDER BY id") {
                accountOwner[id] = deal.next()
                changes.append(("accounts", "account", id, accountOwner[id]!))
            }
            summary.accounts = accountOwner.count

            var dealOwner: [Int64: User.ID] = [:]
            for row in try await sql.raw("""
                SELECT id, account_id FROM deals WHERE owner_id = \(bind: leaver.rawValue) AND status = 'open' ORDER BY id
                """).all() {
                let id = try row.decode(column: "id", as: Int64.self)
                let account = try row.decode(column: "account_id", as: Int64.self)
                dealOwner[id] = accountOwner[account] ?? deal.next()
                changes.append(("deals", "deal", id, dealOwner[id]!))
            }
            summary.deals = dealOwner.count

            var leadOwner: [Int64: User.ID] = [:]
            for row in try await sql.raw("""
                SELECT id, account_id FROM leads WHERE owner_id = \(bind: leaver.rawValue)
                    AND status IN ('new', 'in_work', 'qualified') ORDER BY id
                """).all() {
                let id = try row.decode(column: "id", as: Int64.self)
                let account = try row.decode(column: "account_id", as: Int64?.self)
                leadOwner[id] = account.flatMap { accountOwner[$0] } ?? deal.next()
                changes.append(("leads", "lead", id, leadOwner[id]!))
            }
            summary.leads = leadOwner.count

            for row in try await sql.raw("""
                SELECT id, account_id, deal_id, lead_id FROM activities
                WHERE owner_id = \(bind: leaver.rawValue) AND kind = 'task' AND done_at IS NULL ORDER BY id
                """).all() {
                let id = try row.decode(column: "id", as: Int64.self)
                let followed = try row.decode(column: "deal_id", as: Int64?.self).flatMap { dealOwner[$0] }
                    ?? row.decode(column: "account_id", as: Int64?.self).flatMap { accountOwner[$0] }
                    ?? row.decode(column: "lead_id", as: Int64?.self).flatMap { leadOwner[$0] }
                changes.append(("activities", "activity", id, followed ?? deal.next()))
                summary.tasks += 1
            }

            try await Self.applyOwnerChanges(changes, from: leaver, in: sql, actor: actor.userID, at: now, address: address)
            // Each lead now has someone new to answer it: news for a receiver that routes leads (docs/webhooks.md).
            for id in leadOwner.keys.sorted() {
                var before = try await Self.lead(Lead.ID(id), in: sql)
                let after = before
                before.ownerID = leaver
                try await WebhookOutbox.leadChanged(from: before, to: after, by: actor.userID, at: now, in: sql)
            }
            let detail = String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
            try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "hand_over", entity: "user",
                                            entityID: leaver.rawValue,
                                            changes: [.init("to", old: nil, new: receivers.map(\.description).joined(separator: ","))],
                                            detail: detail, address: address), in: sql)
            return summary
        }
    }

    /// One UPDATE per table and receiver (ids in chunks), and the owner change of every record in the audit trail.
    private static func applyOwnerChanges(_ changes: [(table: String, kind: String, id: Int64, to: User.ID)], from leaver: User.ID,
                                          in sql: any SQLDatabase, actor: User.ID, at now: Date, address: String?) async throws {
        let groups = Dictionary(grouping: changes) { "\($0.table) \($0.to.rawValue)" }
        for key in groups.keys.sorted() {
            let group = groups[key]!
            let table = group[0].table
            // accounts and deals keep an updated_at for "recently changed" lists; the others have only a version.
            let touched: SQLQueryString = table == "accounts" || table == "deals"
                ? ", updated_at = \(bind: now.epochMilliseconds)" : ""
            for chunk in stride(from: 0, to: group.count, by: 500).map({ group[$0..<min($0 + 500, group.count)] }) {
                let ids = chunk.map { SQLBind($0.id) }
                try await sql.raw("""
                    UPDATE \(ident: table) SET owner_id = \(bind: group[0].to.rawValue), version = version + 1\(touched)
                    WHERE id IN \(SQLGroupExpression(SQLList(ids)))
                    """).run()
            }
        }
        for change in changes {
            try await AuditLog.append(.init(at: now, actorID: actor, action: "update", entity: change.kind, entityID: change.id,
                                            changes: [.init("owner", old: leaver.description, new: change.to.description)],
                                            detail: "hand-over", address: address), in: sql)
        }
    }

    static func ids(_ sql: any SQLDatabase, _ query: SQLQueryString) async throws -> [Int64] {
        try await sql.raw(query).all().map { try $0.decode(column: "id", as: Int64.self) }
    }
}

/// Deals receivers out in turn, so a spread hand-over is even.
private struct RoundRobin {
    let receivers: [User.ID]
    var position = 0

    init(_ receivers: [User.ID]) { self.receivers = receivers }

    mutating func next() -> User.ID {
        defer { position += 1 }
        return receivers[position % receivers.count]
    }
}
