import HummingbirdBcrypt
import KvotaCore

/// Password rules and hashing (bcrypt, from hummingbird-auth). The CLI and sign-in share them.
public enum Passwords {
    public static let minimumLength = 10
    /// bcrypt's work factor: about a quarter of a second per hash on this machine's class of CPU.
    static let cost: UInt8 = 12

    public static func check(_ password: String) throws(ValidationFailure) {
        var errors = ValidationFailure.Collector()
        check(password, field: "password", into: &errors)
        try errors.finish()
    }

    /// Adds what is wrong with a new password to `errors`, under the field the form or request calls it.
    public static func check(_ password: String, field: String, into errors: inout ValidationFailure.Collector) {
        errors.check(password.count >= minimumLength, field, "must be at least \(minimumLength) characters")
        errors.check(password.utf8.count <= 72, field, "must be at most 72 bytes (bcrypt ignores the rest)")
    }

    public static func hash(_ password: String) throws(ValidationFailure) -> String {
        try check(password)
        return Bcrypt.hash(password, cost: cost)
    }

    public static func verify(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }

    /// A password to hand out once: 16 characters from an alphabet without look-alikes (0/O, 1/l/I).
    public static func generate() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}
