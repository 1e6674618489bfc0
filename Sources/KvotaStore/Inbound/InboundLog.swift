import Foundation
import KvotaCore
import SQLKit

/// A request as the log keeps it: how it came and what it said.
public struct InboundRecord: Hashable, Sendable {
    public var id: Int64
    public var via: InboundRequest.Via
    public var channel: String
    public var senderID: String?
    public var name: String?
    public var phone: String?
    public var email: String?
    public var text: String?
    public var pageURL: String?
    public var sentAt: Date
    public var outcome: InboundReceipt.Outcome
}

/// The requests that went to a lead (the first that opened it, and every one that joined it: a repeat form, a
/// messenger conversation), read as the lead is.
extension Database {
    public func inboundRequests(lead: Lead.ID, for actor: Actor) async throws -> [InboundRecord] {
        try await requireAccess(actor, .read, .lead, id: lead.rawValue)
        return try await read { sql in
            try await sql.raw("""
                SELECT id, via, channel, sender_id, name, phone, email, text, page_url, sent_at, outcome FROM inbound_requests
                WHERE lead_id = \(bind: lead.rawValue) ORDER BY sent_at, id
                """).all().map { row in
                func text(_ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
                let via = try row.decode(column: "via", as: String.self), outcome = try row.decode(column: "outcome", as: String.self)
                guard let via = InboundRequest.Via(rawValue: via), let outcome = InboundReceipt.Outcome(rawValue: outcome) else {
                    throw StoreError.query("inbound_requests: unknown via '\(via)' or outcome '\(outcome)'")
                }
                return InboundRecord(id: try row.decode(column: "id", as: Int64.self), via: via, channel: try row.decode(column: "channel", as: String.self),
                                     senderID: try text("sender_id"), name: try text("name"), phone: try text("phone"), email: try text("email"),
                                     text: try text("text"), pageURL: try text("page_url"),
                                     sentAt: Date(epochMilliseconds: try row.decode(column: "sent_at", as: Int64.self)), outcome: outcome)
            }
        }
    }
}
