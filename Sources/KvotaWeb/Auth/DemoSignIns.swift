import Foundation
import KvotaCore
import KvotaStore
import NIOPosix

/// After the demo company is generated: one person of every role gets a password, so whoever started the demo can
/// sign in as each and see what that role sees. The password is generated for each demo and shown only then.
public struct DemoSignIns: Sendable, CustomStringConvertible {
    public let password: String
    public let accounts: [User]

    /// Picks the first active user of each role (in role order) and gives them one fresh password.
    public static func prepare(_ database: Database, at now: Date) async throws -> DemoSignIns {
        let users = try await database.users().filter(\.active).sorted { $0.id.rawValue < $1.id.rawValue }
        let accounts = Role.allCases.compactMap { role in users.first { $0.role == role } }
        let password = Passwords.generate()
        let hash = try await NIOThreadPool.singleton.runIfActive { try Passwords.hash(password) }
        for user in accounts {
            try await database.setPasswordHash(email: user.email, hash, by: nil, at: now)
        }
        return DemoSignIns(password: password, accounts: accounts)
    }

    public var description: String {
        let width = accounts.map(\.role.rawValue.count).max() ?? 0
        let lines = accounts.map { user in
            "  \(user.role.rawValue.padding(toLength: width, withPad: " ", startingAt: 0))  \(user.email)  (\(user.name))"
        }
        return (["Sign in at /sign-in (or POST /api/v1/auth/token) with the password \(password) as any of:"] + lines)
            .joined(separator: "\n")
    }
}
