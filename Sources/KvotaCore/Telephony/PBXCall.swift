import Foundation

/// One customer call as the PBX saw it, however many channels, transfers or queue legs it took: what Kvota makes a
/// call record of. Built from the AMI event stream (`AMICallAssembler`) or from CDR rows (`AsteriskCDR`); both give
/// the same call for the same session.
public struct PBXCall: Hashable, Sendable {
    /// What the PBX said happened to the caller (the CDR's disposition).
    public enum Disposition: String, CaseIterable, Sendable, Codable {
        case answered
        case noAnswer = "no_answer"
        case busy
        case failed
        case congestion

        public init?(cdr text: String) {
            switch text.uppercased() {
            case "ANSWERED": self = .answered
            case "NO ANSWER", "NOANSWER", "CANCEL": self = .noAnswer
            case "BUSY": self = .busy
            case "FAILED", "CHANUNAVAIL": self = .failed
            case "CONGESTION": self = .congestion
            default: return nil
            }
        }
    }

    /// The PBX's id of the call: the linked id that ties its channels together (the first channel's unique id).
    public var id: String
    public var direction: CallDirection
    /// The customer's number as the PBX gave it (normalised to E.164 when stored).
    public var externalNumber: String
    /// The caller's name as the PBX gave it (inbound caller id), when there was one.
    public var callerName: String?
    /// The number the customer dialled (inbound: a DID or an internal number like 100) or the rep's extension
    /// (outbound).
    public var internalNumber: String
    /// The extension of the person who answered first; nil when nobody did (a system answer, a queue nobody took).
    public var answeredBy: String?
    /// The extensions that rang, in order (a missed call is its first's).
    public var rang: [String]
    public var startedAt: Date
    /// When the PBX answered the caller: a person, or the dialplan (`Answer()`, a queue).
    public var answeredAt: Date?
    public var endedAt: Date
    /// Seconds from answer to end (the CDR's billsec).
    public var talkSeconds: Int
    public var disposition: Disposition
    /// The dialplan's recording of the call, when it made one (MixMonitor's file name).
    public var recording: String?

    public init(id: String, direction: CallDirection, externalNumber: String, callerName: String? = nil, internalNumber: String, answeredBy: String?,
                rang: [String], startedAt: Date, answeredAt: Date?, endedAt: Date, talkSeconds: Int, disposition: Disposition, recording: String? = nil) {
        self.id = id; self.direction = direction; self.externalNumber = externalNumber; self.callerName = callerName; self.internalNumber = internalNumber
        self.answeredBy = answeredBy; self.rang = rang; self.startedAt = startedAt; self.answeredAt = answeredAt; self.endedAt = endedAt
        self.talkSeconds = talkSeconds; self.disposition = disposition; self.recording = recording
    }

    /// Whether a person took the call: what the sales team counts as answered. A call the dialplan answered and
    /// nobody took (an IVR, a queue the caller left) is missed for them, whatever the CDR says.
    public var answeredByPerson: Bool { answeredBy != nil }

    /// The call as an activity records it. An outbound call the PBX answered is the customer picking up.
    public var activityDisposition: CallDisposition {
        Self.activityDisposition(direction: direction, disposition: disposition, answeredByPerson: answeredByPerson)
    }

    public static func activityDisposition(direction: CallDirection, disposition: Disposition, answeredByPerson: Bool) -> CallDisposition {
        if answeredByPerson || (direction == .outbound && disposition == .answered) { return .answered }
        switch disposition {
        case .busy: return .busy
        case .failed, .congestion: return .failed
        case .answered, .noAnswer: return .missed
        }
    }

    /// The extension the call belongs to: who answered, else who rang first (whose missed call it is), else, for an
    /// outbound call, the rep who placed it.
    public var extensionOfRecord: String? {
        answeredBy ?? rang.first ?? (direction == .outbound ? internalNumber : nil)
    }

    /// A caller id's name: `"Customer One" <+74951234501>` → Customer One; none for a bare number or `<unknown>`.
    public static func callerName(_ text: String) -> String? {
        var name = text
        if let open = name.lastIndex(of: "<") { name = String(name[..<open]) }
        name = name.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        return name.isEmpty || name == "unknown" || name.hasPrefix("+") && name.dropFirst().allSatisfy(\.isNumber) ? nil : name
    }

    /// An internal number: an extension of a few digits, not a customer's. Six digits or fewer without a `+`.
    public static func isExtension(_ number: String) -> Bool {
        !number.isEmpty && number.count <= 6 && number.allSatisfy(\.isNumber)
    }

    /// The number a dial string rings: `SIP/101@127.0.0.1:5070,20`, `101@host`, `PJSIP/101`, `Local/101@from-internal/n`,
    /// `SIP/trunk/+46812345678`: the part before `@`, after its last `/`.
    public static func dialledNumber(_ dialString: String) -> String? {
        let target = dialString.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let beforeAt = target.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let number = String(beforeAt.split(separator: "/").last ?? "")
        return number.isEmpty ? nil : number
    }
}
