import Foundation
import Hummingbird
import KvotaCore
import KvotaStore
import Logging

/// `POST /api/v1/telephony/events` (issue 9): the generic call-event webhook for hosted PBXs, with an integration
/// token. Each call's `ringing`, `answered` and `ended` come in any order; a repeat is acknowledged and changes nothing;
/// the call is recorded like one from Asterisk once its `ended` has come (docs/telephony.md has curl examples).
struct TelephonyAPI {
    let database: Database
    let config: AppConfig

    struct Body: Decodable {
        let callId: String?
        let event: String?
        let at: Date?
        let direction: String?
        let customer: String?
        let callerName: String?
        let line: String?
        let `extension`: String?
        let disposition: String?
        let talkSeconds: Int?
        let recording: String?
    }

    struct Answer: Encodable {
        let callId: String
        let event: String
        /// This call's event of this kind came before; nothing changed.
        let duplicate: Bool
        /// The call is recorded (its `ended` has come).
        let recorded: Bool
        let activityId: Int64?
        let leadId: Int64?
    }

    struct Unmapped: Encodable {
        struct Item: Encodable { let `extension`: String; let calls: Int; let lastCallAt: Date }
        let items: [Item]
    }

    struct Mapped: Encodable { let `extension`: String; let userId: Int64; let calls: Int }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/telephony/unmapped") { _, context -> Response in
            try JSONBody.response(Unmapped(items: try await database.unmappedExtensions(for: context.actor).map {
                Unmapped.Item(extension: $0.extension, calls: $0.calls, lastCallAt: $0.lastCallAt)
            }))
        }
        api.post("/telephony/unmapped/:extension") { request, context -> Response in
            struct Body: Decodable { let userId: Int64? }
            let ext = try context.parameters.require("extension")
            let body = try await JSONBody.decode(Body.self, from: request)
            guard let user = body.userId else { throw ValidationFailure([.invalid(field: "userId", reason: "is required")]) }
            let calls = try await database.mapExtension(ext, to: User.ID(user), by: context.actor, at: config.now(), address: context.address)
            return try JSONBody.response(Mapped(extension: ext, userId: user, calls: calls))
        }
        api.post("/telephony/events") { request, context -> Response in
            guard AccessPolicy.scope(context.actor, .create, .activity) != .nothing else { throw AccessDenied.forbidden(.create, .activity) }
            let body = try await JSONBody.decode(Body.self, from: request)
            var errors = ValidationFailure.Collector()
            errors.check(body.callId != nil, "callId", "is required")
            errors.check(body.event != nil, "event", "is required (ringing, answered or ended)")
            errors.check(body.at != nil, "at", "is required (the PBX's time of the event, e.g. 2026-11-22T13:29:49Z)")
            let kind = decodeKey(body.event, as: CallEvent.Kind.self, field: "event", into: &errors)
            let direction = decodeKey(body.direction, as: CallDirection.self, field: "direction", into: &errors)
            var disposition: PBXCall.Disposition?
            if let text = body.disposition {
                disposition = PBXCall.Disposition(rawValue: text) ?? PBXCall.Disposition(cdr: text)
                errors.check(disposition != nil, "disposition", "expected answered, no_answer, busy, failed or congestion, got '\(text)'")
            }
            let event = CallEvent(callID: body.callId ?? "", kind: kind ?? .ringing, at: body.at ?? .distantPast, direction: direction,
                                  customer: body.customer, callerName: body.callerName, line: body.line, extension: body.extension,
                                  disposition: disposition, talkSeconds: body.talkSeconds, recording: body.recording)
            if kind != nil { event.check(into: &errors) }
            do {
                try errors.finish()
            } catch {
                context.logger.notice("a call event was refused", metadata: ["problems": "\(error)"])
                throw error
            }
            let (duplicate, call) = try await database.recordCallEvent(event, at: config.now())
            return try JSONBody.response(Answer(callId: event.callID, event: event.kind.rawValue, duplicate: duplicate, recorded: call != nil,
                                                activityId: call?.activityID?.rawValue, leadId: call?.leadID?.rawValue),
                                         status: .accepted)
        }
    }
}
