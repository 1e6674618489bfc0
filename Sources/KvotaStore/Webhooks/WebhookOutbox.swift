import Foundation
import KvotaCore
import SQLKit

/// Puts an event in the delivery queue of every subscription that asked for it, inside the transaction of the change
/// it tells of: an event goes out if and only if its change committed, and a server that stops before posting it
/// leaves it in the queue for the next round (any server's). Without subscriptions it is one indexed lookup that
/// inserts nothing.
enum WebhookOutbox {
    /// Set while an import runs: an import moves history in, and a year of won deals is not news to post.
    @TaskLocal static var quiet = false

    static func enqueue(_ event: WebhookEvent, _ data: [String: Any?], by actor: User.ID?, at now: Date,
                        in sql: any SQLDatabase) async throws {
        guard !quiet else { return }
        let eventID = UUID().uuidString.lowercased()
        let body = try payload(event, id: eventID, data: data, actor: actor, at: now)
        let at = now.epochMilliseconds
        try await sql.raw("""
            INSERT INTO webhook_deliveries (subscription_id, event_id, event, payload, created_at, status, next_attempt_at, expires_at)
            SELECT s.id, \(bind: eventID), \(bind: event.rawValue), \(bind: body), \(bind: at), 'pending', \(bind: at),
                   \(bind: now.addingTimeInterval(WebhookRetry.window).epochMilliseconds)
            FROM webhook_subscription_events e JOIN webhook_subscriptions s ON s.id = e.subscription_id
            WHERE e.event = \(bind: event.rawValue) AND s.state <> 'disabled'
            """).run()
    }

    /// The body receivers get (docs/webhooks.md): the event's id and name, when it happened, who did it (nil: Kvota
    /// itself or an outside system) and the record's fields.
    static func payload(_ event: WebhookEvent, id: String, data: [String: Any?], actor: User.ID?, at now: Date) throws -> String {
        let actorID: Any = actor.flatMap { $0.rawValue == 0 ? nil : $0.rawValue } ?? NSNull()
        let body: [String: Any] = ["id": id, "event": event.rawValue, "occurredAt": now.formatted(.iso8601), "actorId": actorID,
                                   "data": data.mapValues { $0 ?? NSNull() }]
        let json = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: json, as: UTF8.self)
    }

    static func deal(_ deal: Deal, previousStage: Stage.ID? = nil) -> [String: Any?] {
        ["id": deal.id.rawValue, "title": deal.title, "accountId": deal.accountID.rawValue, "contactId": deal.contactID?.rawValue,
         "pipelineId": deal.pipelineID.rawValue, "stageId": deal.stageID.rawValue, "previousStageId": previousStage?.rawValue,
         "status": deal.status.rawValue, "amountMinor": deal.amount.minorUnits, "currency": deal.amount.currency.code,
         "ownerId": deal.ownerID.rawValue, "expectedClose": deal.expectedClose?.iso, "lossReason": deal.lossReason]
    }

    static func lead(_ lead: Lead, previousOwner: User.ID? = nil) -> [String: Any?] {
        ["id": lead.id.rawValue, "name": lead.name, "companyName": lead.companyName, "source": lead.source.rawValue,
         "status": lead.status.rawValue, "ownerId": lead.ownerID?.rawValue, "previousOwnerId": previousOwner?.rawValue,
         "phone": lead.phone, "email": lead.email, "receivedAt": lead.receivedAt.formatted(.iso8601)]
    }

    static func order(_ order: Order) -> [String: Any?] {
        ["id": order.id.rawValue, "number": order.number, "accountId": order.accountID.rawValue, "dealId": order.dealID?.rawValue,
         "ownerId": order.ownerID?.rawValue, "orderedOn": order.orderedOn.iso, "status": order.status.rawValue,
         "totalMinor": order.totalMinor, "currency": order.currency.code, "totalBaseMinor": order.totalBaseMinor]
    }

    static func plan(_ plan: Plan) -> [String: Any?] {
        ["id": plan.id.rawValue, "period": plan.period.label, "from": plan.period.start.iso, "to": plan.period.end.adding(days: -1).iso,
         "scope": plan.subject.description, "status": plan.status.rawValue, "approvedBy": plan.approvedBy?.rawValue,
         "targets": Dictionary(plan.targets.map { ($0.measure.rawValue, $0.target) }, uniquingKeysWith: { a, _ in a })]
    }

    /// A deal's change as events: its stage, and its winning or losing.
    static func dealChanged(from old: Deal?, to new: Deal, by actor: User.ID?, at now: Date, in sql: any SQLDatabase) async throws {
        if let old, old.stageID != new.stageID {
            try await enqueue(.dealStageChanged, deal(new, previousStage: old.stageID), by: actor, at: now, in: sql)
        }
        if new.status != old?.status ?? .open, new.status != .open {
            try await enqueue(new.status == .won ? .dealWon : .dealLost, deal(new, previousStage: old?.stageID), by: actor, at: now, in: sql)
        }
    }

    /// A lead's arrival and its getting an owner.
    static func leadChanged(from old: Lead?, to new: Lead, by actor: User.ID?, at now: Date, in sql: any SQLDatabase) async throws {
        if old == nil { try await enqueue(.leadCreated, lead(new), by: actor, at: now, in: sql) }
        if let owner = new.ownerID, owner != old?.ownerID {
            try await enqueue(.leadAssigned, lead(new, previousOwner: old?.ownerID), by: actor, at: now, in: sql)
        }
    }

    static func orderChanged(from old: Order?, to new: Order, by actor: User.ID?, at now: Date, in sql: any SQLDatabase) async throws {
        // Confirmed is the step into a sale; an order the desk takes straight from draft to shipped counts too.
        if new.status.isSale, !(old?.status.isSale ?? false) {
            try await enqueue(.orderConfirmed, order(new), by: actor, at: now, in: sql)
        }
    }
}
