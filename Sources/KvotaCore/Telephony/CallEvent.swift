import Foundation

/// One event of a hosted PBX's call, as the generic webhook takes it (`POST /api/v1/telephony/events`): the call
/// rings, is answered, ends. Events of a call may come in any order and more than once; the call is made from those
/// that have come once its `ended` has.
public struct CallEvent: Hashable, Sendable, Codable {
    public enum Kind: String, CaseIterable, Sendable, Codable {
        case ringing, answered, ended
    }

    public var callID: String
    public var kind: Kind
    public var at: Date
    public var direction: CallDirection?
    /// The customer's number.
    public var customer: String?
    public var callerName: String?
    /// The number the customer dialled (inbound) or the line used (outbound).
    public var line: String?
    /// The extension that rang (`ringing`), took the call (`answered`), or placed it (outbound).
    public var `extension`: String?
    /// `ended` may say how it ended and how long they talked; else Kvota works it out from the events.
    public var disposition: PBXCall.Disposition?
    public var talkSeconds: Int?
    public var recording: String?

    public init(callID: String, kind: Kind, at: Date, direction: CallDirection? = nil, customer: String? = nil, callerName: String? = nil,
                line: String? = nil, extension: String? = nil, disposition: PBXCall.Disposition? = nil, talkSeconds: Int? = nil,
                recording: String? = nil) {
        self.callID = callID; self.kind = kind; self.at = at; self.direction = direction; self.customer = customer; self.callerName = callerName
        self.line = line; self.extension = `extension`; self.disposition = disposition; self.talkSeconds = talkSeconds; self.recording = recording
    }

    /// Every problem of an event on its own, named by field.
    public func check(into errors: inout ValidationFailure.Collector) {
        errors.check(!callID.isEmpty && callID.count <= 200, "callId", "expected 1 to 200 characters")
        if let talkSeconds { errors.check((0...86_400).contains(talkSeconds), "talkSeconds", "expected 0 to 86400, got \(talkSeconds)") }
        if let customer { errors.check(!customer.isEmpty && customer.count <= 40, "customer", "expected a phone number") }
        if kind == .ringing { errors.check(customer != nil, "customer", "is required on ringing (the customer's number)") }
    }

    /// The call a set of one call's events makes: nil until its `ended` has come, or while nothing has said the
    /// customer's number.
    public static func call(_ events: [CallEvent]) -> PBXCall? {
        guard let ended = events.first(where: { $0.kind == .ended }) else { return nil }
        let ringing = events.first { $0.kind == .ringing }, answered = events.first { $0.kind == .answered }
        let all = [ringing, answered, ended].compactMap { $0 }
        func first<T>(_ field: (CallEvent) -> T?) -> T? { all.lazy.compactMap(field).first }
        guard let customer = first(\.customer) else { return nil }
        let direction = first(\.direction) ?? .inbound
        let startedAt = ringing?.at ?? answered?.at ?? ended.at
        let person = direction == .inbound ? answered?.extension : nil
        let rang = direction == .inbound ? [ringing?.extension, answered?.extension].compactMap { $0 }.reduce(into: [String]()) {
            if !$0.contains($1) { $0.append($1) }
        } : []
        let disposition = ended.disposition ?? (answered != nil ? .answered : .noAnswer)
        let talk = ended.talkSeconds ?? answered.map { max(0, Int(ended.at.timeIntervalSince($0.at))) } ?? 0
        let placedBy = direction == .outbound ? first(\.extension) : nil
        return PBXCall(id: ended.callID, direction: direction, externalNumber: customer, callerName: first(\.callerName),
                       internalNumber: placedBy ?? first(\.line) ?? "", answeredBy: person, rang: rang, startedAt: startedAt,
                       answeredAt: answered?.at, endedAt: max(ended.at, startedAt), talkSeconds: disposition == .answered ? talk : 0,
                       disposition: disposition, recording: first(\.recording))
    }
}
