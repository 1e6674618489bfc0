import Foundation
import KvotaCore
import KvotaStore

/// Where Kvota reaches the PBX's Asterisk Manager Interface: `KVOTA_AMI_URL=ami://user:secret@127.0.0.1:5038`, with
/// click to call's `?channel=PJSIP/{extension}&context=from-internal` when the PBX needs others than these, and the CDR
/// file to reconcile from after a reconnect (`&cdr=/var/log/asterisk/cdr-csv/Master.csv&cdr_zone=UTC`).
public struct AMIEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var secret: String
    public var originate: OriginateSettings
    /// The PBX's CSV CDR file (`?cdr=/var/log/asterisk/cdr-csv/Master.csv`), read after each sign-in for the calls
    /// that ended while Kvota was not connected; nil: none (a CDR import brings them in).
    public var cdrFile: String?
    /// The zone the CDR file's times are in (`?cdr_zone=UTC` with `usegmtime=yes`); nil: the company's.
    public var cdrZone: TimeZone?

    public init(host: String, port: Int = 5038, user: String, secret: String, originate: OriginateSettings = OriginateSettings(),
                cdrFile: String? = nil, cdrZone: TimeZone? = nil) {
        self.host = host; self.port = port; self.user = user; self.secret = secret; self.originate = originate
        self.cdrFile = cdrFile; self.cdrZone = cdrZone
    }

    /// Reads `ami://user:secret@host[:port][?channel=…&context=…&cdr=…&cdr_zone=…]`; every bad part is named, the secret never repeated.
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
        var originate = OriginateSettings()
        var cdrFile: String?, cdrZone: TimeZone?
        for item in url.queryItems ?? [] {
            let value = item.value ?? ""
            // A value goes into an AMI action line by line: a line break would start another field.
            guard !value.isEmpty, !value.contains(where: \.isNewline) else {
                throw .badSetting(setting: setting, reason: "'\(item.name)' needs a value on one line")
            }
            switch item.name {
            case "channel":
                guard value.contains("{extension}") else {
                    throw .badSetting(setting: setting, reason: "channel must name the rep's phone with {extension}, as PJSIP/{extension}")
                }
                originate.channel = value
            case "context": originate.context = value
            case "cdr":
                guard value.hasPrefix("/") else { throw .badSetting(setting: setting, reason: "cdr must be the CDR file's full path, as /var/log/asterisk/cdr-csv/Master.csv") }
                cdrFile = value
            case "cdr_zone":
                guard let zone = TimeZone(identifier: value) else { throw .badSetting(setting: setting, reason: "cdr_zone: no time zone '\(value)'") }
                cdrZone = zone
            default: throw .badSetting(setting: setting, reason: "unknown option '\(item.name)'; expected channel, context, cdr or cdr_zone")
            }
        }
        self.init(host: host, port: port, user: user, secret: secret, originate: originate, cdrFile: cdrFile, cdrZone: cdrZone)
    }
}
