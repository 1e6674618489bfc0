import Crypto
import Foundation
import KvotaStore

/// Seals the secrets Kvota must read back (webhook signing secrets) with the server's key, AES-256-GCM, so a copy of
/// the database alone gives none of them away (docs/webhooks.md, "The server key"). Secrets Kvota only compares
/// (tokens, sessions) are hashed instead (`Secrets`).
public struct SecretBox: Sendable {
    let key: SymmetricKey

    public init(key: Data) throws(StoreError) {
        guard key.count == 32 else {
            throw .badSetting(setting: "KVOTA_SECRET_KEY", reason: "expected 32 bytes in base64 (openssl rand -base64 32), got \(key.count) bytes")
        }
        self.key = SymmetricKey(data: key)
    }

    /// A key for this process only: what a test app or a server without a configured key gets.
    public static func ephemeral() -> SecretBox {
        try! SecretBox(key: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }

    /// `v1:` and the nonce, ciphertext and tag in base64.
    public func seal(_ secret: String) throws -> String {
        "v1:" + (try AES.GCM.seal(Data(secret.utf8), using: key).combined!).base64EncodedString()
    }

    /// Nil when the text was not sealed with this key (another server's, or a replaced one).
    public func open(_ sealed: String) -> String? {
        guard sealed.hasPrefix("v1:"), let data = Data(base64Encoded: String(sealed.dropFirst(3))),
              let box = try? AES.GCM.SealedBox(combined: data), let plain = try? AES.GCM.open(box, using: key) else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }

    /// The key in `KVOTA_SECRET_KEY` form (base64), read from `path`, or made there (readable by its owner only)
    /// when the file does not exist yet.
    public static func keyFile(_ path: String) throws(StoreError) -> SecretBox {
        let manager = FileManager.default
        if let text = manager.contents(atPath: path) {
            let trimmed = String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let key = Data(base64Encoded: trimmed) else {
                throw .badSetting(setting: "KVOTA_SECRET_KEY_FILE", reason: "\(path) does not hold a base64 key")
            }
            return try SecretBox(key: key)
        }
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty { try manager.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        } catch {
            throw .badSetting(setting: "KVOTA_SECRET_KEY_FILE", reason: "cannot make \(directory): \(error)")
        }
        guard manager.createFile(atPath: path, contents: Data((key.base64EncodedString() + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { throw .badSetting(setting: "KVOTA_SECRET_KEY_FILE", reason: "cannot write \(path)") }
        return try SecretBox(key: key)
    }
}

/// How a delivery is signed (docs/webhooks.md, "Checking a delivery"): HMAC-SHA256 with the subscription's secret over
/// the timestamp, a dot and the body, in hex, as `v1=…`. The timestamp is signed with the body so a captured delivery
/// cannot be replayed later with a fresh one.
enum WebhookSignature {
    static func sign(body: String, timestamp: Int64, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }
}
