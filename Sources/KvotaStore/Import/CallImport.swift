import Foundation
import KvotaCore
import SQLKit

/// Calls from a file (a PBX's or another CRM's call log): a row with a known `external_id` updates that call; any
/// other adds one. The rep is given by email, name or extension; the call is linked to the account, contact or deal
/// the row names, and, when it names none, to the contact (and their account) whose first phone is the call's number.
extension Database {
    func callRows(_ rows: [ImportRow], by actor: Actor, at now: Date, in sql: any SQLDatabase) async throws -> ImportReport {
        _ = try AccessPolicy.require(actor, .create, .activity)
        let country = try await defaultCountry()
        let zone = try await companyTimeZone()
        let fields = ["ownerId": "user", "accountId": "account", "contactId": "contact", "dealId": "deal", "subject": "subject",
                      "occurredAt": "started", "callDirection": "direction", "callDisposition": "outcome", "externalNumber": "number",
                      "talkSeconds": "talk_seconds"]
        let users = ImportLookup(table: "users", columns: [], keys: ImportLookup.users.keys + [.init(column: "phone_extension")],
                                 condition: ImportLookup.users.condition)
        let repeated = Self.repeatedKeys(rows, fields: [("external_id", { $0 })])
        return try await Self.eachRow(rows, problems: repeated, column: { fields[$0] ?? $0 }, in: sql) { row, sql, report in
            var errors = ValidationFailure.Collector()
            var patch = ActivityPatch()
            patch.kind = .call
            // A call log rarely has a subject; the timeline still needs a line for the call.
            patch.subject = row["subject"] ?? ["Call", row["number"]].compactMap { $0 }.joined(separator: " ")
            if let owner = try await row.reference("user", users, kind: "active user", in: sql, into: &errors) { patch.ownerID = User.ID(owner) }
            if let text = row["started"] {
                patch.occurredAt = ImportText.instant(text, in: zone)
                errors.check(patch.occurredAt != nil, "started", "expected a date and time, e.g. 2026-11-20 09:30 or 20.11.2026 09:30")
            } else {
                errors.check(false, "started", "is required")
            }
            if let text = row["direction"] {
                patch.callDirection = Self.callDirection(text)
                errors.check(patch.callDirection != nil, "direction", "expected inbound or outbound")
            }
            if let text = row["outcome"] {
                patch.callDisposition = CallDisposition(rawValue: text.lowercased())
                    ?? (["no answer", "noanswer", "no_answer"].contains(text.lowercased()) ? .missed : nil)
                errors.check(patch.callDisposition != nil, "outcome", "expected answered, missed, busy or failed")
            }
            if let text = row["talk_seconds"] {
                patch.talkSeconds = ImportText.seconds(text)
                errors.check(patch.talkSeconds != nil, "talk_seconds", "expected seconds, or minutes:seconds")
            }
            if row.has("number") { patch.externalNumber = .some(row["number"]) }
            var account = try await row.reference("account", .accounts, kind: "account", in: sql, into: &errors)
            var contact = try await row.reference("contact", .contacts, kind: "contact", in: sql, into: &errors)
            if let deal = try await row.reference("deal", .deals, kind: "deal", in: sql, into: &errors) { patch.dealID = .some(Deal.ID(deal)) }
            if account == nil, contact == nil, patch.dealID == nil, let number = row["number"] {
                var ignored = ValidationFailure.Collector()
                let phone = ContactChannel(kind: .phone, value: number).normalised(country: country, field: "number", into: &ignored).value
                // The contacts' first phones are indexed; that is the number a call log has for them.
                if let known = try await sql.raw("SELECT id, account_id FROM contacts WHERE phone = \(bind: phone) ORDER BY id LIMIT 1").first() {
                    contact = try known.decode(column: "id", as: Int64.self)
                    account = try known.decode(column: "account_id", as: Int64?.self)
                }
            }
            if let account { patch.accountID = .some(Account.ID(account)) }
            if let contact { patch.contactID = .some(Contact.ID(contact)) }
            patch.custom = row.custom(.activity, fields: try await Self.customFields(.activity, in: sql), into: &errors)
            let target = try await Self.importTarget(.activity, externalID: row["external_id"], for: actor, in: sql)
            try errors.finish()

            if let target {
                let after = try await Self.changeActivity(Activity.ID(target.id), patch, problems: .init(), country: country, zone: zone,
                                                          expectedVersion: nil, by: actor, at: now, address: "import", in: sql)
                report.matched(changed: after.version != target.version)
            } else {
                let added = try await Self.insertActivity(patch, problems: .init(), country: country, zone: zone, by: actor, at: now,
                                                          address: "import", in: sql)
                try await Self.setExternalID(.activity, id: added.id.rawValue, to: row["external_id"], in: sql)
                report.created += 1
            }
        }
    }

    /// "in", "inbound", "incoming", "входящий", "вхідний", "inkommande"…
    static func callDirection(_ text: String) -> CallDirection? {
        let text = text.lowercased()
        if ["in", "inbound", "incoming", "входящий", "входящий звонок", "вхідний", "inkommande", "ingående"].contains(text) { return .inbound }
        if ["out", "outbound", "outgoing", "исходящий", "исходящий звонок", "вихідний", "utgående"].contains(text) { return .outbound }
        return nil
    }
}
