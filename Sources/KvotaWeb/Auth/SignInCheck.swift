import Foundation
import KvotaCore
import KvotaStore
import Logging
import NIOPosix

/// Why a sign-in was refused. Wrong email and wrong password read the same, so nobody learns who has an account.
enum SignInRefusal: Error, CustomStringConvertible {
    case wrongCredentials
    case throttled(retryAfter: Int)

    var description: String {
        switch self {
        case .wrongCredentials: "the email or the password is wrong"
        case .throttled(let seconds): "too many failed sign-ins; try again in \(Self.minutes(seconds))"
        }
    }

    private static func minutes(_ seconds: Int) -> String {
        seconds < 60 ? "\(seconds) seconds" : "\((seconds + 59) / 60) minutes"
    }
}

/// Checks an email and a password, shared by the sign-in form and `POST /api/v1/auth/token`: throttled per account
/// and per address before any password is looked at, every failure logged and audited.
struct SignInCheck {
    let database: Database
    let settings: SignInSettings
    let logger: Logger

    /// Compared against when the email is unknown, so an unknown address takes as long as a wrong password.
    static let decoyHash = try! Passwords.hash("decoy-password-never-matches")

    func verify(email: String, password: String, address: String, now: Date) async throws -> User {
        let key = UserDraft.emailKey(email)
        let failures = try await database.signInFailures(emailKey: key, address: address,
                                                         since: now.addingTimeInterval(-settings.throttle.window))
        if let wait = settings.throttle.retryAfter(accountFailures: failures.account, addressFailures: failures.address, now: now) {
            logger.warning("sign-in throttled", metadata: ["email": .string(key), "address": .string(address)])
            throw SignInRefusal.throttled(retryAfter: wait)
        }
        let user = try await database.user(email: email)
        let stored = try await user.asyncFlatMap { try await database.passwordHash(of: $0.id) }
        let matches = try await Self.bcryptVerify(password, hash: stored ?? Self.decoyHash)
        guard matches, stored != nil, let user else {
            let reason = user == nil ? "unknown email" : stored == nil ? "disabled or no password" : "wrong password"
            logger.warning("sign-in failed", metadata: ["email": .string(key), "address": .string(address), "reason": .string(reason)])
            try await database.recordSignInFailure(email: email, userID: user?.id, address: address, at: now, reason: reason)
            throw SignInRefusal.wrongCredentials
        }
        if !failures.account.isEmpty { try await database.clearSignInFailures(emailKey: key) }
        return user
    }

    /// bcrypt takes a quarter of a second on purpose; it runs on NIO's blocking pool, not on the threads that serve
    /// every other request.
    static func bcryptVerify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Passwords.verify(password, hash: hash) }
    }
}

extension Optional {
    func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
