import Foundation

/// Turns the AMI event stream into calls: one `PBXCall` per linked id, however many channels it opened, made when
/// its last channel hangs up. Times are the events' own (`Timestamp`, with `timestampevents=yes`), never the time
/// they arrived, so a replayed or delayed stream gives the same calls. A `Cdr` event, when the PBX sends one
/// (cdr_manager), is the PBX's own account of the call and wins for talk time and disposition; one that comes after
/// the last hang-up amends the call already made (the store writes a call by its id, so the second write replaces
/// the first).
public struct AMICallAssembler: Sendable {
    private struct Pending: Sendable {
        var id: String
        var callerNumber: String
        var callerName: String?
        var exten: String
        var startedAt: Date
        var answeredAt: Date?
        var answeredBy: String?
        var rang: [String] = []
        /// Dialled legs by their unique id, with the number each rang.
        var legs: [String: String] = [:]
        var busy = false
        var failed = false
        var congestion = false
        var channels: Set<String> = []
        var endedAt: Date?
        var recording: String?
        var cdr: (disposition: PBXCall.Disposition, billsec: Int)?
    }

    private var pending: [String: Pending] = [:]
    /// Every channel's linked id, for the events (Cdr) that carry only the unique id.
    private var linkOf: [String: String] = [:]
    /// Calls made lately, so a Cdr that comes after the last hang-up can amend them; the oldest go first.
    private var finished: [String: (pending: Pending, order: Int)] = [:]
    private var finishedCount = 0

    /// The PBX's time of the newest event taken: "now" by the PBX's clock, whatever the stream's delay.
    public private(set) var latestEvent: Date?

    public init() {}

    /// Takes one message; answers the calls it completes or amends (usually none).
    public mutating func take(_ message: AMIMessage) -> [PBXCall] {
        guard let event = message.event, let at = message.timestamp else { return [] }
        if latestEvent.map({ at > $0 }) ?? true { latestEvent = at }
        let unique = message["Uniqueid"] ?? ""
        let linked = message["Linkedid"] ?? linkOf[unique] ?? unique
        switch event {
        case "Newchannel":
            linkOf[unique] = linked
            if unique == linked, pending[linked] == nil {
                pending[linked] = Pending(id: linked, callerNumber: message["CallerIDNum"] ?? "",
                                          callerName: message["CallerIDName"].flatMap(PBXCall.callerName), exten: message["Exten"] ?? "", startedAt: at)
            }
            pending[linked]?.channels.insert(unique)
        case "Newstate":
            guard unique == linked else { break }
            switch message["ChannelStateDesc"] {
            case "Up": if pending[linked]?.answeredAt == nil { pending[linked]?.answeredAt = at }
            case "Busy": pending[linked]?.busy = true
            default: break
            }
        case "DialBegin":
            guard let number = message["DialString"].flatMap(PBXCall.dialledNumber) else { break }
            if pending[linked]?.rang.contains(number) == false { pending[linked]?.rang.append(number) }
            if let leg = message["DestUniqueid"] { pending[linked]?.legs[leg] = number }
        case "DialEnd":
            switch message["DialStatus"] {
            case "ANSWER":
                let leg = message["DestUniqueid"].flatMap { pending[linked]?.legs[$0] }
                if pending[linked]?.answeredBy == nil { pending[linked]?.answeredBy = leg }
                if pending[linked]?.answeredAt == nil { pending[linked]?.answeredAt = at }
            case "BUSY": pending[linked]?.busy = true
            case "CONGESTION": pending[linked]?.congestion = true
            case "CHANUNAVAIL": pending[linked]?.failed = true
            default: break
            }
        case "AgentConnect":
            // A queue member took the call: `Interface: SIP/101` (or `MemberName`).
            if pending[linked]?.answeredBy == nil, let member = (message["Interface"] ?? message["MemberName"]).flatMap(PBXCall.dialledNumber) {
                pending[linked]?.answeredBy = member
                if pending[linked]?.rang.contains(member) == false { pending[linked]?.rang.append(member) }
            }
        case "VarSet":
            if message["Variable"] == "MIXMONITOR_FILENAME", let file = message["Value"], !file.isEmpty { pending[linked]?.recording = file }
        case "Cdr":
            return cdr(message, unique: message["UniqueID"] ?? unique)
        case "Hangup":
            guard var call = pending[linked] else { break }
            call.channels.remove(unique)
            if unique == linked { call.endedAt = at }
            pending[linked] = call
            if call.channels.isEmpty {
                pending[linked] = nil
                finish(call)
                return made(call).map { [$0] } ?? []
            }
        default:
            break
        }
        return []
    }

