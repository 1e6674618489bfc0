import Foundation
import KvotaCore
import SQLKit

/// Accounts from a file: a row with a known `external_id` (or, without one, a known `legal_id`) updates that account;
/// any other row adds one. Region and channel are given by code or name, the owner by email or name, looked up as
/// every import looks them up (`ImportLookup`).
extension Database {
    func accountRows(_ rows: [ImportRow], by actor: Actor, at now: Date, in sql: any SQLDatabase) async throws -> ImportReport {
        _ = try AccessPolicy.require(actor, .create, .account)
        let fields = ["name": "name", "legalId": "legal_id", "externalId": "external_id", "regionId": "region", "channelId": "channel",
                      "ownerId": "owner", "segment": "segment", "tags": "tags", "notes": "notes"]
        let repeated = Self.repeatedKeys(rows, fields: [("external_id", { $0 }), ("legal_id", Account.normalisedLegalID)])
        return try await Self.eachRow(rows, problems: repeated, column: { fields[$0] ?? $0 }, in: sql) { row, sql, report in
            var errors = ValidationFailure.Collector()
            let region = try await row.reference("region", .regions, kind: "region", in: sql, into: &errors)
            let channel = try await row.reference("channel", .channels, kind: "channel", in: sql, into: &errors)
            let owner = try await row.reference("owner", .users, kind: "active user", in: sql, into: &errors)
            let custom = row.custom(.account, fields: try await Self.customFields(.account, in: sql), into: &errors)
            try errors.finish()

            var patch = AccountPatch()
            patch.name = row["name"]
            if row.has("legal_id") { patch.legalID = .some(row["legal_id"]) }
            if row.has("external_id") { patch.externalID = .some(row["external_id"]) }
            if let region { patch.regionID = .some(Region.ID(region)) }
            if let channel { patch.channelID = .some(Channel.ID(channel)) }
            if let owner { patch.ownerID = .some(User.ID(owner)) }
            if row.has("segment") { patch.segment = .some(row["segment"]) }
            if row.has("tags") { patch.tags = row["tags"].map(ImportText.list) ?? [] }
            if row.has("notes") { patch.notes = .some(row["notes"]) }
            patch.custom = custom

            if let existing = try await Self.existingAccount(external: row["external_id"], legal: row["legal_id"], in: sql) {
                guard AccessPolicy.allows(actor, .update, .account, owner: existing.owner) else {
                    throw ValidationFailure([.invalid(field: "externalId", reason: "matches an account you may not change")])
                }
                let after = try await Self.changeAccount(existing.id, patch, problems: .init(), expectedVersion: nil, by: actor, at: now,
                                                         address: "import", in: sql)
                report.matched(changed: after.version != existing.version)
            } else {
                var draft = AccountDraft(name: patch.name ?? "", legalID: patch.legalID ?? nil, regionID: patch.regionID ?? nil,
                                         channelID: patch.channelID ?? nil, ownerID: patch.ownerID ?? nil, segment: patch.segment ?? nil,
                                         tags: patch.tags ?? [], notes: patch.notes ?? nil)
                draft.externalID = patch.externalID ?? nil
                draft.custom = custom
                _ = try await Self.insertAccount(draft, by: actor, at: now, address: "import", in: sql)
                report.created += 1
            }
        }
    }

    /// The account a row updates: by external id, else by legal id.
    static func existingAccount(external: String?, legal: String?, in sql: any SQLDatabase) async throws -> (id: Account.ID, owner: User.ID?, version: Int64)? {
        var conditions: [SQLQueryString] = []
        if let external { conditions.append("external_id = \(bind: external)") }
        if let legal { conditions.append("legal_id = \(bind: Account.normalisedLegalID(legal))") }
        for condition in conditions {
            if let row = try await sql.raw("SELECT id, owner_id, version FROM accounts WHERE \(condition)").first() {
                return (Account.ID(try row.decode(column: "id", as: Int64.self)),
                        try row.decode(column: "owner_id", as: Int64?.self).map { User.ID($0) }, try row.decode(column: "version", as: Int64.self))
            }
        }
        return nil
    }
}
