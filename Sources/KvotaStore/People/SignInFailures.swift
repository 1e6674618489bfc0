import Foundation
import KvotaCore
import SQLKit

/// Failed sign-ins, kept for throttling (core's `SignInThrottle` decides) and written to the audit trail.
extension Database {
    /// The failure times since `since` for this account and for this address.
    public func signInFailures(emailKey: String, address: String, since: Date) async throws -> (account: [Date], address: [Date]) {
        try await read { sql in
            func times(_ query: SQLQueryString) async throws -> [Date] {
                try await sql.raw(query).all().map { Date(epochMilliseconds: try $0.decode(column: "at", as: Int64.self)) }
            }
            let cutoff = since.epochMilliseconds
            return (try await times("SELECT at FROM sign_in_failures WHERE email_key = \(bind: emailKey) AND at > \(bind: cutoff)"),
                    try await times("SELECT at FROM sign_in_failures WHERE address = \(bind: address) AND at > \(bind: cutoff)"))
        }
    }

    /// Records a failed sign-in (an unknown email too: guessing accounts is what throttling is for).
    public func recordSignInFailure(email: String, userID: User.ID?, address: String, at now: Date,
                                    reason: String) async throws {
        try await write { sql in
            try await sql.raw("""
                INSERT INTO sign_in_failures (email_key, address, at)
                VALUES (\(bind: UserDraft.emailKey(email)), \(bind: address), \(bind: now.epochMilliseconds))
                """).run()
            try await AuditLog.append(.init(at: now, actorID: nil, action: "sign_in_failed", entity: "user",
                                            entityID: userID?.rawValue, detail: "\(String(email.prefix(254))): \(reason)",
                                            address: address), in: sql)
        }
    }

    /// A successful sign-in forgives the account's earlier failures; the address's stay until they age out.
    public func clearSignInFailures(emailKey: String) async throws {
        try await write { sql in
            try await sql.raw("DELETE FROM sign_in_failures WHERE email_key = \(bind: emailKey)").run()
        }
    }
}
