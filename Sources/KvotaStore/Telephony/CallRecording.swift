import Foundation
import KvotaCore
import SQLKit

/// What recording a call from the PBX did.
public struct RecordedCall: Hashable, Sendable {
    public var key: String
    /// Whose call it is (the extension's user); nil for an extension nobody has.
    public var userID: User.ID?
    /// The call activity: made when the call has an owner (its user, else the matched customer's or lead's owner).
    public var activityID: Activity.ID?
    /// The lead an unknown inbound number opened.
    public var leadID: Lead.ID?
    /// The task to call back a missed inbound call.
    public var callbackTaskID: Activity.ID?
    /// The callback tasks this (outbound) call completed.
    public var completedCallbacks: [Activity.ID]
    /// False when the call was known already (a replay, a CDR after the stream): it was brought up to date instead.
    public var isNew: Bool
    /// For a known call, whether it told anything new (a CDR's own talk time, a late Cdr event).
    public var changed: Bool
}

/// Calls from the PBX (issue 9): each becomes a row of `pbx_calls` keyed by its source and the PBX's id, and, when it
/// has an owner, a call activity on the matched contact, account or lead. An unknown number opens a lead (source
/// inbound call, or cold outreach for a rep's call out); a missed inbound call makes a callback task due within the callback threshold; the next
/// outbound call to that number completes it. Kvota writes these as itself (user 0), not as anyone signed in.
extension Database {
    public func recordCalls(_ calls: [PBXCall], source: String = "asterisk", at now: Date) async throws -> [RecordedCall] {
        let country = try await defaultCountry()
        let settings = try await companySettings()
        return try await write { sql in
            var recorded: [RecordedCall] = []
            for call in calls.sorted(by: { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }) {
                recorded.append(try await Self.record(call, key: "\(source):\(call.id)", country: country, settings: settings, at: now, in: sql))
            }
            return recorded
        }
    }

