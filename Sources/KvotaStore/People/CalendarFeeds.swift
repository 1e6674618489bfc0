import Foundation
import KvotaCore
import SQLKit

/// Each user's calendar feed: its secret address (only the hash kept, like tokens) and what it shows.
extension Database {
    /// When the user's current feed address was made; nil when they have none.
    public func calendarFeed(of user: User.ID) async throws -> Date? {
        try await read { sql in
            try await sql.raw("SELECT created_at FROM calendar_feeds WHERE user_id = \(bind: user.rawValue)").first()
                .map { Date(epochMilliseconds: try $0.decode(column: "created_at", as: Int64.self)) }
        }
    }

    /// Gives the user's feed a new secret address (`hash` of it), which replaces the one before: a link that leaked
    /// stops working at once.
    public func rotateCalendarFeed(of user: User.ID, hash: String, at now: Date, address: String?) async throws {
        try await write { sql in
            let had = try await sql.raw("SELECT 1 AS one FROM calendar_feeds WHERE user_id = \(bind: user.rawValue)").first() != nil
            try await sql.raw("DELETE FROM calendar_feeds WHERE user_id = \(bind: user.rawValue)").run()
            try await sql.raw("""
                INSERT INTO calendar_feeds (user_id, secret_hash, created_at)
                VALUES (\(bind: user.rawValue), \(bind: hash), \(bind: now.epochMilliseconds))
                """).run()
            try await AuditLog.append(.init(at: now, actorID: user, action: had ? "calendar_feed_rotated" : "calendar_feed_created",
                                            entity: "user", entityID: user.rawValue, address: address), in: sql)
        }
    }

    /// Turns the user's feed off; its address stops working. Nothing to do when there is none.
    public func removeCalendarFeed(of user: User.ID, at now: Date, address: String?) async throws {
        try await write { sql in
            guard try await sql.raw("SELECT 1 AS one FROM calendar_feeds WHERE user_id = \(bind: user.rawValue)").first() != nil else { return }
            try await sql.raw("DELETE FROM calendar_feeds WHERE user_id = \(bind: user.rawValue)").run()
            try await AuditLog.append(.init(at: now, actorID: user, action: "calendar_feed_removed", entity: "user",
                                            entityID: user.rawValue, address: address), in: sql)
        }
    }

    /// The active user whose feed address has this secret's hash; nil for an unknown, replaced or removed address, or
    /// a user who was deactivated.
    public func calendarFeedUser(hash: String) async throws -> User? {
        let id = try await read { sql in
            try await sql.raw("SELECT user_id FROM calendar_feeds WHERE secret_hash = \(bind: hash)").first()
                .map { User.ID(try $0.decode(column: "user_id", as: Int64.self)) }
        }
        guard let id, let user = try await read({ sql in try await Self.user(id: id, in: sql) }), user.active else { return nil }
        return user
    }

    /// What a user's feed shows between `from` and `through`: their open tasks and meetings by due time, and the
    /// meetings they held (by due time, else when they happened). Done tasks leave the feed. At most `limit` of each.
    public func calendarItems(of user: User.ID, from: Date, through: Date, limit: Int = 2_000) async throws -> [CalendarItem] {
        let (low, high) = (from.epochMilliseconds, through.epochMilliseconds)
        return try await read { sql in
            // Written out as the partial index `activities_open_due` was made, so both planners use it.
            let open = try await sql.raw("""
                SELECT \(unsafeRaw: Self.calendarColumns) FROM activities AS r \(unsafeRaw: Self.calendarJoins)
                WHERE r.owner_id = \(bind: user.rawValue) AND r.done_at IS NULL AND r.kind IN ('task', 'meeting')
                  AND r.due_at BETWEEN \(bind: low) AND \(bind: high)
                ORDER BY r.due_at, r.id LIMIT \(bind: limit)
                """).all()
            let held = try await sql.raw("""
                SELECT \(unsafeRaw: Self.calendarColumns) FROM activities AS r \(unsafeRaw: Self.calendarJoins)
                WHERE r.owner_id = \(bind: user.rawValue) AND r.kind = 'meeting' AND (r.done_at IS NOT NULL OR r.due_at IS NULL)
                  AND r.occurred_at BETWEEN \(bind: low - Self.plannedAhead) AND \(bind: high)
                ORDER BY r.occurred_at, r.id LIMIT \(bind: limit)
                """).all()
            return try (open + held).map { row in
                CalendarItem(activity: try Self.activity(from: row), accountName: try row.decode(column: "account_name", as: String?.self),
                             dealTitle: try row.decode(column: "deal_title", as: String?.self))
            }.filter { $0.start >= from && $0.start <= through }
             .sorted { ($0.start, $0.activity.id.rawValue) < ($1.start, $1.activity.id.rawValue) }
        }
    }

    /// A meeting is written when it is planned, which may be weeks before it is held; its row is found by when it was
    /// written (the owner's index), so the search starts this much earlier, then keeps the meetings held in the window.
    private static let plannedAhead: Int64 = 90 * 86_400_000

    private static let calendarColumns = activityColumns + ", a.name AS account_name, d.title AS deal_title"
    private static let calendarJoins = "LEFT JOIN accounts a ON a.id = r.account_id LEFT JOIN deals d ON d.id = r.deal_id"
}
