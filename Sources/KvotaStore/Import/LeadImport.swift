import Foundation
import KvotaCore
import SQLKit

/// Leads from a file (another CRM's or a web form tool's lead export): a row with a known `external_id` updates that
/// lead; any other adds one. The source and status are read in other systems' words too (`LeadWords`); a new lead
/// without a source is `other`, received when the file says (now when it does not). A converted lead is not
/// imported as a lead: its account, contact and deal are.
extension Database {
    func leadRows(_ rows: [ImportRow], by actor: Actor, at now: Date, in sql: any SQLDatabase) async throws -> ImportReport {
        _ = try AccessPolicy.require(actor, .create, .lead)
        let country = try await defaultCountry()
        let zone = try await Self.timeZone(in: sql)
        let own = try await Self.ownLeadSources(in: sql)
        let fields = ["source": "source", "receivedAt": "received", "status": "status", "disqualifyReason": "disqualify_reason",
                      "ownerId": "owner", "name": "name", "companyName": "company", "phone": "phone", "email": "email", "message": "message",
                      "utmSource": "utm_source", "utmCampaign": "utm_campaign"]
        let repeated = Self.repeatedKeys(rows, fields: [("external_id", { $0 })])
        let customFields = try await Self.customFields(.lead, in: sql)
        return try await Self.eachRow(rows, problems: repeated, column: { fields[$0] ?? $0 }, in: sql) { row, sql, report in
            var errors = ValidationFailure.Collector()
            var patch = LeadPatch()
            if let text = row["source"] {
                let key = LeadWords.key(text)
                patch.source = LeadWords.source(text)
                    ?? own.first { LeadWords.key($0.key) == key || LeadWords.key($0.label) == key }.map { LeadSource(rawValue: $0.key) }
                    ?? LeadSource(rawValue: text)
            }
            if let text = row["received"] {
                patch.receivedAt = ImportText.instant(text, in: zone)
                errors.check(patch.receivedAt != nil, "receivedAt", "expected a date, YYYY-MM-DD or DD.MM.YYYY, with a time or without")
            }
            if let text = row["status"] {
                patch.status = LeadWords.status(text)
                errors.check(patch.status != nil, "status", "expected one of \(LeadStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if let owner = try await row.reference("owner", .users, kind: "active user", in: sql, into: &errors) { patch.ownerID = .some(User.ID(owner)) }
            patch.name = row["name"] ?? [row["company"], row["email"]].compactMap { $0 }.first
            if row.has("company") { patch.companyName = .some(row["company"]) }
            if row.has("phone") { patch.phone = .some(row["phone"].map { ImportText.list($0).first ?? $0 }) }
            if row.has("email") { patch.email = .some(row["email"].map { ImportText.list($0).first ?? $0 }) }
            if row.has("message") { patch.message = .some(row["message"]) }
            if row.has("utm_source") { patch.utmSource = .some(row["utm_source"]) }
            if row.has("utm_campaign") { patch.utmCampaign = .some(row["utm_campaign"]) }
            if row.has("disqualify_reason") { patch.disqualifyReason = .some(row["disqualify_reason"]) }
            patch.custom = row.custom(.lead, fields: customFields, into: &errors)
            if let target = try await Self.importTarget(.lead, externalID: row["external_id"], for: actor, in: sql) {
                let after = try await Self.changeLead(Lead.ID(target.id), patch, problems: errors, expectedVersion: nil, country: country,
                                                      zone: zone, by: actor, at: now, address: "import", in: sql)
                report.matched(changed: after.version != target.version)
            } else {
                if patch.source == nil { patch.source = .other }
                let lead = try await Self.insertLead(patch, problems: errors, country: country, zone: zone, by: actor, at: now,
                                                     address: "import", in: sql)
                try await Self.setExternalID(.lead, id: lead.id.rawValue, to: row["external_id"], in: sql)
                report.created += 1
            }
        }
    }
}
