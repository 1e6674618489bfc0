import Foundation
import KvotaCore
import SQLKit

/// An extension the PBX used that no user has: its calls wait in the call log with no user.
public struct UnmappedExtension: Hashable, Sendable {
    public var `extension`: String
    public var calls: Int
    public var lastCallAt: Date
}

/// Extensions calls came on that nobody has (issue 9, "listed in admin for mapping"), and mapping one to a user:
/// the user gets the extension and its waiting calls become theirs, as call activities. Admins only (`.settings`).
extension Database {
    public func unmappedExtensions(for actor: Actor) async throws -> [UnmappedExtension] {
        _ = try AccessPolicy.require(actor, .read, .settings)
        return try await read { sql in
            try await sql.raw("""
                SELECT extension, COUNT(*) AS calls, MAX(started_at) AS last FROM pbx_calls
                WHERE user_id IS NULL AND extension IS NOT NULL GROUP BY extension ORDER BY COUNT(*) DESC, extension
                """).all().map {
                UnmappedExtension(extension: try $0.decode(column: "extension", as: String.self), calls: try $0.decode(column: "calls", as: Int.self),
                                  lastCallAt: Date(epochMilliseconds: try $0.decode(column: "last", as: Int64.self)))
            }
        }
    }

    /// Gives `user` the extension and makes its waiting calls theirs; answers how many calls became theirs.
    public func mapExtension(_ ext: String, to user: User.ID, by actor: Actor, at now: Date, address: String? = nil) async throws -> Int {
        _ = try AccessPolicy.require(actor, .update, .settings)
        let country = try await defaultCountry()
        let zone = try await companyTimeZone()
        return try await write { sql in
            guard let row = try await sql.raw("SELECT phone_extension, active FROM users WHERE id = \(bind: user.rawValue)").first(),
                  try row.decode(column: "active", as: Bool.self) else {
                throw ValidationFailure([.invalid(field: "userId", reason: "no active user \(user)")])
            }
            let had = try row.decode(column: "phone_extension", as: String?.self)
            if let holder = try await sql.raw("""
                SELECT id FROM users WHERE phone_extension = \(bind: ext) AND id <> \(bind: user.rawValue)
                """).first()?.decode(column: "id", as: Int64.self) {
                throw ValidationFailure([.invalid(field: "extension", reason: "extension \(ext) belongs to user \(holder)")])
            }
            if had != ext {
                try await sql.raw("UPDATE users SET phone_extension = \(bind: ext), version = version + 1 WHERE id = \(bind: user.rawValue)").run()
                try await AuditLog.append(.init(at: now, actorID: actor.userID, action: "update", entity: "user", entityID: user.rawValue,
                                                changes: [.init("phoneExtension", old: had, new: ext)], address: address), in: sql)
            }
            let waiting = try await sql.raw("""
                SELECT id, direction, external_number, started_at, disposition, answered_by, talk_seconds, lead_id FROM pbx_calls
                WHERE user_id IS NULL AND extension = \(bind: ext) ORDER BY started_at
                """).all()
            for call in waiting {
                let direction = CallDirection(rawValue: try call.decode(column: "direction", as: String.self)) ?? .inbound
                let number = try call.decode(column: "external_number", as: String.self)
                let answered = try call.decode(column: "answered_by", as: String?.self) != nil
                let disposition = PBXCall.Disposition(rawValue: try call.decode(column: "disposition", as: String.self)) ?? .noAnswer
                var patch = Self.callActivity(direction, number: number,
                                              at: Date(epochMilliseconds: try call.decode(column: "started_at", as: Int64.self)),
                                              disposition: PBXCall.activityDisposition(direction: direction, disposition: disposition,
                                                                                       answeredByPerson: answered),
                                              talkSeconds: try call.decode(column: "talk_seconds", as: Int.self))
                patch.ownerID = user
                let match = try await Self.callParty(number, in: sql)
                patch.accountID = .some(match.account)
                patch.contactID = .some(match.contact)
                patch.leadID = .some(try call.decode(column: "lead_id", as: Int64?.self).map { Lead.ID($0) } ?? match.lead)
                // A call to a number Kvota knows nothing of has nothing to stand on: it stays in the log, now the user's.
                guard match.contact != nil || match.account != nil || patch.leadID! != nil else {
                    try await sql.raw("UPDATE pbx_calls SET user_id = \(bind: user.rawValue) WHERE id = \(bind: try call.decode(column: "id", as: Int64.self))").run()
                    continue
                }
                let activity = try await Self.insertActivity(patch, problems: .init(), country: country, zone: zone, by: Self.evaluator, at: now, address: "pbx",
                                                        in: sql)
                try await sql.raw("""
                    UPDATE pbx_calls SET user_id = \(bind: user.rawValue), activity_id = \(bind: activity.id.rawValue)
                    WHERE id = \(bind: try call.decode(column: "id", as: Int64.self))
                    """).run()
            }
            return waiting.count
        }
    }
}
