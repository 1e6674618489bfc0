import Foundation
import KvotaStore

/// Where Kvota reaches the PBX's Asterisk Manager Interface: `KVOTA_AMI_URL=ami://user:secret@127.0.0.1:5038`.
public struct AMIEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var secret: String

    public init(host: String, port: Int = 5038, user: String, secret: String) {
        self.host = host; self.port = port; self.user = user; self.secret = secret
    }

    /// Reads `ami://user:secret@host[:port]`; every bad part is named, the secret never repeated.
    public init(_ text: String, setting: String = "KVOTA_AMI_URL") throws(StoreError) {
        guard let url = URLComponents(string: text), url.scheme == "ami" else {
            throw .badSetting(setting: setting, reason: "expected ami://user:secret@host:5038")
        }
        guard let host = url.host, !host.isEmpty else { throw .badSetting(setting: setting, reason: "names no host") }
        guard let user = url.user?.removingPercentEncoding, !user.isEmpty, let secret = url.password?.removingPercentEncoding, !secret.isEmpty else {
            throw .badSetting(setting: setting, reason: "needs the AMI user and secret, as ami://user:secret@\(host):5038")
        }
        let port = url.port ?? 5038
        guard (1...65_535).contains(port) else { throw .badSetting(setting: setting, reason: "expected a port from 1 to 65535") }
        self.init(host: host, port: port, user: user, secret: secret)
    }
}