    static func record(_ call: PBXCall, key: String, country: String, settings: CompanySettings, at now: Date,
                               in sql: any SQLDatabase) async throws -> RecordedCall {
        let zone = settings.timeZone
        var ignored = ValidationFailure.Collector()
        let number = ContactChannel(kind: .phone, value: call.externalNumber).normalised(country: country, field: "number", into: &ignored).value
        if let known = try await sql.raw("""
            SELECT user_id, activity_id, answered_by, talk_seconds, disposition, recording FROM pbx_calls WHERE call_key = \(bind: key)
            """).first() {
            // Known already (a replay, the CDR after the stream): nothing to match or look up. Bring the row and its
            // activity up to date (a CDR's own talk time, a late Cdr event); times stay as first recorded: the stream's
            // have milliseconds, a CDR file's only seconds.
            let activity = try known.decode(column: "activity_id", as: Int64?.self).map { Activity.ID($0) }
            let user = try known.decode(column: "user_id", as: Int64?.self).map { User.ID($0) }
            let same = try known.decode(column: "answered_by", as: String?.self) == call.answeredBy
                && known.decode(column: "talk_seconds", as: Int.self) == call.talkSeconds
                && known.decode(column: "disposition", as: String.self) == call.disposition.rawValue
                && (call.recording == nil || known.decode(column: "recording", as: String?.self) == call.recording)
            if same {
                return RecordedCall(key: key, userID: user, activityID: activity, leadID: nil, callbackTaskID: nil, completedCallbacks: [], isNew: false,
                                    changed: false)
            }
            try await sql.raw("""
                UPDATE pbx_calls SET answered_by = \(bind: call.answeredBy), talk_seconds = \(bind: call.talkSeconds),
                    disposition = \(bind: call.disposition.rawValue), recording = COALESCE(\(bind: call.recording), recording)
                WHERE call_key = \(bind: key)
                """).run()
            if let activity {
                var change = ActivityPatch()
                change.callDisposition = call.activityDisposition
                change.talkSeconds = call.talkSeconds
                _ = try await changeActivity(activity, change, problems: .init(), country: country, zone: zone, expectedVersion: nil, by: evaluator,
                                             at: now, address: "pbx", in: sql)
            }
            return RecordedCall(key: key, userID: user, activityID: activity, leadID: nil, callbackTaskID: nil, completedCallbacks: [], isNew: false,
                                changed: true)
        }

        var user: User.ID?
        if let ext = call.extensionOfRecord {
            user = try await sql.raw("SELECT id FROM users WHERE phone_extension = \(bind: ext) AND active = \(bind: true)").first()
                .map { User.ID(try $0.decode(column: "id", as: Int64.self)) }
        }
        let match = try await Self.callParty(number, in: sql)
        var patch = Self.callActivity(call.direction, number: number, at: call.startedAt, disposition: call.activityDisposition,
                                      talkSeconds: call.talkSeconds)
        var lead = match.lead
        var owner = user ?? match.owner
        // A number Kvota does not know opens a lead: an inbound call's (for whoever took or missed it, else by the
        // assignment rules), or a rep's cold call (theirs); a call activity needs a customer record to stand on.
        if match.contact == nil, match.account == nil, lead == nil, call.direction == .inbound || user != nil {
            var newLead = LeadPatch()
            newLead.source = call.direction == .inbound ? .inboundCall : .coldOutreach
            newLead.name = call.callerName ?? number
            newLead.phone = .some(number)
            // A PBX whose clock runs a little ahead of this server's must not lose the lead to "in the future".
            newLead.receivedAt = min(call.startedAt, now)
            // A call nobody took (a queue, an IVR) goes by the assignment rules, as any new request does.
            var leadOwner = user
            if leadOwner == nil, call.direction == .inbound {
                leadOwner = try await assignOwner(existingOwner: nil, region: nil, source: .inboundCall, channel: nil, in: sql).ownerID
            }
            newLead.ownerID = .some(leadOwner)
            let made = try await insertLead(newLead, problems: .init(), country: country, zone: zone, by: evaluator, at: now, address: "pbx", in: sql)
            lead = made.id
            owner = owner ?? made.ownerID
        }
        patch.accountID = .some(match.account)
        patch.contactID = .some(match.contact)
        patch.leadID = .some(lead)

        var activity: Activity?
        var callback: Activity?
        if let owner {
            patch.ownerID = owner
            activity = try await insertActivity(patch, problems: .init(), country: country, zone: zone, by: evaluator, at: now, address: "pbx", in: sql)
            try await setExternalID(.activity, id: activity!.id.rawValue, to: "pbx:\(key)", in: sql)
            if call.direction == .inbound, call.activityDisposition != .answered {
                var task = ActivityPatch()
                task.kind = .task
                task.ownerID = owner
                task.subject = "Call back \(number)" + (call.callerName.map { " (\($0))" } ?? "")
                task.dueAt = .some(call.endedAt.addingTimeInterval(TimeInterval(settings.thresholds.callbackSeconds)))
                task.accountID = .some(match.account)
                task.contactID = .some(match.contact)
                task.leadID = .some(lead)
                callback = try await insertActivity(task, problems: .init(), country: country, zone: zone, by: evaluator, at: now, address: "pbx",
                                                    in: sql)
            }
        }
        var completed: [Activity.ID] = []
        if call.direction == .outbound {
            completed = try await completeCallbacks(to: number, by: call.startedAt, at: now, in: sql)
        }
        try await sql.raw("""
            INSERT INTO pbx_calls (call_key, direction, external_number, internal_number, extension, user_id, answered_by, started_at, answered_at,
                                   ended_at, talk_seconds, disposition, recording, activity_id, lead_id, callback_task_id, received_at)
            VALUES (\(bind: key), \(bind: call.direction.rawValue), \(bind: number), \(bind: call.internalNumber), \(bind: call.extensionOfRecord),
                    \(bind: user?.rawValue), \(bind: call.answeredBy), \(bind: call.startedAt.epochMilliseconds),
                    \(bind: call.answeredAt?.epochMilliseconds), \(bind: call.endedAt.epochMilliseconds), \(bind: call.talkSeconds),
                    \(bind: call.disposition.rawValue), \(bind: call.recording), \(bind: activity?.id.rawValue), \(bind: lead?.rawValue),
                    \(bind: callback?.id.rawValue), \(bind: now.epochMilliseconds))
            """).run()
        if let activity { try await recheckAlerts(after: activity, at: now, zone: zone, in: sql) }
        if call.direction == .inbound, call.activityDisposition != .answered {
            try await WebhookOutbox.enqueue(.callMissed, [
                "callKey": key, "number": number, "internalNumber": call.internalNumber, "callerName": call.callerName,
                "startedAt": call.startedAt.formatted(.iso8601), "endedAt": call.endedAt.formatted(.iso8601),
                "userId": (user ?? owner)?.rawValue, "contactId": match.contact?.rawValue, "accountId": match.account?.rawValue,
                "leadId": lead?.rawValue, "callbackTaskId": callback?.id.rawValue,
            ], by: nil, at: now, in: sql)
        }
        return RecordedCall(key: key, userID: user, activityID: activity?.id, leadID: lead, callbackTaskID: callback?.id,
                            completedCallbacks: completed, isNew: true, changed: true)
    }

