import Foundation

/// Click to call (issue 9): the AMI `Originate` action that rings the rep's own phone and, when they pick it up, sends
/// the call into the dialplan to the customer's number. How a phone is reached (`PJSIP/101`, `SIP/101`,
/// `Local/101@from-internal`) and which context dials out differ per PBX, so both are settings.
public struct OriginateSettings: Hashable, Sendable {
    /// The rep's phone, with `{extension}` for their extension.
    public var channel: String
    /// The dialplan context the customer's number is dialled in (the one the reps' phones dial out from).
    public var context: String

    public init(channel: String = "PJSIP/{extension}", context: String = "from-internal") {
        self.channel = channel; self.context = context
    }

    /// The action for a rep on `extension` calling `number` (E.164). The caller id the rep's phone shows names the
    /// customer, while its number stays the extension: the call is then read back from the PBX as the rep's call out.
    public func action(extension ext: String, number: String, user: User.ID, actionID: String) -> AMIMessage {
        AMIMessage([
            ("Action", "Originate"), ("ActionID", actionID), ("Channel", channel.replacingOccurrences(of: "{extension}", with: ext)),
            ("Context", context), ("Exten", number), ("Priority", "1"), ("CallerID", "\"Kvota: \(number)\" <\(ext)>"),
            ("Timeout", "30000"), ("Async", "true"), ("Variable", "KVOTA_USER=\(user.rawValue)"),
        ])
    }
}
