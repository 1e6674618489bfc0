import Foundation

/// One message of the Asterisk Manager Interface: `Key: Value` lines ended by an empty line. Keys repeat in some
/// messages (`Variable` in Originate), so the lines are kept in order; `subscript` answers the first.
public struct AMIMessage: Hashable, Sendable {
    public var fields: [(key: String, value: String)]

    public init(_ fields: [(key: String, value: String)]) { self.fields = fields }

    public subscript(_ key: String) -> String? {
        // AMI keys are case-insensitive in practice (`UniqueID` in Cdr, `Uniqueid` elsewhere).
        fields.first { $0.key.caseInsensitiveCompare(key) == .orderedSame }?.value
    }

    public var event: String? { self["Event"] }

    /// The PBX's own time of an event (`Timestamp: 1795354189.189271`, sent with `timestampevents=yes`).
    public var timestamp: Date? { self["Timestamp"].flatMap(Double.init).map { Date(timeIntervalSince1970: $0) } }

    /// The message as sent: `Key: Value` lines and the empty line.
    public var wire: String { fields.map { "\($0.key): \($0.value)\r\n" }.joined() + "\r\n" }

    public static func == (a: AMIMessage, b: AMIMessage) -> Bool {
        a.fields.map(\.key) == b.fields.map(\.key) && a.fields.map(\.value) == b.fields.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        for field in fields { hasher.combine(field.key); hasher.combine(field.value) }
    }
}

/// Splits the bytes read from an AMI socket into messages, however the reads cut them. The first line of a session
/// is the banner (`Asterisk Call Manager/9.0.0`), which has no colon-space and no empty line after it.
public struct AMIStreamParser: Sendable {
    private var buffer: [UInt8] = []
    private var lines: [(key: String, value: String)] = []
    public private(set) var banner: String?

    public init() {}

    /// Takes the next bytes; answers the messages they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [AMIMessage] {
        buffer.append(contentsOf: bytes)
        var messages: [AMIMessage] = []
        var start = 0
        while let newline = buffer[start...].firstIndex(of: 0x0A) {
            var end = newline
            if end > start, buffer[end - 1] == 0x0D { end -= 1 }
            let line = String(decoding: buffer[start..<end], as: UTF8.self)
            start = newline + 1
            if line.isEmpty {
                if !lines.isEmpty { messages.append(AMIMessage(lines)); lines = [] }
            } else if let colon = line.range(of: ": ") ?? (line.hasSuffix(":") ? line.range(of: ":", options: .backwards) : nil) {
                lines.append((String(line[..<colon.lowerBound]), String(line[colon.upperBound...])))
            } else if banner == nil && lines.isEmpty && messages.isEmpty {
                banner = line
            }
            // Any other line without a key (a command's raw output) is not something Kvota reads.
        }
        buffer.removeFirst(start)
        return messages
    }
}