    /// A call activity's own fields; whose it is and which customer record it stands on are the caller's to set.
    static func callActivity(_ direction: CallDirection, number: String, at time: Date, disposition: CallDisposition,
                             talkSeconds: Int) -> ActivityPatch {
        var patch = ActivityPatch()
        patch.kind = .call
        patch.subject = "\(direction == .inbound ? "Inbound" : "Outbound") call \(number)"
        patch.occurredAt = time
        patch.callDirection = direction
        patch.callDisposition = disposition
        patch.externalNumber = .some(number)
        patch.talkSeconds = talkSeconds
        return patch
    }

    /// Who a number is: the contact with it among their phones (and their account and its owner), else the newest
    /// open lead with it.
    static func callParty(_ number: String,
                                  in sql: any SQLDatabase) async throws -> (contact: Contact.ID?, account: Account.ID?, lead: Lead.ID?, owner: User.ID?) {
        if let row = try await sql.raw("""
            SELECT c.id, c.account_id, a.owner_id FROM contacts c LEFT JOIN accounts a ON a.id = c.account_id
            WHERE \(hasChannel(.phone, number)) ORDER BY c.id LIMIT 1
            """).first() {
            return (Contact.ID(try row.decode(column: "id", as: Int64.self)), try row.decode(column: "account_id", as: Int64?.self).map { Account.ID($0) },
                    nil, try row.decode(column: "owner_id", as: Int64?.self).map { User.ID($0) })
        }
        if let row = try await sql.raw("""
            SELECT id, owner_id FROM leads WHERE phone = \(bind: number) AND status IN ('new', 'in_work', 'qualified')
            ORDER BY received_at DESC, id DESC LIMIT 1
            """).first() {
            return (nil, nil, Lead.ID(try row.decode(column: "id", as: Int64.self)), try row.decode(column: "owner_id", as: Int64?.self).map { User.ID($0) })
        }
        return (nil, nil, nil, nil)
    }

    /// Marks done the open callback tasks of earlier missed calls from `number`, at the time of the call back.
    private static func completeCallbacks(to number: String, by time: Date, at now: Date, in sql: any SQLDatabase) async throws -> [Activity.ID] {
        let open = try await sql.raw("""
            SELECT p.id, p.callback_task_id FROM pbx_calls p JOIN activities t ON t.id = p.callback_task_id
            WHERE p.external_number = \(bind: number) AND p.called_back_at IS NULL AND p.started_at < \(bind: time.epochMilliseconds)
                AND t.done_at IS NULL
            """).all().map { (call: try $0.decode(column: "id", as: Int64.self), task: try $0.decode(column: "callback_task_id", as: Int64.self)) }
        for (call, task) in open {
            try await sql.raw("UPDATE pbx_calls SET called_back_at = \(bind: time.epochMilliseconds) WHERE id = \(bind: call)").run()
            try await sql.raw("UPDATE activities SET done_at = \(bind: time.epochMilliseconds), version = version + 1 WHERE id = \(bind: task)").run()
            try await AuditLog.append(.init(at: now, actorID: nil, action: "update", entity: "activity", entityID: task,
                                            changes: [.init("doneAt", old: nil, new: ISO8601DateFormatter().string(from: time))],
                                            detail: "called back", address: "pbx"), in: sql)
        }
        return open.map { Activity.ID($0.task) }
    }
}

extension Database {
    /// Contacts (as `c`) that have `value`, normalised, among their channels of `kind`; a phone or an email also in the
    /// contact's own column, as rows written before contact channels keep it.
    static func hasChannel(_ kind: ContactChannel.Kind, _ value: String) -> SQLQueryString {
        let channel: SQLQueryString = "c.id IN (SELECT contact_id FROM contact_channels WHERE kind = \(bind: kind.rawValue) AND value = \(bind: value))"
        switch kind {
        case .phone: return "(c.phone = \(bind: value) OR " + channel + ")"
        case .email: return "(LOWER(c.email) = \(bind: value) OR " + channel + ")"
        default: return channel
        }
    }
}
