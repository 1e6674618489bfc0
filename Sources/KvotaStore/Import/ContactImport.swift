import Foundation
import KvotaCore
import SQLKit

/// Contacts from a file: a row with a known `external_id` updates that contact; any other adds one to the account
/// it names (by external id, legal id or name). Each channel column (`phone`, `email`, `telegram`…) may list several
/// values; on an update they replace the contact's channels of that kind and keep the others.
extension Database {
    func contactRows(_ rows: [ImportRow], by actor: Actor, at now: Date, in sql: any SQLDatabase) async throws -> ImportReport {
        _ = try AccessPolicy.require(actor, .create, .contact)
        let country = try await defaultCountry()
        let fields = ["accountId": "account", "name": "name", "position": "position", "phone": "phone", "email": "email"]
        let repeated = Self.repeatedKeys(rows, fields: [("external_id", { $0 })])
        return try await Self.eachRow(rows, problems: repeated, column: { fields[$0] ?? $0 }, in: sql) { row, sql, report in
            var errors = ValidationFailure.Collector()
            let account = try await row.reference("account", .accounts, kind: "account", in: sql, into: &errors)
            let custom = row.custom(.contact, fields: try await Self.customFields(.contact, in: sql), into: &errors)
            let kinds = ContactChannel.Kind.allCases.filter { row.has($0.rawValue) }
            var channels: [ContactChannel] = []
            for kind in kinds {
                for value in row[kind.rawValue].map(ImportText.list) ?? [] {
                    channels.append(ContactChannel(kind: kind, value: value).normalised(country: country, field: kind.rawValue, into: &errors))
                }
            }
            let target = try await Self.importTarget(.contact, externalID: row["external_id"], for: actor, in: sql)
            try errors.finish()

            var patch = ContactPatch()
            if let account { patch.accountID = Account.ID(account) }
            patch.name = row["name"]
            if row.has("position") { patch.position = .some(row["position"]) }
            patch.custom = custom
            if let target {
                let old = try await Self.contact(Contact.ID(target.id), in: sql)
                if !kinds.isEmpty { patch.channels = channels + old.channels.filter { !kinds.contains($0.kind) } }
                let after = try await Self.changeContact(Contact.ID(target.id), patch, problems: .init(), country: country, expectedVersion: nil,
                                                         by: actor, at: now, address: "import", in: sql)
                report.matched(changed: after.version != old.version)
            } else {
                if !kinds.isEmpty { patch.channels = channels }
                let added = try await Self.insertContact(patch, country: country, by: actor, at: now, address: "import", in: sql)
                try await Self.setExternalID(.contact, id: added.id.rawValue, to: row["external_id"], in: sql)
                report.created += 1
            }
        }
    }
}
