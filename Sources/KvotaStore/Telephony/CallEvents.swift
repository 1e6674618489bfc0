import Foundation
import KvotaCore
import SQLKit

/// A hosted PBX's call events (the generic webhook): each kept once per call and kind, whatever order they come in;
/// once a call's `ended` has come, the call is recorded (and recorded again, up to date, when a late event comes).
extension Database {
    /// Takes one event: `duplicate` when this call's event of this kind came before (nothing changes); `call` when the
    /// call could be recorded.
    public func recordCallEvent(_ event: CallEvent, at now: Date) async throws -> (duplicate: Bool, call: RecordedCall?) {
        let country = try await defaultCountry()
        let settings = try await companySettings()
        let body = String(decoding: try Self.payEncoder.encode(event), as: UTF8.self)
        return try await write { sql in
            guard try await sql.raw("""
                INSERT INTO telephony_events (call_id, kind, body, received_at)
                VALUES (\(bind: event.callID), \(bind: event.kind.rawValue), \(bind: body), \(bind: now.epochMilliseconds))
                ON CONFLICT DO NOTHING RETURNING call_id
                """).first() != nil else { return (true, nil) }
            let events = try await sql.raw("SELECT body FROM telephony_events WHERE call_id = \(bind: event.callID)").all().map {
                try JSONDecoder().decode(CallEvent.self, from: Data(try $0.decode(column: "body", as: String.self).utf8))
            }
            guard let call = CallEvent.call(events) else { return (false, nil) }
            return (false, try await Self.record(call, key: "webhook:\(call.id)", country: country, settings: settings, at: now, in: sql))
        }
    }
}