    /// Drops the calls still waiting for a hang-up that started before `cutoff` or that `ids` names (calls the CDR file
    /// has as ended): their ends fell into a gap of the stream (a reconnect) and will never come; the CDR file brings
    /// them in instead. Answers how many went.
    @discardableResult
    public mutating func forget(startedBefore cutoff: Date, orIn ids: Set<String> = []) -> Int {
        let stale = pending.values.filter { $0.startedAt < cutoff || ids.contains($0.id) }.map(\.id)
        for id in stale {
            pending[id] = nil
            for (channel, link) in linkOf where link == id { linkOf[channel] = nil }
        }
        return stale.count
    }

    /// Calls begun and not yet ended, as far as the stream has told.
    public var unfinished: Int { pending.count }

    private mutating func cdr(_ message: AMIMessage, unique: String) -> [PBXCall] {
        guard let disposition = message["Disposition"].flatMap(PBXCall.Disposition.init(cdr:)) else { return [] }
        let billsec = message["BillableSeconds"].flatMap(Int.init) ?? 0
        let linked = linkOf[unique] ?? unique
        func merged(_ old: (disposition: PBXCall.Disposition, billsec: Int)?) -> (disposition: PBXCall.Disposition, billsec: Int) {
            guard let old else { return (disposition, billsec) }
            return (AsteriskCDR.rank(disposition) > AsteriskCDR.rank(old.disposition) ? disposition : old.disposition, max(billsec, old.billsec))
        }
        if var call = pending[linked] {
            call.cdr = merged(call.cdr)
            pending[linked] = call
            return []
        }
        guard var done = finished[linked] else { return [] }
        let before = made(done.pending)
        done.pending.cdr = merged(done.pending.cdr)
        finished[linked] = done
        let after = made(done.pending)
        return after != before ? [after].compactMap { $0 } : []
    }

    private mutating func finish(_ call: Pending) {
        finishedCount += 1
        finished[call.id] = (call, finishedCount)
        // Late Cdr events follow within moments; a few hundred calls back is plenty to keep.
        if finished.count > 500, let oldest = finished.min(by: { $0.value.order < $1.value.order })?.key {
            finished[oldest] = nil
            for (channel, link) in linkOf where link == oldest { linkOf[channel] = nil }
        }
    }

    /// The call a finished pending one is, or nil for a call between two extensions (no customer in it).
    private func made(_ call: Pending) -> PBXCall? {
        let outbound = PBXCall.isExtension(call.callerNumber) && !PBXCall.isExtension(call.exten)
        let external = outbound ? (call.rang.first ?? call.exten) : call.callerNumber
        if PBXCall.isExtension(external) && (outbound || PBXCall.isExtension(call.exten)) { return nil }
        let endedAt = call.endedAt ?? call.startedAt
        let disposition: PBXCall.Disposition = call.cdr?.disposition ?? (call.answeredAt != nil ? .answered
            : call.busy ? .busy : call.congestion ? .congestion : call.failed ? .failed : .noAnswer)
        let talk = call.cdr?.billsec ?? call.answeredAt.map { Int(endedAt.timeIntervalSince($0)) } ?? 0
        return PBXCall(id: call.id, direction: outbound ? .outbound : .inbound, externalNumber: external, callerName: outbound ? nil : call.callerName,
                       internalNumber: outbound ? call.callerNumber : call.exten, answeredBy: outbound ? nil : call.answeredBy,
                       rang: outbound ? [] : call.rang, startedAt: call.startedAt, answeredAt: call.answeredAt, endedAt: endedAt,
                       talkSeconds: max(0, talk), disposition: disposition, recording: call.recording)
    }
}
