import Crypto
import Foundation

/// Random secrets (session ids, bearer tokens, CSRF tokens) and the hashes the database keeps of them. SHA-256
/// without a salt is right here: the secrets are 256 random bits, so there is nothing to guess or precompute.
enum Secrets {
    /// 32 random bytes as URL-safe base64, with a prefix that says what the secret is (`kvt_` tokens, `kvs_`
    /// sessions), so a leaked one is recognisable in logs and by secret scanners.
    static func generate(prefix: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares without stopping at the first difference, so timing tells nothing about a CSRF token.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
